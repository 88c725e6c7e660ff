"""The library entry points the CLI and tests use: load, validate, build.

Validation is the ``spec`` stage's checks plus two checks of the ``diff`` stage (a stage
declared ``breaking: false`` breaks nothing; a released stage matches its lock), so these
entry points sit above both.
"""

from __future__ import annotations

import os
from pathlib import Path

from .diff.lock import check_lock, lock_path, read_lock
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


def validate(path: str | Path, *, locked: bool = True) -> tuple[Api | None, list[SpecError]]:
    """Parse, schema-check, build and semantically check a REST spec; all errors at once, sorted.

    With ``locked`` (the default) and a lock file next to the spec, released stages are
    also compared with the lock. When the ``Api`` is returned, the list holds only notes
    (``severity == "note"``, e.g. an addition to a released stage not yet locked).
    A SOAP spec is an error here (the caller needs stages and routes); ``validate_any``
    takes both protocols.
    """
    api, errors = validate_any(path, locked=locked)
    if isinstance(api, SoapApi):
        src, _ = load(path)
        return None, [src.error(("protocol",), "a soap spec has no REST stages or routes")]
    return api, errors


def validate_any(
    path: str | Path, *, locked: bool = True
) -> tuple[AnyApi | None, list[SpecError]]:
    """``validate`` for a spec of either protocol (a SOAP spec has no lock to compare)."""
    src, errors = load(path)
    if errors:
        return None, sort_errors(errors)
    api, errors = validate_source_any(src)
    if api is None:
        return None, errors
    if isinstance(api, SoapApi):
        return api, []
    notes = lock_findings(Path(path), src, api) if locked else []
    return (None, notes) if any(e.is_error for e in notes) else (api, notes)


def validate_source(src: Source) -> tuple[Api | None, list[SpecError]]:
    """Schema-check, build and semantically check parsed YAML of a REST spec (no lock: it
    may come from anywhere, e.g. ``git show``)."""
    api, errors = validate_source_any(src)
    if isinstance(api, SoapApi):
        return None, [src.error(("protocol",), "a soap spec has no REST stages or routes")]
    return api, errors


def validate_source_any(src: Source) -> tuple[AnyApi | None, list[SpecError]]:
    """``validate_source`` for parsed YAML of either protocol."""
    errors = schema_errors(src)
    soap_spec = isinstance(src.data, dict) and is_soap(src.data)
    if errors:
        if soap_spec:  # the REST element checks mean nothing for a SOAP spec
            return None, sort_errors(errors)
        return None, sort_errors(errors + _semantic_beside(src, errors))
    if soap_spec:
        soap, soap_problems = build_soap(src.data, src.file)
        located = sort_errors(src.error(where, msg) for where, msg in soap_problems)
        return (None, located) if located else (soap, [])
    api, problems = build_api(src.data, src.file)
    problems += check_api(src.data, api)
    problems += breaking_in_stable(api)
    errors = _locate(src, problems, api.stage_names)
    return (None, errors) if errors else (api, [])


def _semantic_beside(src: Source, schema: list[SpecError]) -> list[SpecError]:
    """Semantic errors of the elements the schema accepted, so one run shows both layers.

    An element is a top-level entry (a route, a model, a filter, ...); anything under an
    element with a schema error is dropped, since its meaning cannot be trusted. A schema
    error outside any element (a stage, the api block) leaves nothing to check.
    """
    bad = {e.json_path[:2] for e in schema}
    if any(len(path) < 2 or path[0] in _SHARED for path in bad):
        return []
    try:
        api, problems = build_api(src.data, src.file)
        problems += check_api(src.data, api)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        return []  # the schema error broke something the build relies on
    kept = [p for p in problems if p.where[:2] not in bad and p.where[:1] not in bad]
    return _locate(src, kept, api.stage_names)


# Blocks every element depends on: a schema error there leaves nothing to check.
_SHARED = frozenset({"stages", "api", "auth", "routespec"})


def lock_findings(path: Path, src: Source, api: Api) -> list[SpecError]:
    """Differences of the released stages from the lock next to ``path`` (none without one)."""
    lock = lock_path(path)
    try:
        text = lock.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as exc:
        return [SpecError(display_name(lock), 1, 1, f"cannot read lock: {exc.strerror}")]
    locked, problem = read_lock(text)
    if locked is None:
        return [SpecError(display_name(lock), 1, 1, problem or "bad lock")]
    return sort_errors(
        _severity(src.error(f.where, f.message), f.breaking) for f in check_lock(api, locked)
    )


def _severity(error: SpecError, breaking: bool) -> SpecError:
    if breaking:
        return error
    return SpecError(error.file, error.line, error.column, error.message, error.json_path, "note")


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


def _locate(src: Source, problems: list[Problem], order: tuple[str, ...]) -> list[SpecError]:
    lined = [_with_first_line(src, p) for p in problems]
    return sort_errors(src.error(where, msg) for where, msg in merge_stages(lined, order))


def _with_first_line(src: Source, problem: Problem) -> Problem:
    """A duplicate names the line of the first declaration, not its JSON path."""
    if problem.first is None:
        return problem
    line = src.where(problem.first)[0]
    return Problem(
        problem.where, f"{problem.message} (first declared at line {line})", problem.stage
    )
