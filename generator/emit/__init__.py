"""Stage 3: render every file of a generated package, format it and write the tree.

One module per generated file family; imports ``spec`` and ``diff`` (STAGES.md).
"""
