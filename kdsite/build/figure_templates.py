"""The five files `kdsite new figure NAME` writes (kdsite/build/figure_scaffold.py), one template each.

Each is a `string.Template`: `$name` is the figure's name (`loss-landscape`), `$module` its Python
name (`loss_landscape`), `$title` its name as a title (`Loss landscape`). Together they are the
smallest working figure: a pure-numpy placeholder formula, its chart, the builder that joins them,
the partial that lays them out with one slider, and a browser test comparing the page with numpy.
"""

from __future__ import annotations

from string import Template

SCIENCE = Template('''\
"""The $name figure's numerics, pure numpy (written by `kdsite new figure $name`).

Placeholders to replace: the x the slider steps along and the value y(x) the figure shows. Keep the
module pure: arrays in, arrays out, no files, no Altair (docs/architecture.md).
"""

from __future__ import annotations

import numpy as np


def ${module}_inputs() -> np.ndarray:
    """The x the slider steps along: 0, 0.1, …, 1 (a placeholder grid)."""
    return np.linspace(0.0, 1.0, 11)


def ${module}_values(x: np.ndarray) -> np.ndarray:
    """y for each x: y = x² (a placeholder formula)."""
    return np.asarray(x, dtype=np.float64) ** 2
''')

CHART = Template('''\
"""The $name figure's chart (written by `kdsite new figure $name`): y against x, with a diamond on
the x the slider selects.

The slider sets the Vega param `${module}_index` (its position on the grid of x); the diamond's
layer filters its row by that param, so the browser only selects precomputed rows.
"""

from __future__ import annotations

import numpy as np

from kdsite.charts import alt  # Altair, loaded on first use (kdsite/charts/__init__.py)
from kdsite.charts.cache import cached
from kdsite.charts.common import Datasets, PALETTE, WIDTH, fixed_domain
from kdsite.charts.numbers import rounded, significant


@cached
def ${module}_chart(x: np.ndarray, y: np.ndarray, default_index: int, description: str) -> dict:
    """Line chart of y against x, a diamond at the grid point the `${module}_index` param selects."""
    data = Datasets()
    rows = [{"${module}_index": index, "x": x_plotted, "y": y_plotted,
             "label": f"x: {x_value:g}; y: {significant(float(y_value))}",
             "chosen": f"Chosen x: {x_value:g}; y: {significant(float(y_value))}"}
            for index, (x_value, y_value, x_plotted, y_plotted)
            in enumerate(zip(x, y, rounded(x, 6), rounded(y, 6)))]
    position = alt.param(name="${module}_index", value=default_index)
    base = alt.Chart(data(rows)).encode(
        x=alt.X("x:Q", title="x"),
        y=alt.Y("y:Q", title="y", scale=alt.Scale(domain=fixed_domain(y, zero=True))))
    line = base.mark_line(color=PALETTE["accent"]).encode(description=alt.Description("label:N"))
    chosen = base.transform_filter(alt.datum.${module}_index == position).mark_point(
        filled=True, size=140, color=PALETTE["highlight"], shape="diamond"
    ).encode(description=alt.Description("chosen:N"), tooltip=alt.Tooltip("chosen:N", title="Chosen"))
    chart = alt.layer(line, chosen).add_params(position).properties(
        width=WIDTH, height=200, description=description)
    return data.spec(chart)
''')

BUILDER = Template('''\
"""The $name figure (written by `kdsite new figure $name`): one slider along x, the value y(x) it
selects and the chart of y against x. Placed with [[figure: $name]], laid out by
templates/figures/$name.html, tested by tests/browser/test_$module.py.

A placeholder to replace: read the figure's settings from the validated `content` (their fields go
in kdsite/content/schema.py) or the build's results from `science`; compute in
kdsite/science/$module.py, draw in kdsite/charts/$module.py, format every shown number here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from kdsite.charts import $module as charts
from kdsite.charts.numbers import significant
from kdsite.content.load import Content
from kdsite.figures.common import Chart, Science, script_json
from kdsite.science.$module import ${module}_inputs, ${module}_values


def ${module}_table(x: np.ndarray, y: np.ndarray) -> dict[str, list]:
    """Per slider position, the strings the page shows; the browser selects the row by `${module}_index`."""
    return {
        "keys": ["${module}_index"],
        "${module}_index": list(range(len(x))),
        "x_label": [f"{value:g}" for value in x],
        "x_valuetext": [f"x = {value:g}" for value in x],
        "y": [significant(float(value)) for value in y],
    }


def $module(content: Content, science: Science) -> dict[str, Any]:
    """The slider's table, its starting position and the chart (reads no content yet)."""
    x = ${module}_inputs()
    y = ${module}_values(x)
    default_index = len(x) // 2
    table = ${module}_table(x, y)
    alt_text = (f"Line chart of y against x from x = {table['x_label'][0]} to {table['x_label'][-1]}: y goes "
                f"from {table['y'][0]} to {table['y'][-1]}. A diamond marks the chosen x.")
    return {"table": table, "table_json": script_json(table), "default_index": default_index,
            "charts": [Chart("$name-chart", charts.${module}_chart(x, y, default_index, alt_text), alt_text)]}
''')

PARTIAL = Template('''\
{# The $name figure (written by `kdsite new figure $name`; its context comes from
   kdsite/figures/$module.py): a slider along x, the value y it selects, the chart. The slider and
   the readout reach the page script only through the attributes of docs/architecture.md,
   "The page protocol"; the slider macro writes a control's. #}
{% from "controls.html" import slider %}
{% from "chart.html" import chart %}
{% set t = figure.table %}
{% set i = figure.default_index %}
<div class="figure-panel" id="$name" data-figure="$name" data-table="$name-table" data-charts="$name-chart">
  <div class="control-row js-only">
    {{ slider("$name-slider", "x", "${module}_index", 0, t.x_label | length - 1, 1, i, t.x_valuetext[i],
              "x_valuetext", "x_label", t.x_label[i]) }}
  </div>
  <dl class="readouts" data-live>
    <div><dt>y</dt><dd data-field="y">{{ t.y[i] }}</dd></div>
  </dl>
  <h3 class="chart-title">y against x</h3>
  {{ chart(figure.charts[0]) }}
  <p class="visually-hidden" aria-live="polite" data-announcer></p>
  <script type="application/json" id="$name-table">{{ figure.table_json | safe }}</script>
</div>
''')

BROWSER_TEST = Template('''\
"""The $name figure in a real browser (written by `kdsite new figure $name`): the slider selects
precomputed values, and the page shows what numpy computes for the same x.

Until [[figure: $name]] is placed in a section of tests/fixture/content, this module builds its own
copy of the fixture with one more section holding it (the `site_dir` fixture below). Once it is
placed there, delete that fixture: the tests then run on the shared fixture site (and
`python3 -m pytest tests/test_golden.py --update-golden` records the figure in the golden copy).
"""

import pytest

from kdsite.charts.numbers import significant
from kdsite.science.$module import ${module}_inputs, ${module}_values
from tests.browser.conftest import wait_charts
from tests.helpers import build, copy_project

X = ${module}_inputs()
PREVIEW = "---\\nid: $name-preview\\ntitle: $title preview\\norder: 999\\n---\\n[[figure: $name]]\\n"


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory):
    """The fixture project with a last section placing [[figure: $name]], built once for this module
    under --strict, so a warning the new figure causes (an unsourced number, a broken anchor) fails it."""
    project = copy_project(tmp_path_factory.mktemp("$module") / "project")
    (project / "content/sections/999-$name-preview.md").write_text(PREVIEW, encoding="utf-8")
    build(project, project.parent / "site", strict=True)
    return project.parent / "site"


def expected(position: int) -> dict[str, str]:
    """What the figure should show at this slider position, from numpy."""
    x = float(X[position])
    y = significant(float(${module}_values(X)[position]))
    return {"y": y, "valuetext": f"x = {x:g}", "chosen": f"Chosen x: {x:g}; y: {y}"}


def shown(page, position: int) -> dict[str, str]:
    """What the page shows once its chart has drawn this slider position."""
    page.wait_for_selector(f'#$name-chart[data-rendered-value="{position}"]', timeout=10_000)
    return {"y": page.locator('#$name [data-field="y"]').inner_text(),
            "valuetext": page.locator("#$name-slider").get_attribute("aria-valuetext"),
            "chosen": page.locator('#$name-chart [aria-roledescription="point"]').get_attribute("aria-label")}


def test_the_slider_shows_what_numpy_computes(open_page):
    page = open_page()
    wait_charts(page, "$name-chart")
    slider = page.locator("#$name-slider")
    start = int(slider.input_value())
    assert shown(page, start) == expected(start)
    slider.focus()
    for key, position in (("End", len(X) - 1), ("Home", 0), ("ArrowRight", 1)):
        page.keyboard.press(key)
        assert int(slider.input_value()) == position
        assert shown(page, position) == expected(position), key
''')
