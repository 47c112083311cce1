"""Stage 6, write: the pipeline that runs every stage once and in order, the caches, the atomic
output swap, the zip and single-file hand-outs, the page checks and the preview server.
"""
