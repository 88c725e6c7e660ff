"""Pydantic models of one stage, rendered by datamodel-code-generator as a library.

The stage's models become an OpenAPI 3.1 ``components.schemas`` document (OpenAPI
input, unlike bare JSON Schema, adds no root model), which datamodel-code-generator
turns into pydantic v2 classes: snake_case fields read from the wire name
(``validation_alias``) and written to it (``serialization_alias``), never ``alias``,
which is what a type checker reads from ``dataclass_transform``: users construct models
with the snake_case names and a strict checker needs no plugin; optional fields take a
keyword ``default=`` for the same reason. C# nullability as ``X | None``, ``decimal``
as ``Decimal``, constraints kept, read-only, local-time and text-format fields marked
in ``json_schema_extra``. Its timestamp and formatters are off: output must be
deterministic, and black runs once over everything later.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

from ..spec.model import Model, ModelField, StageApi, TypeRef
from ..spec.naming import docstring_text
from ..spec.wiretypes import PRIMITIVE_SCHEMAS

_BASE_CLASS = "_runtime._model.VendorModel"
_TEXT_DATES_BASE = "_runtime._model.TextDatesModel"
_PLAIN_BASE = "_runtime._model.VendorModelBase"


def _item_schema(base: str) -> dict[str, Any]:
    if base in PRIMITIVE_SCHEMAS:
        return dict(PRIMITIVE_SCHEMAS[base])
    return {"$ref": f"#/components/schemas/{base}"}


def type_schema(t: TypeRef) -> dict[str, Any]:
    """JSON Schema of a C#-style type (nullability included)."""
    item = _item_schema(t.base)
    schema = {"type": "array", "items": item} if t.is_list else item
    if not t.nullable:
        return schema
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}], "default": None}
    return {**schema, "type": [schema["type"], "null"], "default": None}


def _field_schema(f: ModelField, model_source: str | None = None) -> dict[str, Any]:
    schema = type_schema(f.type) if not f.also_accepts else _union_schema(f)
    constraints = {
        "maxLength": f.max_length,
        "minLength": f.min_length,
        "minimum": f.minimum,
        "maximum": f.maximum,
        "exclusiveMinimum": f.exclusive_minimum,
        "pattern": f.pattern,
    }
    schema.update({k: v for k, v in constraints.items() if v is not None})
    own = f.source if f.source != model_source else None  # the model's is in its doc
    if f.description or own:
        source = f" (source: {own})" if own else ""
        schema["description"] = f.description + source
    if f.read_only:
        schema["readOnly"] = True
    if f.local_time:  # VendorModel leaves these naive instead of stamping them UTC
        schema["localTime"] = True
    if f.wire_format:  # TextDatesModel parses these from the vendor's own text
        schema["wireFormat"] = f.wire_format
    if f.text_rules:  # read back by the runtime's _text_rules before a model is sent
        schema["textRules"] = list(f.text_rules)
    if f.secret:  # datamodel-code-generator renders a password string as SecretStr
        schema["format"] = "password"
    return schema


def _union_schema(f: ModelField) -> dict[str, Any]:
    """``anyOf`` every form of a field documented in more than one (``also_accepts``)."""
    forms = [type_schema(TypeRef(t.base, t.is_list, False, t.item_nullable)) for t in f.types]
    if f.type.nullable:
        return {"anyOf": [*forms, {"type": "null"}], "default": None}
    return {"anyOf": forms}


def _model_schema(m: Model) -> dict[str, Any]:
    # Read-only fields are optional: callers build models for writes without them.
    required = [f.name for f in m.fields if not f.type.nullable and not f.read_only]
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f.name: _field_schema(f, m.source) for f in m.fields},
    }
    if required:
        schema["required"] = required
    if m.description or m.source:
        source = f"\n\nSource: {m.source}." if m.source else ""
        # datamodel-code-generator copies it raw into the class docstring.
        schema["description"] = docstring_text(m.description + source)
    return schema


def stage_schema(stage: StageApi) -> dict[str, Any]:
    """The OpenAPI document holding every model and enum of ``stage``."""
    schemas: dict[str, Any] = {m.name: _model_schema(m) for m in stage.models}
    for e in stage.enums:
        schemas[e.name] = {"type": "string", "enum": list(e.values)}
        if e.description or e.source:
            source = f"\n\nSource: {e.source}." if e.source else ""
            schemas[e.name]["description"] = docstring_text(e.description + source)
    return {
        "openapi": "3.1.0",
        # no stage name: equal models of two stages make one job (``ModelsJob``)
        "info": {"title": stage.info.name, "version": "0"},
        "paths": {},
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def _validation_aliases(stage: StageApi) -> dict[str, list[str]]:
    """``{"Model.wireName": ["wireName"]}`` for every field whose Python name differs.

    Given as a list, datamodel-code-generator writes ``validation_alias`` (read from the
    wire) beside ``serialization_alias`` (written to it) instead of ``alias``: a type
    checker reads only ``alias`` from pydantic's ``dataclass_transform``, so the
    constructor a user type-checks takes the snake_case names.
    """
    return {
        f"{m.name}.{f.name}": [f.name]
        for m in stage.models
        for f in m.fields
        if f.py_name != f.name
    }


# Written into datamodel-code-generator's base-class import, then made relative: the
# output does not depend on the stage's package, so stages with the same models share it.
_PACKAGE = "routegen_stage_package"


@dataclass(frozen=True, slots=True)
class ModelsJob:
    """Everything datamodel-code-generator needs for one stage, as plain data.

    Equal jobs give equal output: stages whose models are the same run once, and a job
    crosses to a worker process without the whole stage.
    """

    document: str  # the OpenAPI document, JSON with sorted keys
    header: str
    aliases: tuple[tuple[str, tuple[str, ...]], ...]
    bases: tuple[tuple[str, str], ...]  # model -> base class other than VendorModel
    empty: bool  # no model and no enum: nothing for datamodel-code-generator to do


def _base_classes(stage: StageApi) -> tuple[tuple[str, str], ...]:
    """Model name -> base class, for models that do not take ``VendorModel``.

    Text dates need ``TextDatesModel``; a model with no datetime field takes
    ``VendorModelBase``, which runs no validator per record (the paging hot path).
    """
    bases: list[tuple[str, str]] = []
    for m in stage.models:
        if any(f.wire_format for f in m.fields):
            bases.append((m.name, f"{_PACKAGE}.{_TEXT_DATES_BASE}"))
        elif not any(t.base == "DateTime" for f in m.fields for t in f.types):
            bases.append((m.name, f"{_PACKAGE}.{_PLAIN_BASE}"))
    return tuple(bases)


def models_job(stage: StageApi, header: str) -> ModelsJob:
    """The datamodel-code-generator job of ``stage``'s models."""
    document = stage_schema(stage)
    return ModelsJob(
        document=json.dumps(document, sort_keys=True),
        header=header,
        aliases=tuple((k, tuple(v)) for k, v in _validation_aliases(stage).items()),
        bases=_base_classes(stage),
        empty=not document["components"]["schemas"],
    )


def render_models(stage: StageApi, header: str) -> str:
    """Python source of the stage's models (unformatted; black runs later)."""
    return run_models_job(models_job(stage, header))


def warm_up() -> None:
    """Import datamodel-code-generator and run it once on a one-model document, so the
    first real stage does not pay for its imports and configuration."""
    schema = {"type": "object", "properties": {"a": {"type": "string"}}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "warm-up", "version": "0"},
        "paths": {},
        "components": {"schemas": {"A": schema}},
    }
    run_models_job(ModelsJob(json.dumps(document), "#", (), (), False))


def run_models_job(job: ModelsJob) -> str:
    """Run datamodel-code-generator on ``job`` (a process-pool task)."""
    # Imported here: datamodel-code-generator is slow to import and only needed to render.
    from datamodel_code_generator import PythonVersion, generate
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from datamodel_code_generator.format import DatetimeClassType

    if job.empty:
        return job.header + "\n\nfrom __future__ import annotations\n"
    out = generate(
        job.document,
        input_file_type=InputFileType.OpenAPI,
        output_model_type=DataModelType.PydanticV2BaseModel,
        target_python_version=PythonVersion.PY_311,
        disable_timestamp=True,
        formatters=[],
        custom_file_header=job.header,
        snake_case_field=True,
        allow_population_by_field_name=True,
        aliases={k: list(v) for k, v in job.aliases},
        use_serialization_alias=True,
        # dataclass_transform reads a keyword default=; positional Field(None) looks required
        use_default_kwarg=True,
        use_schema_description=True,
        field_extra_keys={"readOnly", "localTime", "wireFormat", "textRules"},
        use_union_operator=True,
        use_standard_collections=True,
        strict_nullable=True,
        field_constraints=True,
        output_datetime_class=DatetimeClassType.Datetime,
        # Unknown fields the server adds within a stage survive a read-modify-write
        # (the vendor's PATCH sets every field that is not sent to null).
        extra_fields="allow",
        base_class=f"{_PACKAGE}.{_BASE_CLASS}",
        # only models with text dates pay for parsing them, only models with
        # datetimes for making them UTC
        base_class_map=dict(job.bases),
    )
    if not isinstance(out, str):
        raise TypeError(
            "datamodel-code-generator returned several modules for one document"
        )
    # datamodel-code-generator writes the base class import absolute; generated packages
    # import only relatively, so a vendored copy works under any parent package.
    out = out.replace(f"from {_PACKAGE}._runtime.", "from ._runtime.")
    return sort_imports(out)


def _top(line: str) -> str:
    return line.split()[1].split(".")[0]


def sort_imports(source: str) -> str:
    """Regroup the import block into stdlib then third-party sections, as isort would.

    datamodel-code-generator lists imports in discovery order; sorting them here keeps
    ``ruff check`` clean on the generated package without running a second tool.
    """
    lines = source.split("\n")
    block = [
        i
        for i, ln in enumerate(lines)
        if ln.startswith(("import ", "from ")) and not ln.startswith("from __future__")
    ]
    if not block:
        return source
    first, last = block[0], block[-1]
    imports = [ln for ln in lines[first : last + 1] if ln.strip()]
    std = sorted(ln for ln in imports if _top(ln) in sys.stdlib_module_names)
    local = sorted(ln for ln in imports if _top(ln) == "")
    other = sorted(ln for ln in imports if ln not in std and ln not in local)
    grouped: list[str] = []
    for section in (std, other, local):
        if section:
            grouped += ([""] if grouped else []) + section
    return "\n".join(lines[:first] + grouped + lines[last + 1 :])
