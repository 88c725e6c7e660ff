"""Stage 4: documents for other tools derived from the model (OpenAPI now).

Imports ``spec``, ``diff`` and ``emit``.
"""
