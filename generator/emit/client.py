"""``_client.py`` of a package: ``Client`` and ``AsyncClient`` with one attribute per group."""

from __future__ import annotations

from typing import Any

from ..spec.model import StageApi
from . import rest_views, views
from .views import GroupView, docstring

FILE = "_client.py"


def module_doc(where: str, stage: StageApi) -> str:
    """The module docstring."""
    return f"``Client`` and ``AsyncClient`` of {where}."


def context(stage: StageApi, groups: tuple[GroupView, ...]) -> dict[str, Any]:
    """Slots of ``package/_client.py.j2``."""
    flavours = [
        {
            "prefix": p,
            "base": base,
            "http": http,
            "doc": docstring(_client_doc(stage, p == "Async")),
        }
        for p, base, http in (
            ("", "SyncAPIClient", "httpx.Client"),
            ("Async", "AsyncAPIClient", "httpx.AsyncClient"),
        )
    ]
    names = [n for g in groups for n in (g.class_name, "Async" + g.class_name)]
    credentials, credential_args = rest_views.credentials(stage)
    return {
        "credentials": credentials,
        "credential_args": credential_args,
        "groups": groups,
        "flavours": flavours,
        "resource_imports": views.isort_names(names),
    }


def _client_doc(stage: StageApi, is_async: bool) -> str:
    kind = "Asynchronous" if is_async else "Synchronous"
    return (
        f"{kind} client of {stage.info.title}, stage {stage.stage.name}.\n\n"
        f"Default base URL: {stage.base_url}. Use as a context manager so connections are closed."
    )

