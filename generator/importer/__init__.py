"""Stage 4 (beside ``export``): specs bootstrapped from other tools' documents (OpenAPI now).

The reverse of ``export``: reads a foreign document and writes routegen spec YAML.
Imports ``spec`` (names) only.
"""
