"""A chart's data table is read from its static SVG's mark labels (kdsite/page/static_charts.py)."""

from __future__ import annotations

from kdsite.page.static_charts import data_table, label_fields

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
