"""Politeness policies, enforced before and after each call, remembered in SQLite.

The state file is shared by every process using the same path (default
``~/.cache/routegen/<package>-policies.sqlite3``); SQLite's locking makes each check-and-
record atomic across processes. A minimum-interval call holds the write lock while it is
on the wire, so a second process waits and then gets the fresh answer instead of
calling too: that is what keeps a fleet of clients at one call per interval.

Times come from the injected clock (UTC, aware), so tests move time instead of waiting.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ._soap_errors import (
    DuplicateReferenceRefused,
    PolicyStateError,
    SuppressedNotFoundError,
    TooSoonError,
)

__all__ = ["OperationPolicy", "PolicyState", "Throttle"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS last_call (
    operation TEXT, scope TEXT, called_at TEXT, request TEXT, answer BLOB,
    PRIMARY KEY (operation, scope));
CREATE TABLE IF NOT EXISTS not_found (
    operation TEXT, value TEXT, until TEXT, PRIMARY KEY (operation, value));
CREATE TABLE IF NOT EXISTS ledger (
    operation TEXT, field TEXT, value TEXT, order_ids TEXT, at TEXT,
    PRIMARY KEY (operation, field, value));
"""


@dataclass(frozen=True, slots=True)
class Throttle:
    """At most one call per ``interval``; ``per_request`` narrows the window to equal requests."""

    interval: timedelta
    per_request: bool


@dataclass(frozen=True, slots=True)
class OperationPolicy:
    """Every policy of one operation (all optional)."""

    throttle: Throttle | None = None
    not_found_field: str | None = None
    not_found_codes: tuple[int, ...] = ()
    not_found_for: timedelta = timedelta(0)
    unique_field: str | None = None
    unique_codes: tuple[int, ...] = ()
    id_pattern: str | None = None


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    """The last answer of a throttled operation: raw XML and when it was fetched."""

    xml: bytes
    fetched_at: datetime


class PolicyState:
    """The shared state file; every method is one short transaction."""

    def __init__(
        self, path: Path, clock: Callable[[], datetime], lock_timeout: float
    ) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.clock = clock
        self.lock_timeout = lock_timeout
        with self._tx() as db:
            for statement in filter(str.strip, _SCHEMA.split(";")):
                db.execute(statement)

    @contextmanager
    def _tx(self) -> Iterator[sqlite3.Connection]:
        """One write transaction taken up front (BEGIN IMMEDIATE): no lost updates."""
        try:
            db = sqlite3.connect(
                self.path, timeout=self.lock_timeout, isolation_level=None
            )
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise PolicyStateError(str(self.path), str(exc)) from None
        try:
            yield db
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        finally:
            db.close()

    # --- minimum interval -------------------------------------------------------------

    @contextmanager
    def throttled(
        self, operation: str, scope: str, request: bytes, throttle: Throttle
    ) -> Iterator[tuple[CachedAnswer | None, Callable[[bytes], None]]]:
        """Hold the window's lock; yield (a still-valid answer or None, a recorder).

        Inside the window an equal request gets the cached answer; a different one raises
        ``TooSoonError`` (when the window is per credential). Outside it the caller calls
        and records the answer before the lock is released.
        """
        digest = hashlib.sha256(request).hexdigest()
        key = f"{scope}:{digest}" if throttle.per_request else scope
        with self._tx() as db:
            row = db.execute(
                "SELECT called_at, request, answer FROM last_call WHERE operation=? AND scope=?",
                (operation, key),
            ).fetchone()
            now = self.clock()
            if row is not None:
                called = datetime.fromisoformat(row[0])
                if now < called + throttle.interval:
                    if row[1] == digest and row[2] is not None:
                        yield CachedAnswer(bytes(row[2]), called), _ignore
                        return
                    raise TooSoonError(operation, called + throttle.interval)

            answers: list[bytes] = []
            failure: BaseException | None = None
            try:
                yield None, answers.append
            except (
                Exception
            ) as exc:  # sent or not, the window is spent: no quick re-try
                failure = exc
            db.execute(
                "INSERT OR REPLACE INTO last_call VALUES (?, ?, ?, ?, ?)",
                (
                    operation,
                    key,
                    now.isoformat(),
                    digest,
                    answers[-1] if answers else None,
                ),
            )
        if failure is not None:
            raise failure

    # --- not-found suppression ----------------------------------------------------------

    def check_not_found(self, operation: str, field: str, value: str) -> None:
        """Raise ``SuppressedNotFoundError`` while ``value`` is known not to exist."""
        with self._tx() as db:
            row = db.execute(
                "SELECT until FROM not_found WHERE operation=? AND value=?",
                (operation, value),
            ).fetchone()
        if row is not None:
            until = datetime.fromisoformat(row[0])
            if self.clock() < until:
                raise SuppressedNotFoundError(operation, field, value, until)

    def remember_not_found(self, operation: str, value: str, ttl: timedelta) -> None:
        """The server said ``value`` does not exist: refuse it for ``ttl``."""
        until = self.clock() + ttl
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO not_found VALUES (?, ?, ?)",
                (operation, value, until.isoformat()),
            )

    # --- unique references --------------------------------------------------------------

    def reserve(self, operation: str, field: str, value: str) -> None:
        """Claim ``value`` before sending; ``DuplicateReferenceRefused`` if it was used."""
        with self._tx() as db:
            row = db.execute(
                "SELECT order_ids FROM ledger WHERE operation=? AND field=? AND value=?",
                (operation, field, value),
            ).fetchone()
            if row is not None:
                ids = tuple(i for i in row[0].split(",") if i)
                raise DuplicateReferenceRefused(operation, field, value, ids)
            db.execute(
                "INSERT INTO ledger VALUES (?, ?, ?, '', ?)",
                (operation, field, value, self.clock().isoformat()),
            )

    def confirm(
        self, operation: str, field: str, value: str, order_ids: tuple[str, ...]
    ) -> None:
        """Record the order IDs that now hold ``value`` (after success or a duplicate fault)."""
        with self._tx() as db:
            db.execute(
                "INSERT OR REPLACE INTO ledger VALUES (?, ?, ?, ?, ?)",
                (
                    operation,
                    field,
                    value,
                    ",".join(order_ids),
                    self.clock().isoformat(),
                ),
            )

    def release(self, operation: str, field: str, value: str) -> None:
        """The request was not received: ``value`` is free again."""
        with self._tx() as db:
            db.execute(
                "DELETE FROM ledger WHERE operation=? AND field=? AND value=? AND order_ids=''",
                (operation, field, value),
            )


def _ignore(answer: bytes) -> None:
    """The recorder of a cached answer: nothing to record."""


def ids_in(text: str, pattern: str | None) -> tuple[str, ...]:
    """Order IDs quoted in a fault's text (when the fault has no ID list)."""
    return tuple(re.findall(pattern, text)) if pattern else ()
