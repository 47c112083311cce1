"""The footer's link reaches the instructor notes in a real browser, over file://, with no console error
(the notes page runs no script: its policy says script-src 'none')."""


def test_footer_link_opens_the_notes_and_their_citation_leads_back_to_the_references(open_page):
    page = open_page()
    page.get_by_role("link", name="Notes for instructors").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/instructor-notes.html")
    assert page.locator("h1").inner_text() == "Instructor notes"
    page.locator("a.cite").first.click()
    page.wait_for_selector("html[data-first-view-ready]", state="attached")
    assert page.url.endswith("/index.html#ref-hinton2015")
    assert page.evaluate("Math.abs(document.getElementById('ref-hinton2015').getBoundingClientRect().top)") < 200
