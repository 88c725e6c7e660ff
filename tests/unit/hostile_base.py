"""A small valid spec with token auth, and helpers to mutate, write and validate it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

import generator
from generator.spec.errors import SpecError

Spec = dict[str, Any]
Mutation = Callable[[Spec], None]


def base_spec() -> Spec:
    """Two stages, key + token auth, a paged read, a write, a model, an enum, a filter."""
    return copy.deepcopy(_BASE)


_BASE: Spec = {
    "routespec": 1,
    "api": {
        "name": "probe",
        "title": "Probe API",
        "version": "1.4.0",
        "base_url": "https://api.probe.test/{stage}",
        "error_root": "ProbeError",
    },
    "stages": [
        {"name": "v1", "description": "First."},
        {"name": "v2", "description": "Second."},
    ],
    "auth": {
        "api_key": {"header": "x-api-key"},
        "token": {
            "route": "auth.login",
            "username_field": "user",
            "password_field": "secret",
            "token_field": "token",
            "expires_field": "expiresAt",
            "header": "session-token",
            "lifetime": "1d",
            "expired_error": "TOKEN_EXPIRED",
        },
    },
    "limits": {"rate": 5, "burst": 10, "quota": 1000},
    "pagination": {"style": "headers", "max_size": 500},
    "date_range": {"start_field": "fromDate", "end_field": "toDate"},
    "filters": {
        "SearchFilter": {
            "standard": True,
            "fields": {
                "fromDate": {"type": "DateTime?"},
                "toDate": {"type": "DateTime?"},
                "shopIds": {"type": "List<int>?"},
                "colour": {"type": "Colour?"},
            },
        }
    },
    "models": {
        "Colour": {"enum": ["red", "green"]},
        "Session": {
            "fields": {
                "token": {"type": "string", "secret": True},
                "expiresAt": {"type": "string?"},
            }
        },
        "Gadget": {
            "description": "A gadget.",
            "fields": {
                "id": {"type": "int", "read_only": True},
                "label": {"type": "string", "max_length": 40},
                "weight": {"type": "double?", "minimum": 0},
                "colour": {"type": "Colour?"},
            },
        },
    },
    "errors": {
        "codes": {
            "TOKEN_EXPIRED": {"status": 401, "reauth": True, "description": "Expired."},
            "BAD_INPUT": {"status": 400, "description": "Bad input."},
        }
    },
    "routes": [
        {
            "name": "auth.login",
            "method": "POST",
            "path": "/login",
            "summary": "Log in.",
            "auth": "key",
            "response": {"model": "Session"},
        },
        {
            "name": "gadgets.list",
            "method": "POST",
            "path": "/gadgets",
            "summary": "List gadgets.",
            "paged": True,
            "request_filter": ["fromDate", "toDate", "shopIds", "colour"],
            "response": {"list_of": "Gadget"},
            "max_range": "31d",
        },
        {
            "name": "gadgets.update",
            "method": "PATCH",
            "path": "/gadgets",
            "summary": "Update gadgets.",
            "body": {"list_of": "Gadget"},
            "response": "none",
        },
    ],
}


def write_spec(spec: Spec, directory: Path, name: str = "spec.yaml") -> Path:
    """Dump ``spec`` as YAML (NaN and infinities as YAML's ``.nan``/``.inf``)."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    text = yaml.safe_dump(spec, sort_keys=False, allow_unicode=True, width=10_000)
    path.write_text(text, "utf-8")
    return path


def validate_spec(spec: Spec, directory: Path) -> list[SpecError]:
    """The errors ``routegen validate`` reports for ``spec`` ([] when accepted)."""
    _, errors = generator.validate(write_spec(spec, directory))
    return errors


def gadget(spec: Spec) -> dict[str, Any]:
    """The fields of the Gadget model (to mutate)."""
    fields: dict[str, Any] = spec["models"]["Gadget"]["fields"]
    return fields


def search(spec: Spec) -> dict[str, Any]:
    """The fields of the standard filter (to mutate)."""
    fields: dict[str, Any] = spec["filters"]["SearchFilter"]["fields"]
    return fields
