"""``filters.py`` of a package: one pydantic filter class per filter object."""

from __future__ import annotations

from typing import Any

from ..spec.model import StageApi
from ..spec.naming import one_line
from . import views
from .layout import Brackets, dunder_all, lay
from .templating import from_import, import_sections
from .views import GroupView, docstring, lit

FILE = "filters.py"


def module_doc(where: str, stage: StageApi) -> str:
    """The module docstring."""
    return f"Filter objects of {where}; pass one as ``request_filter=`` to a read."


def context(stage: StageApi, groups: tuple[GroupView, ...] = ()) -> dict[str, Any]:
    """Slots of ``package/filters.py.j2``."""
    views_ = _filter_views(stage)
    return {
        "filters": views_,
        "imports": _filter_imports(stage),
        "all_": dunder_all([f["name"] for f in views_]),
    }


def _filter_imports(stage: StageApi) -> list[str]:
    types = [p.type for f in stage.filters for p in f.fields]
    dates = any(t.base == "DateTime" for t in types)
    stdlib = from_import("datetime", ["date", "datetime"] if dates else [])
    third = (
        from_import("pydantic", ["BaseModel", "ConfigDict", "Field"]) if stage.filters else []
    )
    lists = from_import(
        "._runtime", ["SequenceNotStr"] if any(t.is_list for t in types) else []
    )
    return import_sections(stdlib, third, lists + from_import(".models", _filter_enums(stage)))


def _filter_views(stage: StageApi) -> list[dict[str, Any]]:
    out = []
    for f in stage.filters:
        params = [
            {
                "line": lay(
                    Brackets(
                        f"{p.py_name}: {views.filter_annotation(p.type)} = Field(",
                        ("default=None", f"description={lit(one_line(p.description))}"),
                        ")",
                    ),
                    4,
                )
            }
            for p in f.fields
        ]
        out.append(
            {
                "name": f.name,
                "doc": docstring(f.description or f"The {f.name} of this stage."),
                "params": params,
            }
        )
    return out


def _filter_enums(stage: StageApi) -> list[str]:
    return sorted(
        {
            p.type.base
            for f in stage.filters
            for p in f.fields
            if stage.enum(p.type.base)
        }
    )

