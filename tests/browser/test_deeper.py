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
    assert page.locator("details.deeper").evaluate_all("all => all.every(d => d.open)")
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    assert block.evaluate("d => d.open") is False
    page.evaluate("location.hash = '#measured-anchors'")  # a link to something inside the block
    page.wait_for_selector(f"{BLOCK}[open]", state="attached")
    assert page.locator("#measured-anchors").is_visible()
    # Loaded with that address, the page opens the block and shows the figure.
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    fresh = context.new_page()
    watch = PageWatch(fresh, base_url)
    fresh.goto(base_url + "index.html#measured-anchors")
    fresh.wait_for_selector("html[data-first-view-ready]", state="attached")
    assert fresh.locator(BLOCK).evaluate("d => d.open") is True
    top = fresh.evaluate("document.getElementById('measured-anchors').getBoundingClientRect().top")
    assert -2 <= top < 900
    context.close()
    assert watch.problems == []
