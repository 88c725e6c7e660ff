"""The model of a SOAP spec (``protocol: soap``): operations, elements, faults, policies.

A SOAP spec has no routes, filters or paging; it has typed operations (document/literal),
fault groups and politeness policies. ``build_soap`` turns a schema-valid spec into a
``SoapApi`` plus the meaning problems found (unknown types, policies naming unknown
operations or fields, codes outside every group). Names and Python types are computed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from .errors import JsonPath
from .model import ApiInfo, StageInfo, parse_duration
from .naming import class_name, package_name, snake_case

# XML Schema primitives a field may use, and the Python type each becomes.
XSD_PYTHON: Mapping[str, str] = {
    "string": "str",
    "decimal": "Decimal",
    "int": "int",
    "boolean": "bool",
    "dateTime": "AwareDatetime",
    "date": "date",
}


@dataclass(frozen=True, slots=True)
class SoapField:
    """One child element, in sequence order."""

    name: str  # wire name
    py_name: str
    type: str  # XSD primitive or a declared complex type
    is_list: bool
    optional: bool
    description: str
    source: str | None

    @property
    def is_complex(self) -> bool:
        """True when the type is a declared complex type, not an XSD primitive."""
        return self.type not in XSD_PYTHON

    @property
    def py_type(self) -> str:
        """The model field's annotation."""
        base = self.type if self.is_complex else XSD_PYTHON[self.type]
        if self.is_list:
            return f"list[{base}]"
        return f"{base} | None" if self.optional else base


@dataclass(frozen=True, slots=True)
class SoapType:
    """A complex type (a pydantic model); requests and responses are ones too."""

    name: str  # class name
    element: str | None  # global element name for requests and responses
    description: str
    source: str | None
    fields: tuple[SoapField, ...]


@dataclass(frozen=True, slots=True)
class SoapOperation:
    """One operation: a request element in, a response element out."""

    name: str  # wire name, e.g. submitOrder
    py_name: str
    description: str
    source: str | None
    idempotent: bool
    request: SoapType
    response: SoapType


@dataclass(frozen=True, slots=True)
class ErrorGroup:
    """Faults whose code lies in ``code``..``code + 99`` (``None``: faults without a code)."""

    name: str
    code: int | None
    class_name: str
    description: str


@dataclass(frozen=True, slots=True)
class FaultCode:
    """One known fault code inside a group."""

    code: int
    class_name: str
    group: str  # class name of its group
    description: str
    wait_and_retry: bool
    source: str | None


@dataclass(frozen=True, slots=True)
class MinInterval:
    """At most one call of ``operation`` per ``interval``."""

    operation: str
    interval: timedelta
    per: Literal["credential", "request"]


@dataclass(frozen=True, slots=True)
class NotFound:
    """After fault ``codes`` for a key, refuse calls with that key for ``suppress_for``."""

    operation: str
    field: str
    codes: tuple[int, ...]
    suppress_for: timedelta


@dataclass(frozen=True, slots=True)
class Unique:
    """``field`` of ``operation`` never repeats; fault ``codes`` report a duplicate."""

    operation: str
    field: str
    codes: tuple[int, ...]
    id_pattern: str | None


@dataclass(frozen=True, slots=True)
class Policies:
    """Every politeness policy of the API."""

    min_interval: tuple[MinInterval, ...] = ()
    not_found: tuple[NotFound, ...] = ()
    unique: tuple[Unique, ...] = ()
    retry_delay: timedelta = timedelta(0)
    retry_attempts: int = 0


@dataclass(frozen=True, slots=True)
class Environment:
    """One endpoint of the contract."""

    name: str
    url: str
    description: str
    source: str | None


@dataclass(frozen=True, slots=True)
class SoapApi:
    """A whole SOAP spec; one stage (one package) per declared stage."""

    file: str
    info: ApiInfo
    stages: tuple[StageInfo, ...]
    target_namespace: str
    error_namespace: str
    service: str
    environments: tuple[Environment, ...]
    types: tuple[SoapType, ...]
    operations: tuple[SoapOperation, ...]
    groups: tuple[ErrorGroup, ...]
    codes: tuple[FaultCode, ...]
    diagnosis: tuple[str, ...]
    policies: Policies

    @property
    def stage_names(self) -> tuple[str, ...]:
        """Stage names, oldest first."""
        return tuple(s.name for s in self.stages)

    def package(self, stage: str) -> str:
        """The package name of ``stage``."""
        return package_name(self.info.name, stage)

    def operation(self, name: str) -> SoapOperation | None:
        """The operation called ``name`` (wire name)."""
        return next((o for o in self.operations if o.name == name), None)


def is_soap(raw: Mapping[str, Any]) -> bool:
    """True for a spec declaring ``protocol: soap``."""
    return raw.get("protocol") == "soap"


def build_soap(raw: Mapping[str, Any], file: str) -> tuple[SoapApi, list[tuple[JsonPath, str]]]:
    """Build a schema-valid SOAP spec; problems are (location, message) pairs."""
    soap = raw["soap"]
    problems: list[tuple[JsonPath, str]] = []
    types = tuple(
        _type(name, None, t) for name, t in soap["types"].items()
    )
    operations = tuple(_operation(n, o) for n, o in soap["operations"].items())
    groups, codes = _errors(soap["errors"], problems)
    api = SoapApi(
        file=file,
        info=_info(raw["api"]),
        stages=tuple(
            StageInfo(
                s["name"],
                s["description"].strip(),
                s.get("breaking", True),
                s.get("prerelease", False),
                i,
            )
            for i, s in enumerate(raw["stages"])
        ),
        target_namespace=soap["target_namespace"],
        error_namespace=soap["error_namespace"],
        service=soap["service"],
        environments=tuple(
            Environment(e["name"], e["url"], e["description"].strip(), e.get("source"))
            for e in soap["environments"]
        ),
        types=types,
        operations=operations,
        groups=groups,
        codes=codes,
        diagnosis=tuple(d.strip() for d in soap["errors"].get("diagnosis", [])),
        policies=_policies(raw.get("policies", {})),
    )
    problems += check_soap(api)
    return api, problems


def _info(api: Mapping[str, Any]) -> ApiInfo:
    return ApiInfo(
        name=api["name"],
        title=api["title"],
        description=" ".join(api.get("description", "").split()),
        version=api.get("version", ""),
        base_url=api.get("base_url", ""),
        error_root=api.get("error_root") or class_name(api["name"]) + "Error",
        api_key_env=api.get("api_key_env"),
    )


def _fields(raw: Sequence[Mapping[str, Any]]) -> tuple[SoapField, ...]:
    return tuple(
        SoapField(
            name=f["name"],
            py_name=snake_case(f["name"]),
            type=f["type"],
            is_list=f.get("list", False),
            optional=f.get("optional", False),
            description=" ".join(f["description"].split()),
            source=f.get("source"),
        )
        for f in raw
    )


def _type(
    name: str, element: str | None, raw: Mapping[str, Any], role: str = ""
) -> SoapType:
    text = raw.get("description") or (f"The {role} element ``{element}``." if element else name)
    return SoapType(
        name=name,
        element=element,
        description=" ".join(text.split()),
        source=raw.get("source"),
        fields=_fields(raw["fields"]),
    )


def _operation(name: str, raw: Mapping[str, Any]) -> SoapOperation:
    req, resp = raw["request"], raw["response"]
    return SoapOperation(
        name=name,
        py_name=snake_case(name),
        description=" ".join(raw["description"].split()),
        source=raw.get("source"),
        idempotent=raw.get("idempotent", True),
        request=_type(class_name(req["element"]), req["element"], req, f"{name} request"),
        response=_type(class_name(resp["element"]), resp["element"], resp, f"{name} response"),
    )


def _errors(
    raw: Mapping[str, Any], problems: list[tuple[JsonPath, str]]
) -> tuple[tuple[ErrorGroup, ...], tuple[FaultCode, ...]]:
    groups = tuple(
        ErrorGroup(g["name"], g["code"], g["class"], " ".join(g["description"].split()))
        for g in raw["groups"]
    )
    codes = []
    for i, c in enumerate(raw.get("codes", [])):
        group = next(
            (g for g in groups if g.code is not None and g.code <= c["code"] < g.code + 100),
            None,
        )
        if group is None:
            problems.append(
                (("soap", "errors", "codes", i, "code"), f"code {c['code']} is in no group")
            )
            continue
        codes.append(
            FaultCode(
                code=c["code"],
                class_name=c["name"] + "Error",
                group=group.class_name,
                description=" ".join(c["description"].split()),
                wait_and_retry=c.get("wait_and_retry", False),
                source=c.get("source"),
            )
        )
    return groups, tuple(codes)


def _policies(raw: Mapping[str, Any]) -> Policies:
    retry = raw.get("retry", {})
    return Policies(
        min_interval=tuple(
            MinInterval(p["operation"], parse_duration(p["interval"]), p.get("per", "credential"))
            for p in raw.get("min_interval", [])
        ),
        not_found=tuple(
            NotFound(
                p["operation"], p["field"], tuple(p["codes"]), parse_duration(p["suppress_for"])
            )
            for p in raw.get("not_found", [])
        ),
        unique=tuple(
            Unique(p["operation"], p["field"], tuple(p["codes"]), p.get("id_pattern"))
            for p in raw.get("unique", [])
        ),
        retry_delay=parse_duration(retry["delay"]) if retry else timedelta(0),
        retry_attempts=retry.get("attempts", 0),
    )


def check_soap(api: SoapApi) -> list[tuple[JsonPath, str]]:
    """Meaning problems: unknown types, duplicate elements, policies naming unknown things."""
    problems: list[tuple[JsonPath, str]] = []
    declared = {t.name for t in api.types}
    holders = [(("soap", "types", t.name), t) for t in api.types] + [
        (("soap", "operations", o.name, part), getattr(o, part))
        for o in api.operations
        for part in ("request", "response")
    ]
    for where, holder in holders:
        for i, f in enumerate(holder.fields):
            if f.is_complex and f.type not in declared:
                problems.append(((*where, "fields", i, "type"), f"unknown type {f.type!r}"))
    elements = [o.request.element for o in api.operations] + [
        o.response.element for o in api.operations
    ]
    clashes = sorted({e for e in elements if elements.count(e) > 1 and e is not None})
    problems += [(("soap", "operations"), f"element {e!r} used twice") for e in clashes]
    problems += _check_policies(api)
    return problems


def _check_policies(api: SoapApi) -> list[tuple[JsonPath, str]]:
    problems: list[tuple[JsonPath, str]] = []
    known_codes = {c.code for c in api.codes}
    for kind in ("min_interval", "not_found", "unique"):
        for i, p in enumerate(getattr(api.policies, kind)):
            where: JsonPath = ("policies", kind, i)
            op = api.operation(p.operation)
            if op is None:
                problems.append(((*where, "operation"), f"unknown operation {p.operation!r}"))
                continue
            field = getattr(p, "field", None)
            if field is not None and field not in {f.name for f in op.request.fields}:
                problems.append(
                    ((*where, "field"), f"{p.operation} has no request field {field!r}")
                )
            for code in getattr(p, "codes", ()):
                if code not in known_codes:
                    problems.append(((*where, "codes"), f"code {code} is not declared"))
    return problems
