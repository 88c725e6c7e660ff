"""routegen: typed Python clients from one YAML route specification.

Pipeline: ``load`` (YAML with positions) -> ``validate`` (schema + semantic checks)
-> ``build`` (frozen ``Api``) -> ``api.stage(name)`` -> render -> format -> write.
"""

from .errors import SpecError, SpecErrors
from .load import build, load, validate
from .model import Api, StageApi

__all__ = ["Api", "SpecError", "SpecErrors", "StageApi", "build", "load", "validate"]
