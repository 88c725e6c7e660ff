"""Runtime of the rest styles: token pair, rest calls, offset pages, text rules, sync, mirror.

Driven through ``httpx.MockTransport``; the vendor here is a dict of records.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pydantic
import pytest

from generator.runtime import (
    ApiConfig,
    APIErrorResponse,
    ErrorConfig,
    LimitsConfig,
    MirrorTable,
    MissingCredentialsError,
    OffsetConfig,
    PairToken,
    RouteInfo,
    SqliteMirror,
    SyncAPIClient,
    SyncConfig,
    SyncPage,
    TextRuleError,
    TokenPairConfig,
    UsageError,
    _offset_pagination,
    _rest_calls,
    _sync_cursor,
)
from generator.runtime._model import VendorModel

RULES = [
    "no_double_spaces",
    "no_tabs",
    "no_new_lines",
    "no_form_feeds",
    "no_carriage_returns",
    "no_control_characters",
    "no_unicode_spaces",
    "no_leading_space",
    "no_trailing_space",
]


class DeniedError(APIErrorResponse):
    code: ClassVar[str] = "DENIED"  # type: ignore[misc]
    status: ClassVar[int | None] = 401


class Thing(VendorModel):
    model_config = pydantic.ConfigDict(populate_by_name=True, extra="allow")
    uuid: str | None = None
    version_number: int | None = pydantic.Field(None, alias="versionNumber")
    deleted_timestamp: str | None = pydantic.Field(None, alias="deletedTimestamp")
    name: str = pydantic.Field(..., json_schema_extra={"textRules": RULES})
    note: str | None = None  # no rules: anything goes


CONFIG = ApiConfig(
    name="things",
    title="Things",
    stage="v1",
    base_url="http://things.test/v1",
    api_key_header=None,
    limits=LimitsConfig(rate=1000, burst=1000, quota=None),
    errors=ErrorConfig(codes={"DENIED": DeniedError}),
    token_pair=TokenPairConfig(
        tokens=(
            PairToken("license-id", "license", "THINGS_LICENSE"),
            PairToken("session-id", "session"),
        ),
        rejected_code="DENIED",
        rejected_hint="a newer session id replaced this one",
    ),
    offset=OffsetConfig(
        offset_param="start", size_param="limit", default_size=3, max_size=5
    ),
    sync=SyncConfig(
        items_key="items", cursor_key="cursor", ack_param="ack", size_param="limit"
    ),
)
GET = RouteInfo(
    name="things.get", method="GET", path="/things/{uuid}", response="object"
)
CREATE = RouteInfo(
    name="things.create",
    method="POST",
    path="/things",
    response="object",
    has_body=True,
    idempotent=False,
)
LIST = RouteInfo(
    name="things.list", method="GET", path="/things", paged=True, max_page_size=4
)
SYNC = RouteInfo(name="things.sync", method="GET", path="/sync/things")
TABLE = MirrorTable(
    "things",
    (
        ("uuid", "TEXT"),
        ("versionNumber", "INTEGER"),
        ("deletedTimestamp", "TEXT"),
        ("name", "TEXT"),
        ("note", "TEXT"),
    ),
)

Handler = Callable[[httpx.Request], httpx.Response]


def client(handler: Handler, **tokens: str) -> SyncAPIClient:
    given = {"license": "LIC-1", "session": "SES-1", **tokens}
    http = httpx.Client(transport=httpx.MockTransport(handler))
    return SyncAPIClient(CONFIG, http_client=http, tokens=given, retry=None)


def thing(i: int, version: int = 0, deleted: bool = False) -> dict[str, Any]:
    return {
        "uuid": f"u{i:03d}",
        "versionNumber": version,
        "deletedTimestamp": "2026-01-01" if deleted else None,
        "name": f"thing {i}",
        "note": None,
    }


def test_both_tokens_go_as_headers_on_every_call() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=thing(1))

    c = client(handler)
    _rest_calls.call(c, GET, path={"uuid": "a/b c"}, cast_to=Thing)
    _rest_calls.call(c, GET, path={"uuid": "x"}, cast_to=Thing)
    assert [r.headers["license-id"] for r in seen] == ["LIC-1", "LIC-1"]
    assert [r.headers["session-id"] for r in seen] == ["SES-1", "SES-1"]
    assert "x-api-key" not in seen[0].headers
    assert (
        seen[0].url.raw_path == b"/v1/things/a%2Fb%20c"
    )  # a path value cannot add a segment


def test_a_missing_token_names_its_keyword_and_env(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("THINGS_LICENSE", raising=False)
    with pytest.raises(
        MissingCredentialsError, match=r"license.*THINGS_LICENSE"
    ) as info:
        SyncAPIClient(CONFIG, tokens={"session": "S"})
    assert info.value.field == "license"
    monkeypatch.setenv("THINGS_LICENSE", "FROM-ENV")
    assert SyncAPIClient(CONFIG, tokens={"session": "S"})._pair is not None


def test_rejected_session_says_it_was_probably_replaced() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            401, json={"code": "DENIED", "message": "User not authorised"}
        )

    with pytest.raises(DeniedError) as info:
        _rest_calls.call(client(handler), GET, path={"uuid": "x"}, cast_to=Thing)
    assert "a newer session id replaced this one" in str(info.value)
    assert "SES-1" not in str(info.value) and "LIC-1" not in str(info.value)


def test_a_missing_path_parameter_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="path parameter"):
        _rest_calls.call(client(lambda r: httpx.Response(200)), GET, path={})


BAD = {
    "no_double_spaces": "two  spaces",
    "no_tabs": "a\tb",
    "no_new_lines": "a\nb",
    "no_form_feeds": "a\fb",
    "no_carriage_returns": "a\rb",
    "no_control_characters": "a\x07b",
    "no_unicode_spaces": "a\u00a0b",
    "no_leading_space": " ab",
    "no_trailing_space": "ab ",
}


@pytest.mark.parametrize("rule", RULES)
def test_each_text_rule_is_enforced_before_sending(rule: str) -> None:
    sent: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(201, json=thing(1))

    with pytest.raises(TextRuleError) as info:
        _rest_calls.call(
            client(handler), CREATE, body=Thing(name=BAD[rule]), cast_to=Thing
        )
    assert (info.value.field, info.value.rule) == ("Thing.name", rule)
    assert rule in str(info.value) and "Thing.name" in str(info.value)
    assert sent == []


def test_clean_text_and_unruled_fields_are_sent() -> None:
    bodies: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(json.loads(request.content))
        return httpx.Response(201, json=thing(1))

    body = Thing(name="Café au lait, 2 cups", note="free\ttext")
    _rest_calls.call(client(handler), CREATE, body=body, cast_to=Thing)
    assert bodies[0]["name"] == "Café au lait, 2 cups"


class Priced(VendorModel):
    price: Decimal


def test_money_is_written_as_the_exact_json_number() -> None:
    raw: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        raw.append(request.content)
        return httpx.Response(201, json={"price": 9.93})

    body = Priced(price=Decimal("9.930000000000000000001"))
    _rest_calls.call(client(handler), CREATE, body=body, cast_to=Priced)
    # a number, not pydantic's JSON-mode string, and not rounded through a float
    assert raw[0] == b'{"price":9.930000000000000000001}'


def paged_vendor(total: int, log: list[httpx.URL]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        log.append(request.url)
        start, limit = int(request.url.params["start"]), int(
            request.url.params["limit"]
        )
        return httpx.Response(
            200, json=[thing(i) for i in range(start, min(start + limit, total))]
        )

    return handler


def test_offset_walk_reads_every_record_lazily_and_stops_at_a_short_page() -> None:
    log: list[httpx.URL] = []
    c = client(paged_vendor(10, log))
    walk = _offset_pagination.iterate(c, LIST, Thing, query={"text": "t"}, size=3)
    assert log == []  # lazy
    names = [t.name for t in walk]
    assert names == [f"thing {i}" for i in range(10)]
    assert [u.params["start"] for u in log] == ["0", "3", "6", "9"]
    assert {u.params["text"] for u in log} == {"t"}


def test_offset_size_is_clamped_to_the_route_max_and_checked() -> None:
    log: list[httpx.URL] = []
    page = _offset_pagination.get_page(
        client(paged_vendor(10, log)), LIST, Thing, offset=2, size=50
    )
    assert (page.offset, page.size, len(page.items), page.next_offset) == (2, 4, 4, 6)
    with pytest.raises(UsageError, match="offset"):
        _offset_pagination.get_page(
            client(paged_vendor(1, log)), LIST, Thing, offset=-1
        )
    with pytest.raises(UsageError, match="size"):
        _offset_pagination.iterate(client(paged_vendor(1, log)), LIST, Thing, size=0)


class SyncVendor:
    """A server-side cursor per client: advances only when a page is acknowledged."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.log: list[dict[str, str]] = []
        self.changes = list(records)  # in change order
        self.acked = 0
        self.delivered = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(request.url.params)
        self.log.append(params)
        ack = params.get("ack")
        if ack is not None and self.acked < int(ack) <= self.delivered:
            self.acked = int(ack)
        page = self.changes[self.acked : self.acked + int(params["limit"])]
        self.delivered = max(self.delivered, self.acked + len(page))
        cursor = str(self.acked + len(page)) if page else None
        return httpx.Response(200, json={"items": page, "cursor": cursor})


def test_changes_acknowledge_each_page_when_the_next_is_asked_for() -> None:
    vendor = SyncVendor([thing(1), thing(2, 1), thing(3, 2, deleted=True)])
    changes = list(_sync_cursor.changes(client(vendor), SYNC, Thing, size=2))
    assert [(c.kind, c.id, c.version) for c in changes] == [
        ("upsert", "u001", 0),
        ("upsert", "u002", 1),
        ("delete", "u003", 2),
    ]
    assert [p.get("ack") for p in vendor.log] == [None, "2", "3"]
    assert vendor.acked == 3


def test_mirror_resumes_after_a_crash_mid_sync_without_loss_or_duplicates(
    tmp_path: Path,
) -> None:
    vendor = SyncVendor(
        [thing(i, 0) for i in range(5)] + [thing(1, 1), thing(2, 1, deleted=True)]
    )
    c = client(vendor)
    calls = 0

    def crashing(ack: str | None) -> SyncPage[Thing]:
        nonlocal calls
        calls += 1
        page = _sync_cursor.sync_page(c, SYNC, Thing, ack=ack, size=2)
        if calls == 3:
            raise RuntimeError("killed while storing the third page")
        return page

    db = tmp_path / "mirror.db"
    with SqliteMirror(db) as mirror, pytest.raises(RuntimeError):
        mirror.sync(TABLE, crashing)
    with SqliteMirror(db) as mirror:
        assert [r["uuid"] for r in mirror.rows(TABLE)] == [
            "u000",
            "u001",
            "u002",
            "u003",
        ]
        assert mirror.cursor(TABLE) == "4"
        received = mirror.sync(
            TABLE, lambda ack: _sync_cursor.sync_page(c, SYNC, Thing, ack=ack, size=2)
        )
        rows = {r["uuid"]: r for r in mirror.rows(TABLE)}
    assert received == 3  # the unacknowledged page again, then the last one
    assert sorted(rows) == [f"u{i:03d}" for i in range(5)]
    assert rows["u001"]["versionNumber"] == 1
    assert rows["u002"]["deletedTimestamp"] == "2026-01-01"
    assert [r["uuid"] for r in SqliteMirror(db).rows(TABLE, live_only=True)] == [
        "u000",
        "u001",
        "u003",
        "u004",
    ]


def test_mirror_keeps_the_higher_version(tmp_path: Path) -> None:
    def page(*records: dict[str, Any]) -> SyncPage[Thing]:
        config = CONFIG.sync
        assert config is not None
        response = httpx.Response(200, json={"items": list(records), "cursor": "c"})
        return _sync_cursor.read_page(config, SYNC, response, Thing)

    with SqliteMirror(tmp_path / "m.db") as mirror:
        mirror.apply(TABLE, page(thing(1, 3)))
        mirror.apply(TABLE, page({**thing(1, 2), "name": "stale"}))  # older: ignored
        mirror.apply(TABLE, page(thing(1, 3)))  # the same again: one row
        assert [(r["versionNumber"], r["name"]) for r in mirror.rows(TABLE)] == [
            (3, "thing 1")
        ]
        mirror.apply(TABLE, page({**thing(1, 4), "name": "new"}))
        assert [(r["versionNumber"], r["name"]) for r in mirror.rows(TABLE)] == [
            (4, "new")
        ]


def test_a_sync_page_that_is_not_a_list_of_records_is_rejected() -> None:
    from generator.runtime import ResponseValidationError

    c = client(lambda r: httpx.Response(200, json={"items": {"a": 1}}))
    with pytest.raises(ResponseValidationError, match="items"):
        _sync_cursor.sync_page(c, SYNC, Thing)
