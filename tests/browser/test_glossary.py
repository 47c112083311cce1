"""Glossary terms in a real browser: a definition opens by keyboard, by tap and without JavaScript,
and Escape closes it."""

from tests.browser.conftest import PageWatch

TERM = "main button.term"


def test_a_term_opens_its_definition_by_keyboard_and_escape_closes_it(open_page):
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


def test_without_javascript_a_tap_opens_a_definition(browser, base_url):
    context = browser.new_context(java_script_enabled=False, has_touch=True)
    page = context.new_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "index.html")
    term = page.locator(TERM).first
    term.tap()
    page.locator(f"#{term.get_attribute('popovertarget')}").wait_for(state="visible")
    context.close()
    assert watch.problems == []
