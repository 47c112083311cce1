"""Stage 1, load: content/ (YAML and Markdown) read into typed, validated dataclasses.

Every problem is a ContentError with file, line and field path, reported together. The Markdown
policy (what a section may contain, and its bounds) lives here too: `sanitize`, `markdown_limits`.
"""
