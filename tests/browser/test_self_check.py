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
    question = page.locator("#self-check-1 details.self-check-fold")
    assert not question.locator(".self-check-choices").is_visible()  # a closed question shows no choices
    question.locator("summary.self-check-text").focus()
    page.keyboard.press("Enter")
    choice = page.locator("#self-check-1 details.choice-right")
    choice.locator("summary").focus()
    page.keyboard.press("Space")
    assert choice.locator(".choice-verdict").inner_text().startswith("Right.")
    wrong = page.locator("#self-check-1 details.choice-wrong")
    assert not wrong.locator(".choice-verdict").is_visible()  # each choice opens on its own


def test_without_javascript_a_tap_opens_answers(browser, base_url):
    # Reduced motion: a tap far up the page waited 2 s for the smooth scroll there to end
    context = browser.new_context(java_script_enabled=False, has_touch=True, reduced_motion="reduce")
    page = context.new_page()
    watch = PageWatch(page, base_url)
    page.goto(base_url + "index.html#self-check")
    page.locator("#self-check-2 summary.self-check-text").tap()
    page.locator("#self-check-2 details.choice-right summary").tap()
    assert page.locator("#self-check-2 details.choice-right .choice-verdict").is_visible()
    page.locator("#temperature details.predict-answer summary").tap()
    assert page.locator("#temperature details.predict-answer p").first.is_visible()
    context.close()
    assert watch.problems == []


def test_a_closed_question_is_one_row_of_its_text(default_page):
    """Closed, the self-check is a short list: each question is as tall as its own text, its choices
    and their verdicts add no height until the reader opens it."""
    rows = default_page.evaluate("""() => Array.from(document.querySelectorAll('.self-check-question'), q => ({
        open: q.querySelector('details').open, height: q.getBoundingClientRect().height,
        summary: q.querySelector('summary.self-check-text').getBoundingClientRect().height}))""")
    assert len(rows) == 2
    for row in rows:
        assert row["open"] is False and row["height"] <= row["summary"] + 1, row
