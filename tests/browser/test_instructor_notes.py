"""The footer's link reaches the instructor notes in a real browser, over file://, with no console error
(the notes page runs no script: its policy says script-src 'none'), and prints as one clean page."""

import re


def test_footer_link_opens_the_notes_and_their_citation_leads_back_to_the_references(open_page):
    page = open_page()
    page.get_by_role("link", name="Notes for instructors").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/instructor-notes.html")
    assert page.locator("h1").inner_text() == "Instructor notes"
    # Printed: the notes alone, on one page, nothing wider than the paper, no skip link.
    pdf = page.pdf()
    assert len(re.findall(rb"/Type\s*/Page\b", pdf)) == 1
    page.emulate_media(media="print")
    assert page.locator(".skip-link").is_hidden() and page.locator("main li").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    page.emulate_media(media="screen")
    page.locator("a.cite").first.click()
    page.wait_for_selector("html[data-laid-out]", state="attached")
    assert page.url.endswith("/index.html#ref-hinton2015")
    assert page.evaluate("Math.abs(document.getElementById('ref-hinton2015').getBoundingClientRect().top)") < 200
