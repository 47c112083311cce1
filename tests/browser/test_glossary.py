"""Glossary terms in a real browser: a definition opens by keyboard, by tap and without JavaScript,
and Escape closes it."""

from tests.browser.conftest import PageWatch

TERM = "main button.term"


def test_a_term_or_a_mark_opens_its_meaning_by_keyboard_and_escape_closes_it(open_page):
    """A glossary term opens its definition; a mark (cited, measured, modeled, illustrative,
    experiment) is a button too, opening what its kind means."""
    page = open_page()
    term = page.locator(TERM).first
    target = term.get_attribute("popovertarget")
    popover = page.locator(f"#{target}")
    assert not popover.is_visible()
    term.focus()
    page.keyboard.press("Enter")
    popover.wait_for(state="visible")
    assert popover.inner_text().startswith(popover.locator("strong").inner_text() + ":")
    page.keyboard.press("Escape")
    popover.wait_for(state="hidden")
    assert page.locator("main button.mark").count() >= 10
    mark = page.locator("main button.mark-modeled").first
    mark.scroll_into_view_if_needed()
    mark.focus()
    page.keyboard.press("Enter")
    key = page.locator("#mark-key-modeled")
    key.wait_for(state="visible")
    assert key.inner_text().startswith("Modeled: Computed by this page's model")
    page.keyboard.press("Escape")
    key.wait_for(state="hidden")


def test_without_javascript_a_tap_opens_a_definition(browser, base_url):
    context = browser.new_context(java_script_enabled=False, has_touch=True)
    page = context.new_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "index.html")
    term = page.locator(TERM).first
    term.tap()
    page.locator(f"#{term.get_attribute('popovertarget')}").wait_for(state="visible")
    page.keyboard.press("Escape")
    page.locator(".marks-key button.mark-measured").tap()  # a mark too
    page.locator("#mark-key-measured").wait_for(state="visible")
    assert "not by this page" in page.locator("#mark-key-measured").inner_text()
    context.close()
    assert watch.problems == []

