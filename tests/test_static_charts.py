"""A chart's data table is read from its static SVG's mark labels (kdsite/page/static_charts.py)."""

from __future__ import annotations

import vl_convert

from kdsite.page.compiled_charts import to_vega
from kdsite.page.runtime import vegalite_version
from kdsite.page.static_charts import data_table, label_fields, render_svg

SOURCE = ("Decoupled Knowledge Distillation (2022), mdistiller README; the paper's Table 9 gives the "
          "student's 68.87 [7]")


def mark(label: str, role: str = "point") -> str:
    return f'<path role="graphics-symbol" aria-roledescription="{role}" aria-label="{label}"></path>'


def test_a_value_holding_a_semicolon_keeps_its_row():
    """Vega joins fields with "; " and leaves one inside a value as it is: that row was dropped."""
    svg = (mark("Model: MobileNetV2; Top-1: 71.9%; Source: torchvision [2]")
           + mark(f"Model: MobileNet-V1; Top-1: 68.87%; Source: {SOURCE.replace(chr(39), '&#39;')}"))
    table = data_table(svg)
    assert table.columns == ("Model", "Top-1", "Source")
    assert table.rows == (("MobileNetV2", "71.9%", "torchvision [2]"), ("MobileNet-V1", "68.87%", SOURCE))


def test_labels_that_are_not_fields_give_no_row():
    assert label_fields("Two bars, one for each student") == {}
    assert data_table(mark("Class: cat; Logit: 6.8") + mark("Class: cat; Logit: 6.8", role="text mark")
                      + mark("no fields here")).rows == (("cat", "6.8"),)


def test_a_static_copy_drawn_from_the_compiled_spec_equals_vl_converts_own_rendering(content, science, tmp_path):
    """render_svg draws the build's compiled Vega instead of compiling the Vega-Lite again: for a
    scatter with text labels and a layered line chart, the bytes are vl-convert's own rendering's."""
    from kdsite.figures.tradeoff import accuracy_vs_cost
    from kdsite.figures.training import loss_weighting
    specs = [accuracy_vs_cost(content, science)["charts"][0].spec, loss_weighting(content, science)["charts"][0].spec]
    for spec in specs:
        assert render_svg(spec, to_vega(spec), tmp_path, use_cache=False) == \
            vl_convert.vegalite_to_svg(spec, vl_version=vegalite_version())
