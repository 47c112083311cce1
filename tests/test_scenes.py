"""Presenter mode's content: content/scenes.yaml and site.yaml's base_url (kdsite/content/scenes.py),
and each scene checked against the rendered figures (kdsite/page/presenter.py)."""

from __future__ import annotations

import re

import pytest
import segno

from kdsite.content.load import load_content
from kdsite.content.scenes import public_url_problem, scene_url
from kdsite.errors import ContentErrors
from kdsite.page.presenter import qr_code_svg
from tests.helpers import build, copy_project, line_of

HOSTILE_BASE_URLS = {
    "http://example.github.io/kd/": "must start with https://",
    "javascript:alert(1)//": "must start with https://",
    "HTTPS://example.org/": "must start with https://",
    "//example.org/": "must start with https://",
    "https://user:secret@example.org/": "must not hold a user name or password",
    "https://user@example.org/": "must not hold a user name or password",
    "https://example.org@evil.example/": "must not hold a user name or password",
    "https://example.org/?utm=1": "must not have a query",
    "https://example.org/#top": "must not have a fragment",
    "https://": "has no valid host name",
    "https:///kd/": "has no valid host name",
    "https://-evil-.org/": "has no valid host name",
    "https://ex_ample.org/": "has no valid host name",
    "https://1.2.3/": "has no valid host name",
    "https://[::1]/": "has no valid host name",
    "https://example.org:99999/": "has a port that is not a number",
    "https://example.org:http/": "has a port that is not a number",
    "https://example.org/a b": "holds a space",
    "https://example.org/\u0000": "holds a space",
    "https://example.org\\@evil.example/": "holds a space",
    'https://example.org/"><script>': "holds a space",
    "https://exämple.org/": "holds a space",
    "https://example.org/\u2028": "holds a space",
    "https://example.org/%zz": "holds a % that does not start",
}


@pytest.mark.parametrize("url", sorted(HOSTILE_BASE_URLS))
def test_a_hostile_base_url_is_refused_with_its_reason(url):
    assert HOSTILE_BASE_URLS[url] in (public_url_problem(url) or "")


@pytest.mark.parametrize("url", ["https://example.github.io/kd-explainer/", "https://example.org",
                                 "https://example.org/kd/index.html", "https://xn--exmple-cua.org:8443/a%20b/"])
def test_a_public_https_address_is_accepted(url):
    assert public_url_problem(url) is None


def test_a_scene_url_joins_the_site_folder_and_the_address():
    assert scene_url("https://e.org/kd/", "temperature?temperature-slider=4") == \
        "https://e.org/kd/#temperature?temperature-slider=4"
    assert scene_url("https://e.org/kd", "model-cards") == "https://e.org/kd/#model-cards"
    assert scene_url("https://e.org/kd/index.html", "model-cards") == "https://e.org/kd/index.html#model-cards"


def test_a_bad_base_url_is_one_line_naming_site_yaml_and_its_line(tmp_path):
    project = copy_project(tmp_path / "project")
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text().replace("https://example.github.io/kd-explainer/",
                                             "https://me:pw@example.github.io/kd/"))
    with pytest.raises(ContentErrors) as caught:
        load_content(project / "content")
    assert [str(error) for error in caught.value.errors] == [
        f"content/site.yaml:{line_of(site, 'base_url:')}: field 'base_url': 'https://me:pw@example.github.io/kd/' "
        "must not hold a user name or password (hint: e.g. https://example.github.io/kd-explainer/)"]


def test_scenes_of_the_wrong_shape_are_errors_with_file_line_and_field(tmp_path):
    project = copy_project(tmp_path / "project")
    scenes = project / "content" / "scenes.yaml"
    scenes.write_text("scenes:\n"
                      "  - title: no figure\n"
                      "  - figure: temperature-explorer\n"
                      "    settings: [temperature-slider, 4]\n"
                      "  - figure: temperature-explorer\n"
                      "    settings:\n"
                      "      temperature-slider: [4]\n"
                      "    colour: red\n")
    with pytest.raises(ContentErrors) as caught:
        load_content(project / "content")
    assert [str(error) for error in caught.value.errors] == [
        "content/scenes.yaml:2: field 'scenes[0].figure': is required but missing "
        "(hint: add a line 'figure: …' under scenes[0])",
        "content/scenes.yaml:4: field 'scenes[1].settings': expected a mapping but got a list "
        "(hint: write one 'key: value' per line)",
        "content/scenes.yaml:7: field 'scenes[2].settings.temperature-slider': expected a number, a word or "
        "true/false but got a list (hint: write the value as a settings link does, e.g. 4 for T = 4 or fox for "
        "an example)"]


def test_scenes_are_checked_against_the_figures_controls_each_mistake_on_its_line(tmp_path):
    project = copy_project(tmp_path / "project")
    scenes = project / "content" / "scenes.yaml"
    scenes.write_text("scenes:\n"
                      "  - figure: temperature-explorer\n"
                      "    settings:\n"
                      "      temperature-slider: 3\n"         # between grid points 2.5 and 3.2
                      "      no-such-control: 1\n"
                      "  - figure: temperature-explorer\n"
                      "    settings:\n"
                      "      temperature-slider: 20\n"        # beyond the grid's end
                      "  - figure: loss-weighting\n"
                      "    settings:\n"
                      "      alpha-slider: 0.33\n"            # off the slider's steps
                      "      training-example: wolf\n"
                      "  - figure: loss-weighting\n"
                      "    settings:\n"
                      "      alpha-slider: hot\n"
                      "  - figure: temperature-explorr\n"
                      "  - figure: reference-list\n"
                      "  - figure: model-cards\n"
                      "    settings:\n"
                      "      temperature-slider: 4\n")
    with pytest.raises(ContentErrors) as caught:
        build(project, tmp_path / "site")
    lines = [str(error) for error in caught.value.errors]
    assert lines[:5] == [
        "content/scenes.yaml:4: field 'scenes[0].settings.temperature-slider': 3 is not a grid point of the slider "
        "(hint: the nearest grid points are 2.5 and 3.2)",
        "content/scenes.yaml:5: field 'scenes[0].settings.no-such-control': figure 'temperature-explorer' has no "
        "control 'no-such-control' (hint: its controls: temperature-slider)",
        "content/scenes.yaml:8: field 'scenes[1].settings.temperature-slider': 20 is outside the slider's range "
        "0.1 to 10 (hint: a scene's value must be one of the slider's grid points)",
        "content/scenes.yaml:11: field 'scenes[2].settings.alpha-slider': 0.33 is not one of the slider's steps "
        "(0 to 1 every 0.05) (hint: the slider can only land on its steps)",
        "content/scenes.yaml:12: field 'scenes[2].settings.training-example': 'wolf' is not one of the chooser's "
        "options (hint: use one of: cat, dog, fox, car, plane)"]
    assert lines[5] == ("content/scenes.yaml:15: field 'scenes[3].settings.alpha-slider': expected a number for the "
                        "slider, got 'hot' (hint: write the number alone, e.g. 4)")
    assert re.fullmatch(r"content/scenes\.yaml:16: field 'scenes\[4\]\.figure': unknown figure 'temperature-explorr' "
                        r"\(hint: figures on the page: model-cards, .*\)", lines[6])
    assert lines[7].startswith("content/scenes.yaml:17: field 'scenes[5].figure': figure 'reference-list' is not "
                               "on the page as a figure panel")
    assert lines[8] == ("content/scenes.yaml:20: field 'scenes[6].settings.temperature-slider': figure 'model-cards' "
                        "has no control 'temperature-slider' (hint: it has no controls: leave out settings)")
    assert len(lines) == 9
    assert not (tmp_path / "site").exists()


def test_a_qr_code_holds_exactly_segnos_modules_for_the_url():
    """The SVG's dark modules, read back from its path, are segno's matrix for the URL (the browser
    test decodes the drawn code with a real decoder)."""
    url = "https://example.github.io/kd-explainer/#training?alpha-slider=0.25&training-example=fox"
    svg = qr_code_svg(url)
    assert svg.startswith('<svg role="img" aria-label="QR code of https://example.github.io/kd-explainer/'
                          '#training?alpha-slider=0.25&amp;training-example=fox" viewBox=')
    size = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    dark = set()
    x = y = 0.0
    for command, a, b in re.findall(r"([Mmh])(-?\d+(?:\.\d+)?)(?: (-?\d+(?:\.\d+)?))?", re.search(r'stroke="#000" d="([^"]+)"', svg).group(1)):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            dark.update((int(y), int(x) + i) for i in range(int(a)))
            x += float(a)
    matrix = segno.make(url, error="m", micro=False).matrix
    expected = {(row + 4, column + 4) for row, line in enumerate(matrix) for column, bit in enumerate(line) if bit}
    assert size == len(matrix) + 8 and dark == expected
