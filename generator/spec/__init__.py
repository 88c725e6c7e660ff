"""Stage 1: read a spec (YAML with positions), check it and build the frozen model.

Imports nothing above it; only ``runtime`` (to know the names a client binds).
"""
