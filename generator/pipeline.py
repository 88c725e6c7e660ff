"""The library entry points the CLI and tests use: load, validate, build.

Validation is the ``spec`` stage's checks plus one check of the ``diff`` stage (a stage
declared ``breaking: false`` breaks nothing), so these entry points sit above both.
"""

from __future__ import annotations

import os
from pathlib import Path

from .diff.promise import breaking_in_stable
from .spec.build import Problem, build_api
from .spec.checks import check_api, merge_stages
from .spec.errors import SpecError, SpecErrors, sort_errors
from .spec.model import Api
from .spec.schema import schema_errors
from .spec.soap import SoapApi, build_soap, is_soap
from .spec.yamlsource import Source, read_source

# A built spec of either protocol: REST (``Api``, stages and routes) or SOAP (``SoapApi``).
AnyApi = Api | SoapApi


def display_name(path: Path) -> str:
    """The spec path as messages show it: relative to the working directory when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def load(path: str | Path) -> tuple[Source, list[SpecError]]:
    """Read and parse a spec; YAML-level errors only."""
    p = Path(path)
    return read_source(p, display_name(p))


def validate(path: str | Path) -> tuple[Api | None, list[SpecError]]:
    """Parse, schema-check, build and semantically check a REST spec; all errors, sorted.

    A SOAP spec is an error here (the caller needs stages and routes); ``validate_any``
    takes both protocols.
    """
    api, errors = validate_any(path)
    if isinstance(api, SoapApi):
        src, _ = load(path)
        return None, [src.error(("protocol",), "a soap spec has no REST stages or routes")]
    return api, errors


def validate_any(path: str | Path) -> tuple[AnyApi | None, list[SpecError]]:
    """``validate`` for a spec of either protocol."""
    src, errors = load(path)
    if errors:
        return None, sort_errors(errors)
    errors = schema_errors(src)
    if errors:
        return None, sort_errors(errors)
    if is_soap(src.data):
        soap, soap_problems = build_soap(src.data, src.file)
        located = sort_errors(src.error(where, msg) for where, msg in soap_problems)
        return (None, located) if located else (soap, [])
    api, problems = build_api(src.data, src.file)
    problems += check_api(src.data, api)
    problems += breaking_in_stable(api)
    errors = _locate(src, problems, api.stage_names)
    return (None, errors) if errors else (api, [])


def build(path: str | Path) -> Api:
    """Validated ``Api`` or ``SpecErrors`` carrying every problem."""
    api, errors = validate(path)
    if api is None:
        raise SpecErrors(errors)
    return api


def build_any(path: str | Path) -> AnyApi:
    """Validated ``Api`` or ``SoapApi`` (by the spec's protocol), or ``SpecErrors``."""
    api, errors = validate_any(path)
    if api is None:
        raise SpecErrors(errors)
    return api


def _locate(
    src: Source, problems: list[Problem], order: tuple[str, ...]
) -> list[SpecError]:
    return sort_errors(
        src.error(where, msg) for where, msg in merge_stages(problems, order)
    )
