"""``_errors.py`` of a package: the root error, one class per error code and gateway message."""

from __future__ import annotations

from typing import Any

from ..spec.model import ErrorCode, GatewayError, StageApi
from . import views
from .layout import keyword, lay
from .views import GroupView, docstring, lit

FILE = "_errors.py"


def module_doc(where: str, stage: StageApi) -> str:
    """The module docstring: the exception tree of the package."""
    gateway = ", ".join(g.name for g in stage.gateway) or "none"
    tree = (
        f"{stage.info.error_root} (every error this package raises)\n"
        "├── UsageError: bad arguments, raised before any request\n"
        "├── QuotaExhausted: the daily quota would be exceeded\n"
        "├── APIConnectionError / APITimeoutError: transport failures\n"
        "├── ResponseValidationError: a response that does not match the spec\n"
        "└── APIStatusError\n"
        f"    ├── GatewayError: {gateway}\n"
        "    └── APIErrorResponse: one class per error code below"
    )
    return f"Exceptions of {where}.\n\n{tree}"


def context(stage: StageApi, groups: tuple[GroupView, ...] = ()) -> dict[str, Any]:
    """Slots of ``package/_errors.py.j2``."""
    return error_context(stage)


def error_context(stage: StageApi) -> dict[str, Any]:
    def code(e: ErrorCode) -> dict[str, Any]:
        return {
            "class_name": e.class_name,
            "code_lit": lit(e.code),
            "status": e.status,
            "doc": docstring(f"{e.code} (HTTP {e.status}): {e.description}"),
        }

    def gate(g: GatewayError) -> dict[str, Any]:
        doc = f'Gateway {g.status} {{"message": {g.message!r}}}. {g.description}'
        return {
            "name": g.name,
            "status": g.status,
            "message_lit": lit(g.message),
            "doc": docstring(doc),
        }

    gateway = [gate(g) for g in stage.gateway]
    return {
        "root": stage.info.error_root,
        "errors": [code(e) for e in stage.errors],
        "gateway": gateway,
        "keys": stage.error_object,
        # Python literals, so the template has no branches.
        "retryable": lay(
            keyword(
                "retryable_gateway",
                views.frozenset_lit((g.status, g.message) for g in stage.gateway if g.retry),
            ),
            4,
            ",",
        ),
        "quota": lit(
            next(((g.status, g.message) for g in stage.gateway if g.quota), None)
        ),
        "unknown_path": lit(
            next(((g.status, g.message) for g in stage.gateway if g.unknown_path), None)
        ),
    }

