"""Records of a rest-style mock: CRUD with version numbers, tombstones and a sync log.

Every change (create, update, delete) takes the next number of one global sequence;
a record remembers the number of its last change. A session's sync cursor per model
is the highest number it has acknowledged, so the next sync page holds exactly the
records changed since then, in change order, deletions included as tombstones.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..spec.model import Model, StageApi, SyncStyle
from .data import ValueMaker

__all__ = ["Cursor", "RestStore", "StoreError", "iso"]

# The two moments every record carries (the vendor's documented record fields).
_CREATED, _MODIFIED = "createdTimestamp", "modifiedTimestamp"


def iso(moment: datetime) -> str:
    """Aware UTC as ISO 8601 with milliseconds and ``Z``."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class StoreError(Exception):
    """A request the store refuses: HTTP status and message (the app picks the code)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class Cursor:
    """One session's position in one model's change log."""

    acked: int = 0  # every change up to this number was acknowledged
    delivered: int = 0  # the highest number sent in a page so far


class RestStore:
    """Thread-safe records of every model of a rest-style stage."""

    def __init__(self, stage: StageApi, seed: int, now: Callable[[], datetime]) -> None:
        assert stage.sync is not None, "a rest mock needs the stage's sync style"
        self.stage = stage
        self.sync: SyncStyle = stage.sync
        self._now = now
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._seq = 0
        self.records: dict[str, dict[str, dict[str, Any]]] = {
            m.name: {} for m in stage.models
        }
        self._changed: dict[str, dict[str, int]] = {m.name: {} for m in stage.models}
        self._cursors: dict[tuple[str, str], Cursor] = {}

    # -- reading --------------------------------------------------------------------

    def live(self, model: str) -> list[dict[str, Any]]:
        """Records not deleted, in creation order."""
        with self._lock:
            deleted = self.sync.deleted_field
            return [dict(r) for r in self.records[model].values() if r[deleted] is None]

    def all(self, model: str) -> list[dict[str, Any]]:
        """Every record, tombstones included, in creation order."""
        with self._lock:
            return [dict(r) for r in self.records[model].values()]

    def get(self, model: str, ident: str) -> dict[str, Any]:
        """One live record; 404 for an unknown or deleted one."""
        with self._lock:
            record = self.records[model].get(ident)
            if record is None or record[self.sync.deleted_field] is not None:
                raise StoreError(404, f"no {model} has the id {ident}")
            return dict(record)

    # -- writing --------------------------------------------------------------------

    def seed(self, model: Model, count: int) -> None:
        """Add ``count`` generated records (deterministic for the store's seed)."""
        maker = ValueMaker(self.stage, self._rng, self._now())
        for i in range(count):
            values = maker.record(model, i + 1, {}, {})
            self.create(model, {k: v for k, v in values.items()})

    def create(self, model: Model, body: Mapping[str, Any]) -> dict[str, Any]:
        """A new record from the writable fields of ``body``: version 0, both stamps now."""
        with self._lock:
            moment = iso(self._now())
            record = {f.name: body.get(f.name) for f in model.fields if not f.read_only}
            ident = str(uuid.UUID(int=self._rng.getrandbits(128), version=4))
            record.update(
                {
                    self.sync.id_field: ident,
                    _CREATED: moment,
                    _MODIFIED: moment,
                    self.sync.version_field: 0,
                    self.sync.deleted_field: None,
                }
            )
            ordered = {f.name: record.get(f.name) for f in model.fields}
            self.records[model.name][ident] = ordered
            self._touch(model.name, ident)
            return dict(ordered)

    def update(
        self, model: Model, ident: str, body: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Replace the writable fields; one more version, modified now."""
        with self._lock:
            self.get(model.name, ident)
            record = self.records[model.name][ident]
            for f in model.fields:
                if not f.read_only:
                    record[f.name] = body.get(f.name)
            self._bump(record)
            self._touch(model.name, ident)
            return dict(record)

    def delete(self, model: Model, ident: str) -> None:
        """Keep a tombstone: deleted now, one more version."""
        with self._lock:
            self.get(model.name, ident)
            record = self.records[model.name][ident]
            record[self.sync.deleted_field] = iso(self._now())
            self._bump(record)
            self._touch(model.name, ident)

    def _bump(self, record: dict[str, Any]) -> None:
        if _MODIFIED in record:
            record[_MODIFIED] = iso(self._now())
        record[self.sync.version_field] += 1

    def _touch(self, model: str, ident: str) -> None:
        self._seq += 1
        changed = self._changed[model]
        changed.pop(ident, None)  # re-inserted last: dict order is change order
        changed[ident] = self._seq

    # -- synchronisation --------------------------------------------------------------

    def sync_page(
        self, session: str, model: str, ack: str | None, size: int
    ) -> tuple[list[dict[str, Any]], str | None]:
        """The next page for ``session`` after acknowledging ``ack``, and its cursor."""
        with self._lock:
            cursor = self._cursors.setdefault((session, model), Cursor())
            if ack is not None:
                if not ack.isdigit():
                    raise StoreError(
                        400, f"ack {ack!r} is not a cursor this server issued"
                    )
                if cursor.acked < int(ack) <= cursor.delivered:
                    cursor.acked = int(ack)
            changed = self._changed[model]
            pending = [(seq, i) for i, seq in changed.items() if seq > cursor.acked]
            page = sorted(pending)[:size]
            if not page:
                return [], None
            cursor.delivered = max(cursor.delivered, page[-1][0])
            records = [dict(self.records[model][i]) for _, i in page]
            return records, str(page[-1][0])

    def reset(self, session: str, model: str) -> None:
        """Start ``session``'s sync of ``model`` over."""
        with self._lock:
            self._cursors[(session, model)] = Cursor()

    def forget_session(self, session: str) -> None:
        """Drop every cursor of a session that was replaced."""
        with self._lock:
            for key in [k for k in self._cursors if k[0] == session]:
                del self._cursors[key]
