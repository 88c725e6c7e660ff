"""Render one stage of a SOAP spec into its package: models, errors, service, client, WSDL.

The package holds pydantic models (one per complex type and per request/response
element), the error classes (one per group and per known code), ``_service`` (the
operations and their policies as runtime values), ``Client``/``AsyncClient`` with one
method per operation, ``service.wsdl``, and the ``_soap_*`` runtime modules copied
verbatim. No REST runtime module is copied.
"""

from __future__ import annotations

import json
from typing import Any

from ..spec.model import format_duration
from ..spec.naming import class_name, one_line, param_name
from ..spec.soap import SoapApi, SoapField, SoapOperation, SoapType
from ..spec.wsdl import wsdl_document
from .templating import (
    RUNTIME,
    RenderedFile,
    from_import,
    header,
    import_sections,
    render_template,
)
from .views import docstring, isort_names, lit

__all__ = ["SOAP_RUNTIME_PREFIX", "render_soap_stage"]

# Runtime modules of SOAP clients; REST packages do not get them.
SOAP_RUNTIME_PREFIX = "_soap"


def render_soap_stage(api: SoapApi, stage: str) -> list[RenderedFile]:
    """Every file of the stage's project directory, paths relative to the output root."""
    pkg = api.package(stage)
    head = header(api.file)
    base = f"{pkg}/{pkg}"
    where = f"{one_line(api.info.title)}, stage {stage}"
    modules = {
        "models.py": ("soap/models.py.j2", _models(api), "Typed request, response and part models"),
        "_errors.py": ("soap/_errors.py.j2", _errors(api), "The exception classes"),
        "_service.py": (
            "soap/_service.py.j2",
            _service(api, pkg),
            "The service and its operations",
        ),
        "_client.py": ("soap/_client.py.j2", _client(api), "The clients, one method per operation"),
        "__init__.py": ("soap/__init__.py.j2", _init(api), "Typed SOAP client"),
    }
    files = [
        RenderedFile(
            f"{base}/{name}",
            render_template(
                template, header=head, module_doc=docstring(f"{what} of the {where}.", ""), **slots
            ),
            True,
        )
        for name, (template, slots, what) in modules.items()
    ]
    files.append(RenderedFile(f"{base}/py.typed", "", False))
    files.append(RenderedFile(f"{base}/service.wsdl", wsdl_document(api, stage), False))
    files.append(
        RenderedFile(
            f"{base}/_runtime/__init__.py",
            f'{head}\n"""The SOAP client core, copied verbatim from routegen\'s runtime."""\n',
            False,
        )
    )
    for path in sorted(RUNTIME.glob(f"{SOAP_RUNTIME_PREFIX}*.py")):
        text = head + "\n" + path.read_text(encoding="utf-8")
        files.append(RenderedFile(f"{base}/_runtime/{path.name}", text, False))
    files.append(RenderedFile(f"{pkg}/pyproject.toml", _pyproject(api, stage, pkg), False))
    files.append(RenderedFile(f"{pkg}/README.md", _readme(api, stage, pkg), False))
    return files


def all_models(api: SoapApi) -> list[SoapType]:
    """Complex types, then each operation's request and response, in spec order."""
    out = list(api.types)
    for op in api.operations:
        out += [op.request, op.response]
    return out


def _field_slots(f: SoapField) -> dict[str, str]:
    if f.is_list:
        default = "default_factory=list, "
    elif f.optional:
        default = "None, "
    else:
        default = ""
    text = f.description + (f" (source: {f.source})" if f.source else "")
    return {
        "py_name": f.py_name,
        "annotation": f.py_type,
        "default": default,
        "wire": f.name,
        "description": text,
    }


def _doc(text: str, source: str | None) -> str:
    return docstring(text + (f"\n\nSource: {source}." if source else ""))


# Where the annotation of each XSD primitive comes from.
_TYPE_IMPORTS = {
    "date": ("datetime", "date"),
    "decimal": ("decimal", "Decimal"),
    "dateTime": ("pydantic", "AwareDatetime"),
}


def _type_imports(fields: list[SoapField], extra: list[tuple[str, str]]) -> list[str]:
    """``from m import a, b`` lines (stdlib, blank line, third party) for ``fields``."""
    wanted = set(extra) | {_TYPE_IMPORTS[f.type] for f in fields if f.type in _TYPE_IMPORTS}
    by_module: dict[str, list[str]] = {}
    for module, name in sorted(wanted):
        by_module.setdefault(module, []).append(name)
    lines = {m: from_import(m, names) for m, names in by_module.items()}
    stdlib = [ln for m in sorted(lines) if m != "pydantic" for ln in lines[m]]
    return import_sections(stdlib, lines.get("pydantic", []))


def _models(api: SoapApi) -> dict[str, Any]:
    models = all_models(api)
    fields = [f for t in models for f in t.fields]
    extra = [("pydantic", n) for n in ("BaseModel", "ConfigDict", "Field")]
    if any(t.element for t in models):
        extra.append(("typing", "ClassVar"))
    return {
        "imports": _type_imports(fields, extra),
        "models": [
            {
                "name": t.name,
                "element": t.element,
                "doc": _doc(t.description or t.name, t.source),
                "fields": [_field_slots(f) for f in t.fields],
            }
            for t in all_models(api)
        ],
    }


def _errors(api: SoapApi) -> dict[str, Any]:
    groups = [
        {
            "class_name": g.class_name,
            "doc": docstring(
                f"Error group {g.code if g.code is not None else '(no code)'}: " f"{g.description}"
            ),
        }
        for g in api.groups
    ]
    codes = [
        {
            "class_name": c.class_name,
            "group": c.group,
            "code": c.code,
            "wait_and_retry": c.wait_and_retry,
            "doc": _doc(f"Code {c.code}: {c.description}", c.source),
        }
        for c in api.codes
    ]
    exports = sorted(
        [
            api.info.error_root,
            "DuplicateReferenceRefused",
            "FaultError",
            "MalformedResponseError",
            "NotReceivedError",
            "OutcomeUnknownError",
            "PolicyRefusal",
            "PolicyStateError",
            "ServiceError",
            "SuppressedNotFoundError",
            "TooSoonError",
        ]
        + [g.class_name for g in api.groups]
        + [c.class_name for c in api.codes]
    )
    return {"root": api.info.error_root, "groups": groups, "codes": codes, "exports": exports}


def _policy_args(api: SoapApi, op: SoapOperation) -> str:
    p = api.policies
    args: list[str] = []
    for m in (m for m in p.min_interval if m.operation == op.name):
        args.append(
            f"throttle=Throttle(timedelta(seconds={int(m.interval.total_seconds())}), "
            f"per_request={m.per == 'request'})"
        )
    for n in (n for n in p.not_found if n.operation == op.name):
        args += [
            f"not_found_field={lit(n.field)}",
            f"not_found_codes={lit(n.codes)}",
            f"not_found_for=timedelta(seconds={int(n.suppress_for.total_seconds())})",
        ]
    for u in (u for u in p.unique if u.operation == op.name):
        args += [
            f"unique_field={lit(u.field)}",
            f"unique_codes={lit(u.codes)}",
            f"id_pattern={lit(u.id_pattern)}",
        ]
    return ", ".join(args)


def _service(api: SoapApi, pkg: str) -> dict[str, Any]:
    return {
        "package": pkg,
        "target_namespace": api.target_namespace,
        "error_namespace": api.error_namespace,
        "environments": api.environments,
        "groups": [{"code": lit(g.code), "class_name": g.class_name} for g in api.groups],
        "codes": api.codes,
        "retry_seconds": int(api.policies.retry_delay.total_seconds()),
        "retry_attempts": api.policies.retry_attempts,
        "diagnosis": api.diagnosis,
        "operations": [
            {
                "name": op.name,
                "request_element": op.request.element,
                "response_element": op.response.element,
                "idempotent": op.idempotent,
                "policy": _policy_args(api, op),
            }
            for op in api.operations
        ],
    }


def _param(f: SoapField) -> dict[str, str]:
    base = (
        f"models.{f.type}"
        if f.is_complex
        else {
            "string": "str",
            "decimal": "Decimal",
            "int": "int",
            "boolean": "bool",
            "dateTime": "AwareDatetime",
            "date": "date",
        }[f.type]
    )
    if f.is_list:
        annotation, default = f"Sequence[{base}]", " = ()"
    elif f.optional:
        annotation, default = f"{base} | None", " = None"
    else:
        annotation, default = base, ""
    return {
        "name": param_name(f.name),
        "wire": f.name,
        "annotation": annotation,
        "default": default,
    }


def _throttled(api: SoapApi, op: SoapOperation) -> bool:
    return any(m.operation == op.name for m in api.policies.min_interval)


def _client(api: SoapApi) -> dict[str, Any]:
    ops = []
    for op in api.operations:
        params = sorted((_param(f) for f in op.request.fields), key=lambda p: p["default"] != "")
        note = (
            (
                "\n\nRate-limited: inside the minimum interval an equal request gets the last "
                "answer (``Answer.cached``, ``Answer.age``), or ``TooSoonError`` with "
                '``if_too_soon="raise"``.'
            )
            if _throttled(api, op)
            else ""
        )
        ops.append(
            {
                "name": op.name,
                "py_name": op.py_name,
                "params": params,
                "request": op.request.name,
                "response": op.response.name,
                "throttled": _throttled(api, op),
                "doc": docstring(f"``{op.name}``: {op.description}{note}", "        "),
            }
        )
    doc = docstring(f"{one_line(api.info.title)}: signed SOAP calls under the politeness policies.")
    fields = [f for op in api.operations for f in op.request.fields]
    extra = [("collections.abc", "Sequence")] if any(f.is_list for f in fields) else []
    return {
        "class_prefix": class_name(api.info.name),
        "operations": ops,
        "client_doc": doc,
        "imports": _type_imports(fields, extra),
    }


def _init(api: SoapApi) -> dict[str, Any]:
    prefix = class_name(api.info.name)
    clients = [f"Async{prefix}Client", f"{prefix}Client"]
    errors = _errors(api)["exports"]
    models = sorted(t.name for t in all_models(api))
    return {
        "clients": clients,
        "errors": isort_names(errors),
        "models": isort_names(models),
        "exports": sorted([*clients, *errors, *models, "Answer"]),
    }


def _pyproject(api: SoapApi, stage: str, pkg: str) -> str:
    return render_template(
        "soap/pyproject.toml.j2",
        toml_header=header(api.file),
        dist_lit=json.dumps(pkg.replace("_", "-")),
        version_lit=json.dumps(api.info.version or "0.0.0"),
        description_lit=json.dumps(one_line(f"{api.info.title} client, stage {stage}")),
        package=pkg,
    )


def _policy_lines(api: SoapApi) -> list[str]:
    p = api.policies
    lines = [
        f"`{m.operation}`: at most one call per {format_duration(m.interval)} per {m.per}; "
        "inside the window "
        'an equal request returns the last answer with its age (`if_too_soon="raise"` '
        "raises `TooSoonError`)."
        for m in p.min_interval
    ]
    lines += [
        f"`{n.operation}`: after fault {', '.join(map(str, n.codes))} for a `{n.field}`, "
        f"asking again is refused locally for {format_duration(n.suppress_for)} (`not_found_for=`)."
        for n in p.not_found
    ]
    lines += [
        f"`{u.operation}`: `{u.field}` must be unique; a local ledger refuses a repeat "
        "before sending; the server's duplicate fault carries the conflicting order IDs."
        for u in p.unique
    ]
    if p.retry_attempts:
        lines.append(
            f"Wait-and-retry faults are retried after {format_duration(p.retry_delay)}, at most "
            f"{p.retry_attempts} times (`sleep=` is injectable), then raised with the "
            "vendor's diagnosis checklist."
        )
    return lines


def _error_tree(api: SoapApi) -> list[str]:
    """The README's exception tree, one line each."""
    lines = [
        f"{api.info.error_root} (ServiceError)",
        "├── PolicyRefusal: TooSoonError, SuppressedNotFoundError, DuplicateReferenceRefused",
        "├── PolicyStateError, NotReceivedError, OutcomeUnknownError, MalformedResponseError",
        "└── FaultError",
    ]
    for i, g in enumerate(api.groups):
        last = i == len(api.groups) - 1
        label = f"{g.code}-{g.code + 99}" if g.code is not None else "no code"
        lines.append(f"    {'└' if last else '├'}── {g.class_name}  ({label})")
        codes = [c for c in api.codes if c.group == g.class_name]
        for j, c in enumerate(codes):
            branch = "└" if j == len(codes) - 1 else "├"
            lines.append(f"    {' ' if last else '│'}   {branch}── {c.class_name} ({c.code})")
    return lines


def _readme(api: SoapApi, stage: str, pkg: str) -> str:
    return render_template(
        "soap/README.md.j2",
        header=header(api.file, "<!--"),
        package=pkg,
        title=one_line(api.info.title),
        stage=stage,
        description=api.info.description,
        environments=api.environments,
        class_prefix=class_name(api.info.name),
        operations=[{"py_name": o.py_name, "response": o.response.name} for o in api.operations],
        policies=_policy_lines(api),
        non_idempotent=", ".join(f"`{o.name}`" for o in api.operations if not o.idempotent),
        error_tree=_error_tree(api),
    )
