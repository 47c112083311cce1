"""Every chart spec on the page is valid Vega-Lite (the build skips Altair's slow per-row check)."""

import json
import re

import altair as alt
import jsonschema
import pytest

from tests.helpers import ROOT, build

SCHEMA = alt.vegalite.v6.schema.core.load_schema()
SPEC = re.compile(r'<script type="application/json" id="([^"]+)-spec">(.*?)</script>', re.DOTALL)


@pytest.fixture(scope="module")
def specs(tmp_path_factory):
    out = tmp_path_factory.mktemp("specs") / "site"
    build(ROOT, out)
    html = (out / "index.html").read_text()
    return {chart_id: json.loads(text.replace("<\\/", "</")) for chart_id, text in SPEC.findall(html)}


def trimmed(node):
    """The spec with at most three rows per inline data set: the schema is checked, not the data."""
    if isinstance(node, dict):
        return {key: (value[:3] if key in ("values",) and isinstance(value, list) else trimmed(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [trimmed(value) for value in node]
    return node


def test_every_chart_spec_is_valid_vega_lite(specs):
    assert len(specs) >= 20
    for chart_id, spec in specs.items():
        spec = trimmed(spec)
        spec["datasets"] = {name: rows[:3] for name, rows in spec.get("datasets", {}).items()}
        try:
            jsonschema.validate(spec, SCHEMA)
        except jsonschema.ValidationError as error:
            pytest.fail(f"{chart_id}: {error.message} at {list(error.absolute_path)}")


def test_every_chart_names_its_params_explicitly(specs):
    for chart_id, spec in specs.items():
        for param in spec.get("params", []):
            assert not re.fullmatch(r"param_\d+", param["name"]), (chart_id, param["name"])
