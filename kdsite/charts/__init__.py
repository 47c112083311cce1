"""Altair chart builders: computed tables in, Vega-Lite spec dicts out. No science, no files."""
