"""Keeping credentials out of reprs, exception text and logs.

Credentials (API key, password, session token) are held as ``Secret`` so that printing
a client or its config never shows them, and ``RedactingFilter`` scrubs any that still
reach a log message, for example inside a URL or an exception's text.

Every client registers with ``redact_logger``: its logger gets one ``RedactingFilter``
(however many clients share the logger) that masks the secrets of every client still
alive, read per record so a renewed token is covered at once. The same filter goes on
the loggers of the transport (``httpx`` and every ``httpcore`` logger), whose INFO and
DEBUG records show status lines, reason phrases and headers a server sent back: a
secret echoed there is masked too. Handlers see only masked records from these
loggers; nothing else is scrubbed (a logger of your own that formats a response is
yours to filter, with ``RedactingFilter``).

Free text is only scrubbed of secrets at least ``MIN_REDACT_LENGTH`` (4) characters
long. A shorter one (``api_key="k"``) matches inside ordinary words, so masking it
would mangle every message ("update" -> "u***date") and, by the pattern of masks,
still reveal it; such a value is no secret worth the name. ``Secret`` itself always
shows ``***``, whatever its length.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import weakref
from collections.abc import Callable, Iterable
from typing import NoReturn, Protocol
from urllib.parse import quote

__all__ = [
    "MASK",
    "MIN_REDACT_LENGTH",
    "HasSecrets",
    "RedactingFilter",
    "Secret",
    "redact",
    "redact_logger",
    "redact_transport_loggers",
]

MASK = "***"
#: shorter secrets are not masked in free text (see the module docstring)
MIN_REDACT_LENGTH = 4


class Secret:
    """A string that never shows itself: ``repr``/``str``/f-strings give ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        """The real value, for the one place that sends it."""
        return self._value

    def __repr__(self) -> str:
        return MASK

    def __str__(self) -> str:
        return MASK

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Secret):
            return self._value == other._value
        return NotImplemented

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __bool__(self) -> bool:
        return bool(self._value)

    def __copy__(self) -> Secret:
        return self  # immutable, and copy would otherwise hit __reduce__ below

    def __deepcopy__(self, memo: dict[int, object]) -> Secret:
        return self

    def __reduce__(self) -> NoReturn:
        # Pickling would write the plain value to disk or a queue unnoticed.
        raise TypeError("Secret values cannot be pickled")


def _variants(secret: str) -> set[str]:
    """The forms a secret takes on the wire: as is, JSON-escaped and URL-encoded."""
    return {secret, json.dumps(secret)[1:-1], quote(secret, safe="")}


def redact(text: str, secrets: Iterable[str | Secret]) -> str:
    """Replace every occurrence of every secret in ``text`` with ``***``.

    Secrets shorter than ``MIN_REDACT_LENGTH`` are left in place: masking them would
    mangle ordinary words.
    """
    forms: set[str] = set()
    for secret in secrets:
        value = secret.get() if isinstance(secret, Secret) else secret
        if len(value) >= MIN_REDACT_LENGTH:
            forms |= _variants(value)
    if not forms:
        return text
    # One pass with the longest alternatives first: a secret that contains another is
    # masked whole, and a mask is never re-scanned for a shorter secret.
    ordered = sorted(forms, key=lambda form: (-len(form), form))
    pattern = re.compile("|".join(re.escape(form) for form in ordered))
    return pattern.sub(MASK, text)


class RedactingFilter(logging.Filter):
    """Logging filter that masks the current secrets in every record it sees.

    ``secrets`` is called per record so a token renewed after the filter was installed
    is masked too. Attach it to a handler to cover records from child loggers as well.
    """

    def __init__(
        self, secrets: Callable[[], Iterable[str | Secret]], name: str = ""
    ) -> None:
        super().__init__(name)
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        """Format the message once, mask it, and drop the args; never rejects a record."""
        secrets = [s for s in self._secrets() if s]
        if not secrets:
            return True
        record.msg = redact(_message(record), secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Handlers format the traceback later from exc_info; fix the text now.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, secrets)
        return True


def _message(record: logging.LogRecord) -> str:
    """The record's formatted message, even when its args do not match the format."""
    try:
        return record.getMessage()
    except Exception:
        # A bad format must not raise out of the caller's log call; keep the text.
        return f"{record.msg} {record.args!r}"


class HasSecrets(Protocol):
    """An object (a client) that can list the credentials it currently holds."""

    def _secrets(self) -> list[str]: ...


class _LiveSecretsFilter(RedactingFilter):
    """The one filter of a logger: masks the secrets of every registered live client."""

    def __init__(self) -> None:
        super().__init__(self._live_secrets)
        self._owners: weakref.WeakSet[HasSecrets] = weakref.WeakSet()
        self._owners_lock = threading.Lock()

    def add(self, owner: HasSecrets) -> None:
        with self._owners_lock:
            self._owners.add(owner)

    def _live_secrets(self) -> list[str]:
        # Copy under the lock: another thread may register a client mid-iteration.
        with self._owners_lock:
            owners = list(self._owners)
        return [secret for owner in owners for secret in owner._secrets()]


_install_lock = threading.Lock()


def redact_logger(logger: logging.Logger, owner: HasSecrets) -> None:
    """Mask ``owner``'s secrets in every record ``logger`` emits while it is alive.

    The filter is installed once per logger; later clients only join its weak set, so
    creating many clients neither stacks filters nor keeps dead clients alive.
    """
    with _install_lock:
        found = next(
            (f for f in logger.filters if isinstance(f, _LiveSecretsFilter)), None
        )
        if found is None:
            found = _LiveSecretsFilter()
            logger.addFilter(found)
    found.add(owner)


#: the loggers httpx and httpcore write to (a filter on a parent does not see a child's)
TRANSPORT_LOGGERS = (
    "httpx",
    "httpcore",
    "httpcore.connection",
    "httpcore.http11",
    "httpcore.http2",
    "httpcore.proxy",
    "httpcore.socks",
)


def redact_transport_loggers(owner: HasSecrets) -> None:
    """Mask ``owner``'s secrets in the records of httpx's and httpcore's loggers."""
    for name in TRANSPORT_LOGGERS:
        redact_logger(logging.getLogger(name), owner)
