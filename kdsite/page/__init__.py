"""Stage 5, render: section Markdown to sanitized HTML, the Jinja page, each chart compiled to Vega
and drawn as a static SVG, and the offline Vega runtime bundle.
"""
