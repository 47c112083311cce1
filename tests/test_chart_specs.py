"""Chart specs: every chart is valid Vega-Lite (the build skips Altair's slow per-row check), and the
page embeds exactly what vl-convert compiles it to, with a dark-mode patch that gives exactly the
dark compile."""

import copy
import json
import re

import altair as alt
import jsonschema
import pytest

from kdsite.page import compiled_charts
from kdsite.charts.common import DARK_THEME, PALETTE
from kdsite.page.compiled_charts import CompiledChartCollector, ThemeError, compile_chart, dark_twin, merged, patch, to_vega
from kdsite.figures import FIGURES
from kdsite.figures.common import Chart
from tests.helpers import embedded_specs

SCHEMA = alt.vegalite.v6.schema.core.load_schema()
# One validator for every chart: jsonschema.validate() would re-check the large schema itself per call.
VALIDATOR = jsonschema.validators.validator_for(SCHEMA)(SCHEMA)


def charts_in(value) -> list[Chart]:
    if isinstance(value, Chart):
        return [value]
    if isinstance(value, dict):
        return [chart for item in value.values() for chart in charts_in(item)]
    if isinstance(value, (list, tuple)):
        return [chart for item in value for chart in charts_in(item)]
    return []


@pytest.fixture(scope="module")
def charts(content, science) -> dict[str, Chart]:
    """Every chart the figures build, by id, as Altair made it (Vega-Lite)."""
    found = [chart for name in FIGURES for chart in charts_in(FIGURES[name](content, science))]
    return {chart.id: chart for chart in found}


@pytest.fixture(scope="module")
def embedded(site_dir) -> dict[str, dict]:
    """What the built site ships for each chart (in its section's spec file), by chart id."""
    return embedded_specs(site_dir)


def trimmed(node):
    """The spec with at most three rows per inline data set: the schema is checked, not the data."""
    if isinstance(node, dict):
        return {key: (value[:3] if key in ("values",) and isinstance(value, list) else trimmed(value))
                for key, value in node.items()}
    if isinstance(node, list):
        return [trimmed(value) for value in node]
    return node


def applied(spec: dict, pairs: list[list]) -> dict:
    """`spec` with each [path, value] of a dark patch set, as the page script does."""
    result = copy.deepcopy(spec)
    for path, value in pairs:
        node = result
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value
    return result


def test_every_chart_spec_is_valid_vega_lite(charts):
    assert len(charts) >= 20
    for chart_id, chart in charts.items():
        spec = trimmed(chart.spec)
        spec["datasets"] = {name: rows[:3] for name, rows in spec.get("datasets", {}).items()}
        try:
            VALIDATOR.validate(spec)
        except jsonschema.ValidationError as error:
            pytest.fail(f"{chart_id}: {error.message} at {list(error.absolute_path)}")


def test_every_chart_names_its_params_explicitly(charts):
    for chart_id, chart in charts.items():
        for param in chart.spec.get("params", []):
            assert not re.fullmatch(r"param_\d+", param["name"]), (chart_id, param["name"])


def test_the_page_embeds_each_chart_compiled_to_vega_by_vl_convert(charts, embedded):
    assert set(embedded) == set(charts)
    for chart_id, chart in charts.items():
        page = embedded[chart_id]
        assert page["vega"] == to_vega(chart.spec), chart_id
        assert page["vega"]["$schema"].startswith("https://vega.github.io/schema/vega/v6"), chart_id


def test_every_control_signal_is_a_top_level_vega_signal_with_the_param_default(charts, embedded):
    for chart_id, chart in charts.items():
        signals = {signal["name"]: signal for signal in embedded[chart_id]["vega"].get("signals", [])}
        for param in chart.spec.get("params", []):
            assert param["name"] in signals, (chart_id, param["name"])
            assert signals[param["name"]].get("value") == param.get("value"), (chart_id, param["name"])


def test_the_dark_patch_gives_exactly_the_dark_compile(charts, embedded):
    for chart_id, chart in charts.items():
        dark = to_vega(dark_twin(chart.spec))
        page = embedded[chart_id]
        assert page["dark"], chart_id
        assert applied(page["vega"], page["dark"]) == dark, chart_id
        assert page["vega"] != dark, chart_id


def test_the_dark_twin_swaps_every_palette_colour_and_nothing_else():
    spec = {"mark": {"type": "bar", "color": PALETTE["accent"]}, "title": "#1f5fa8 in text stays",
            "encoding": {"color": {"value": PALETTE["highlight"]}}}
    twin = dark_twin(spec)
    assert twin["mark"]["color"] == DARK_THEME["colors"][PALETTE["accent"]]
    assert twin["encoding"]["color"]["value"] == DARK_THEME["colors"][PALETTE["highlight"]]
    assert twin["title"] == spec["title"]
    assert twin["config"]["axis"]["labelColor"] == DARK_THEME["config"]["axis"]["labelColor"]


def test_the_dark_patch_sets_the_background_and_default_text_colour():
    spec = {"data": {"values": [{"k": "a", "v": 1}]}, "mark": "text",
            "encoding": {"x": {"field": "k", "type": "nominal"}, "text": {"field": "v", "type": "quantitative"}}}
    pairs = dict((tuple(path), value) for path, value in compile_chart(spec)["dark"])
    assert pairs[("background",)] == DARK_THEME["config"]["background"]
    assert DARK_THEME["config"]["text"]["color"] in pairs.values()
    assert pairs[("config",)]["axis"]["labelColor"] == DARK_THEME["config"]["axis"]["labelColor"]


def test_a_patch_sets_changed_and_added_values_and_refuses_shape_changes():
    light = {"a": 1, "b": {"c": [1, 2], "d": "x"}}
    dark = {"a": 1, "b": {"c": [1, 3], "d": "y", "e": True}}
    pairs = patch(light, dark)
    assert pairs == [[["b", "c", 1], 3], [["b", "d"], "y"], [["b", "e"], True]]
    assert applied(light, pairs) == dark
    assert patch(light, light) == []
    with pytest.raises(ThemeError):
        patch(light, {"b": light["b"]})
    with pytest.raises(ThemeError):
        patch(light, {"a": 1, "b": {"c": [1], "d": "x"}})


def test_merged_config_is_deep_and_the_override_wins():
    assert merged({"axis": {"labelColor": "a", "grid": True}, "x": 1}, {"axis": {"labelColor": "b"}}) == \
        {"axis": {"labelColor": "b", "grid": True}, "x": 1}


def test_compiled_charts_are_cached_and_a_damaged_entry_is_compiled_again(tmp_path, charts, monkeypatch):
    chart = charts["temperature-bars"]
    first = CompiledChartCollector(tmp_path).compile_one(chart)
    entries = list(tmp_path.glob("*.json"))
    assert len(entries) == 1
    calls = []
    monkeypatch.setattr(compiled_charts, "compile_chart", lambda spec: calls.append(spec) or first)
    assert CompiledChartCollector(tmp_path).compile_one(chart) == first
    assert calls == []
    entries[0].write_text("{not json")
    assert CompiledChartCollector(tmp_path).compile_one(chart) == first
    assert len(calls) == 1
    assert json.loads(entries[0].read_text()) == first
    CompiledChartCollector(tmp_path, use_cache=False).compile_one(chart)
    assert len(calls) == 2



def _y_encodings(node, found):
    """Every quantitative y encoding (field, scale) in a Vega-Lite spec, layers included."""
    if isinstance(node, dict):
        y = node.get("encoding", {}).get("y")
        if isinstance(y, dict) and y.get("type") == "quantitative" and "field" in y:
            found.append((y["field"], y.get("scale", {})))
        for value in node.values():
            _y_encodings(value, found)
    elif isinstance(node, list):
        for value in node:
            _y_encodings(value, found)
    return found


def _values(spec: dict, field: str) -> list[float]:
    flat = []
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            value = row.get(field) if isinstance(row, dict) else None
            flat.extend(value if isinstance(value, list) else [] if value is None else [value])
    return [float(v) for v in flat if v is not None]


def test_a_chart_driven_by_a_control_keeps_its_y_axis_over_the_controls_whole_range(charts):
    """Its y scale has a fixed domain covering every row the controls can select, so moving a control
    shows the change instead of rescaling the axis (charts.common.fixed_domain)."""
    checked = 0
    for chart_id, chart in charts.items():
        spec = chart.spec
        if not spec.get("params"):
            continue
        encodings = _y_encodings(spec, [])  # layers share one y scale: one domain is enough
        values = [v for field in {field for field, _ in encodings} for v in _values(spec, field)]
        if not values:
            continue
        domains = [scale["domain"] for _, scale in encodings if "domain" in scale]
        assert domains, f"{chart_id}: its y axis rescales with its controls"
        low, high = domains[0]
        assert low <= min(values) and max(values) <= high, (chart_id, domains[0])
        checked += 1
    assert checked >= 8


def test_fixed_domain_covers_its_values_keeps_zero_and_pads_log_scales():
    from kdsite.charts.common import fixed_domain
    assert fixed_domain([0.2, 3.7, -1.2], zero=True) == [-1.5, 4.0]
    assert fixed_domain([0.61, 0.93]) == [0.59, 0.95]
    assert fixed_domain([[0.01, 2.3], [0.5], None], log=True) == [0.0087, 2.6]
    assert fixed_domain([-3, -1], zero=True) == [-3.2, 0.0]


def test_a_models_name_moves_off_a_neighbouring_point_and_inside_the_plot():
    """place_names: right of its point above the centre by default; another point there sends it to
    the next clear place; a point at the plot's right edge is named on its left."""
    from kdsite.charts.accuracy import BAND_STARTS, place_names
    x_domain, y_domain = [1e6, 1e8], [60, 80]
    alone = [{"model": "Alone", "named": True, "x": 1e7, "top1": 70}]
    crowded = alone + [{"model": "", "named": False, "x": 1.1e7, "top1": 70.3}]
    edge = [{"model": "At the edge", "named": True, "x": 9.5e7, "top1": 70}]
    default = {"align": "left", "dx": 8, "dy": -6, "shown": 1}
    assert place_names(alone, x_domain, y_domain) == {0: {"name_places": [default] * len(BAND_STARTS)}}
    moved = place_names(crowded, x_domain, y_domain)[0]["name_places"]
    assert default not in moved and all(place["shown"] for place in moved)
    assert all(place["align"] == "right" for place in place_names(edge, x_domain, y_domain)[0]["name_places"])


def test_a_name_with_no_clear_place_is_left_out_only_where_it_has_none():
    """A point hemmed in by neighbours on every side has no clear place, so its name is not drawn
    (never on a point); a name clear only on wider plots shows only in their bands of widths."""
    from kdsite.charts.accuracy import BAND_STARTS, place_names
    x_domain, y_domain = [1e6, 1e8], [60, 80]
    centre = {"model": "Hemmed in", "named": True, "x": 1e7, "top1": 70}
    around = [{"model": "", "named": False, "x": 1e7 * 1.03 ** i, "top1": 70 + dy}
              for i in range(-12, 13) for dy in (-1.2, -0.6, 0, 0.6, 1.2) if (i, dy) != (0, 0)]
    places = place_names([centre, *around], x_domain, y_domain)[0]["name_places"]
    assert [place["shown"] for place in places] == [0] * len(BAND_STARTS)
    # At the plot's left edge, with a column of points to its right (25 % more parameters: 24 px
    # away on a 500 px plot, 29 px on a 600 px one): its short name fits between them only from
    # 600 px, so the narrowest band leaves it out and the wider ones show it on the right.
    edge = {"model": "AB", "named": True, "x": 1.01e6, "top1": 70}
    column = [{"model": "", "named": False, "x": 1.25 * 1.01e6, "top1": 70 + 20 / 340 * px}
              for px in (-28, -14, 0, 14, 28)]
    places = place_names([edge, *column], x_domain, y_domain)[0]["name_places"]
    assert [place["shown"] for place in places] == [0, 1, 1], places
    assert places[1] == places[2] == {"align": "left", "dx": 8, "dy": -6, "shown": 1}
