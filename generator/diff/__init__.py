"""Stage 2: compare two stages of the model (engine, rules, stage-wide) and report the changes.

Imports ``spec`` only.
"""
