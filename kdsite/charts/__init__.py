"""Altair chart builders: computed tables in, Vega-Lite spec dicts out. No science, no files.

Altair (with the jsonschema and narwhals it imports) takes 0.3–0.9 s to import, about a third of a
warm build's start-up, and a build whose chart specs all come from the spec cache
(kdsite/charts/cache.py) never calls it. So the chart modules take `alt` from here
(`from kdsite.charts import alt`): Altair as a module that loads on first use, by the standard
library's importlib.util.LazyLoader. (`import altair` would load it at once: on Python 3.11 the
import statement reads the module's `__spec__`.)
"""

import importlib.util
import sys

if "altair" in sys.modules:
    alt = sys.modules["altair"]
else:
    _spec = importlib.util.find_spec("altair")
    _spec.loader = importlib.util.LazyLoader(_spec.loader)
    alt = sys.modules["altair"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(alt)
