"""The exception tree of a generated SOAP client.

```
ServiceError                         (root; generated packages alias it as <Api>Error)
├── PolicyRefusal(ServiceError, ValueError)   refused locally, nothing was sent
│   ├── TooSoonError                 .operation, .retry_at: inside a minimum interval
│   ├── SuppressedNotFoundError      .operation, .field, .value, .until
│   └── DuplicateReferenceRefused    .operation, .field, .value, .order_ids (local ledger)
├── PolicyStateError                 the shared state file is unusable or stayed locked
├── NotReceivedError                 no 200 and no fault: the server did not take the request
├── OutcomeUnknownError              sent, no answer: it may have succeeded; never retried
├── MalformedResponseError           a 200 that is not the declared response element
└── FaultError                       a SOAP fault: .code .message .order_ids .operation
    └── (generated) one class per error group, one per known code under its group
```

A fault or refusal that exhausted the retry policy carries ``.attempts`` and
``.diagnosis`` (the vendor's checklist before raising a case with them).
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

__all__ = [
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


class ServiceError(Exception):
    """Root of every error a generated SOAP client raises."""

    attempts: int = 1
    diagnosis: tuple[str, ...] = ()

    def exhausted(self, attempts: int, diagnosis: tuple[str, ...]) -> ServiceError:
        """Mark this error as the last of ``attempts`` tries; the checklist joins its text."""
        self.attempts = attempts
        self.diagnosis = diagnosis
        checklist = "".join(f"\n  - {line}" for line in diagnosis)
        self.args = (
            f"{self.args[0] if self.args else ''} (after {attempts} attempts; "
            f"before raising it with the vendor check:{checklist})",
        )
        return self


class PolicyRefusal(ServiceError, ValueError):
    """A politeness policy refused the call before anything was sent."""

    def __init__(self, message: str, operation: str) -> None:
        super().__init__(message)
        self.operation = operation


class TooSoonError(PolicyRefusal):
    """The operation's minimum interval has not passed for this credential."""

    def __init__(self, operation: str, retry_at: datetime) -> None:
        super().__init__(
            f"{operation}: called too soon; allowed again at {retry_at.isoformat()}",
            operation,
        )
        self.retry_at = retry_at


class SuppressedNotFoundError(PolicyRefusal):
    """The server said this key does not exist; asking again is refused for a while."""

    def __init__(self, operation: str, field: str, value: str, until: datetime) -> None:
        super().__init__(
            f"{operation}: {field}={value!r} does not exist (server said so); "
            f"not asked again until {until.isoformat()}",
            operation,
        )
        self.field = field
        self.value = value
        self.until = until


class DuplicateReferenceRefused(PolicyRefusal):
    """The unique field's value was used before (the local ledger knows it)."""

    def __init__(
        self, operation: str, field: str, value: str, order_ids: tuple[str, ...]
    ) -> None:
        known = ", ".join(i for i in order_ids if i) or "an order not yet confirmed"
        super().__init__(
            f"{operation}: {field}={value!r} was already used (by {known}); not sent",
            operation,
        )
        self.field = field
        self.value = value
        self.order_ids = order_ids


class PolicyStateError(ServiceError):
    """The policy state file could not be read or written (or stayed locked too long)."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"policy state {path}: {reason}; nothing was sent")
        self.path = path


class NotReceivedError(ServiceError):
    """No success (200) and no fault: per the vendor the request was not received."""

    def __init__(self, operation: str, status_code: int | None, reason: str) -> None:
        super().__init__(f"{operation}: not received ({reason})")
        self.operation = operation
        self.status_code = status_code


class OutcomeUnknownError(ServiceError):
    """Sent, but no answer came back: the call may have succeeded. Never retried."""

    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(
            f"{operation}: sent but no answer ({reason}); it may have succeeded: check its "
            "status before sending it again"
        )
        self.operation = operation


class MalformedResponseError(ServiceError):
    """A 200 answer that is not the declared response element."""

    def __init__(self, operation: str, reason: str) -> None:
        super().__init__(f"{operation}: malformed response: {reason}")
        self.operation = operation


class FaultError(ServiceError):
    """A SOAP fault; generated subclasses say which group and code."""

    code: ClassVar[int | None] = None
    wait_and_retry: ClassVar[bool] = False

    def __init__(
        self,
        operation: str,
        fault_code: int | None,
        message: str,
        order_ids: tuple[str, ...],
    ) -> None:
        label = f"error {fault_code}" if fault_code is not None else "contract fault"
        ids = f" (orders: {', '.join(order_ids)})" if order_ids else ""
        super().__init__(f"{operation}: {label}: {message}{ids}")
        self.operation = operation
        self.fault_code = fault_code
        self.message = message
        self.order_ids = order_ids
