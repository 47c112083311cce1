"""A "Go deeper" block in a real browser: closed by default, opened by keyboard, by an address that
points inside it, and for printing (then closed again)."""

from tests.browser.conftest import PageWatch

BLOCK = "details.deeper:has(#measured-anchors)"


def test_a_deeper_block_opens_by_keyboard_by_address_and_for_print(open_page, browser, base_url):
    page = open_page("#hardware")
    block = page.locator(BLOCK)
    assert block.evaluate("d => d.open") is False
    assert not page.locator("#measured-anchors").is_visible()
    block.locator("summary").focus()
    page.keyboard.press("Enter")
    assert block.evaluate("d => d.open") is True and page.locator("#measured-anchors").is_visible()
    page.keyboard.press("Enter")
    assert block.evaluate("d => d.open") is False
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    assert page.locator("details.deeper, details.self-check-fold").evaluate_all("all => all.every(d => d.open)")
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert block.evaluate("d => d.open") is False
    page.evaluate("location.hash = '#measured-anchors'")  # a link to something inside the block
    page.wait_for_selector(f"{BLOCK}[open]", state="attached")
    assert page.locator("#measured-anchors").is_visible()
    # Loaded with that address, the page opens the block and shows the figure.
    context = browser.new_context(viewport={"width": 1100, "height": 900}, reduced_motion="reduce")
    fresh = context.new_page()
    watch = PageWatch(fresh, base_url)
    fresh.goto(base_url + "index.html#measured-anchors")
    fresh.wait_for_selector("html[data-laid-out]", state="attached")
    assert fresh.locator(BLOCK).evaluate("d => d.open") is True
    top = fresh.evaluate("document.getElementById('measured-anchors').getBoundingClientRect().top")
    assert -2 <= top < 900
    context.close()
    assert watch.problems == []


def test_a_closed_block_is_one_slim_row(open_page):
    """Closed, a block adds only its title: no height from what it folds, and little around the title
    (its lines, a few pixels of padding and its border), so a page of folds stays short. (A page of
    its own: the shared `default_page` may have had its folds opened by an earlier test.)"""
    blocks = open_page().evaluate("""() => Array.from(document.querySelectorAll('details.deeper'))
      .filter(d => !d.open && d.checkVisibility() && !d.parentElement.closest('details:not([open])'))
      .map(d => {
        const summary = d.querySelector(':scope > summary');
        const range = document.createRange();
        range.selectNodeContents(summary);
        const lines = new Set(Array.from(range.getClientRects(), r => Math.round(r.bottom))).size;
        return {title: summary.textContent.trim(), height: d.getBoundingClientRect().height,
                summary: summary.getBoundingClientRect().height, lines,
                line: parseFloat(getComputedStyle(summary).lineHeight)};
      })""")
    assert len(blocks) >= 5
    for block in blocks:
        assert block["height"] <= block["summary"] + 2, block  # the border, nothing folded
        assert block["summary"] <= block["lines"] * block["line"] + 8, block


def test_blocks_that_follow_one_another_form_one_list(open_page):
    """Issue 16: closed blocks in a row share their borders, with no gap between them."""
    gaps = open_page().evaluate("""() => Array.from(document.querySelectorAll('details.deeper + details.deeper'))
      .filter(d => !d.open && !d.previousElementSibling.open && d.checkVisibility()
                   && !d.parentElement.closest('details:not([open])'))
      .map(d => { const style = getComputedStyle(d);
        return {gap: d.getBoundingClientRect().top - d.previousElementSibling.getBoundingClientRect().bottom,
                top: style.borderTopWidth}; })""")
    assert len(gaps) >= 2  # the fixture's two pairs
    assert all(abs(item["gap"]) < 0.5 and item["top"] == "0px" for item in gaps), gaps
