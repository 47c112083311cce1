"""Predict prompts and the self-check in a real browser: answers open by keyboard and by touch,
and without JavaScript (native <details>)."""

from tests.browser.conftest import PageWatch


def test_a_predict_answer_and_a_self_check_choice_open_by_keyboard(open_page):
    page = open_page("#temperature")
    answer = page.locator("#temperature details.predict-answer")
    assert answer.evaluate("d => d.open") is False
    assert not answer.locator("p").first.is_visible()
    answer.locator("summary").focus()
    page.keyboard.press("Enter")
    assert answer.evaluate("d => d.open") is True and answer.locator("p").first.is_visible()
    choice = page.locator("#self-check-1 details.choice-right")
    choice.locator("summary").focus()
    page.keyboard.press("Space")
    assert choice.locator(".choice-verdict").inner_text().startswith("Right.")
    wrong = page.locator("#self-check-1 details.choice-wrong")
    assert not wrong.locator(".choice-verdict").is_visible()  # each choice opens on its own


def test_without_javascript_a_tap_opens_answers(browser, base_url):
    context = browser.new_context(java_script_enabled=False, has_touch=True)
    page = context.new_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "index.html#self-check")
    page.locator("#self-check-2 details.choice-right summary").tap()
    assert page.locator("#self-check-2 details.choice-right .choice-verdict").is_visible()
    page.locator("#temperature details.predict-answer summary").tap()
    assert page.locator("#temperature details.predict-answer p").first.is_visible()
    context.close()
    assert watch.problems == []
