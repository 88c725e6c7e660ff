"""routegen: typed Python clients from one YAML route specification.

Pipeline: ``spec`` (YAML with positions, schema, semantic checks, the frozen ``Api``)
-> ``diff`` (stage comparisons) -> ``emit`` (render, format, write) -> ``export``
(OpenAPI) -> ``cli``. ``runtime`` is copied into every generated package; ``mock``
serves a stage.
"""

from .pipeline import build, build_any, load, validate, validate_any
from .spec.errors import SpecError, SpecErrors
from .spec.model import Api, StageApi

__all__ = [
    "Api",
    "SpecError",
    "SpecErrors",
    "StageApi",
    "build",
    "build_any",
    "load",
    "validate",
    "validate_any",
]
