"""The SOAP client core: one signed call per operation, wrapped in the politeness policies.

Order of a call: local refusals first (not-found suppression, the unique-reference
ledger, the minimum interval), then the signed request, retried only for faults the
vendor calls wait-and-retry and for answers that say "not received" (any non-200). A
call that was sent and got no answer may have succeeded: idempotent operations retry it,
the others (``submitOrder``) raise ``OutcomeUnknownError`` and are never sent again.

``SoapClient`` and ``AsyncSoapClient`` share ``_Core``; only sending and sleeping differ.
"""

from __future__ import annotations

import asyncio
import copy
import os
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Generic, Literal, TypeVar

import httpx
from lxml import etree
from pydantic import BaseModel, ValidationError

from ._soap_errors import (
    FaultError,
    MalformedResponseError,
    NotReceivedError,
    OutcomeUnknownError,
    ServiceError,
    TooSoonError,
)
from ._soap_policies import CachedAnswer, OperationPolicy, PolicyState, ids_in
from ._soap_transport import (
    Signer,
    SoapFault,
    SoapTransport,
    envelope,
    from_element,
    to_element,
)

__all__ = ["Answer", "AsyncSoapClient", "Operation", "Service", "SoapClient"]

R = TypeVar("R", bound=BaseModel)
IfTooSoon = Literal["cached", "raise"]
# A credential is PEM data (bytes) or the path of a PEM file.
Pem = bytes | str | os.PathLike[str]


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation as the generated client declares it."""

    name: str
    request_element: str
    response_element: str
    idempotent: bool
    policy: OperationPolicy = field(default_factory=OperationPolicy)


@dataclass(frozen=True, slots=True)
class Service:
    """What the generated package knows about the service as a whole."""

    package: str
    target_namespace: str
    error_namespace: str
    environments: Mapping[str, str]
    group_classes: Mapping[int | None, type[FaultError]]  # group start (None: contract)
    code_classes: Mapping[int, type[FaultError]]
    retry_delay: timedelta
    retry_attempts: int
    diagnosis: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Answer(Generic[R]):
    """A rate-limited operation's answer: ``cached`` when it is the last one, ``age`` old."""

    value: R
    age: timedelta
    cached: bool


def _pem(value: Pem) -> bytes:
    return value if isinstance(value, bytes) else Path(value).read_bytes()


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class _Core:
    """State and decisions shared by the sync and async clients."""

    service: Service
    signer: Signer
    url: str
    state: PolicyState
    not_found_for: timedelta | None
    clock: Callable[[], datetime]
    timeout: httpx.Timeout
    transport: SoapTransport = field(init=False)

    def __post_init__(self) -> None:
        self.transport = SoapTransport(self.signer, self.service.error_namespace)

    def envelope_of(self, op: Operation, request: BaseModel) -> etree._Element:
        return envelope(
            to_element(request, op.request_element, self.service.target_namespace)
        )

    def before(self, op: Operation, request: BaseModel) -> None:
        """Local refusals that need no lock held during the call."""
        policy = op.policy
        if policy.not_found_field is not None:
            value = str(_wire(request, policy.not_found_field))
            self.state.check_not_found(op.name, policy.not_found_field, value)
        if policy.unique_field is not None:
            value = str(_wire(request, policy.unique_field))
            self.state.reserve(op.name, policy.unique_field, value)

    def fault(self, op: Operation, fault: SoapFault) -> FaultError:
        """The typed exception of a fault: its code's class, else its group's."""
        code = fault.code
        cls = self.service.code_classes.get(code) if code is not None else None
        if cls is None:
            start = None if code is None else code - code % 100
            cls = self.service.group_classes.get(
                start, self.service.group_classes[None]
            )
        ids = fault.order_ids
        if not ids and code is not None and code in op.policy.unique_codes:
            ids = ids_in(fault.message, op.policy.id_pattern)  # IDs quoted in the text
        return cls(op.name, code, fault.message, ids)

    def after_error(
        self, op: Operation, request: BaseModel, error: ServiceError
    ) -> None:
        """Update the ledgers after a failed call."""
        policy = op.policy
        code = error.fault_code if isinstance(error, FaultError) else None
        if policy.not_found_field is not None and code in policy.not_found_codes:
            ttl = (
                self.not_found_for
                if self.not_found_for is not None
                else policy.not_found_for
            )
            value = str(_wire(request, policy.not_found_field))
            self.state.remember_not_found(op.name, value, ttl)
        if policy.unique_field is not None:
            value = str(_wire(request, policy.unique_field))
            if isinstance(error, FaultError) and code in policy.unique_codes:
                self.state.confirm(op.name, policy.unique_field, value, error.order_ids)
            elif not isinstance(error, OutcomeUnknownError):
                self.state.release(op.name, policy.unique_field, value)

    def after_success(
        self, op: Operation, request: BaseModel, response: BaseModel
    ) -> None:
        """Record the order that now holds a unique reference."""
        policy = op.policy
        if policy.unique_field is not None:
            value = str(_wire(request, policy.unique_field))
            held = tuple(
                str(v) for v in response.model_dump().values() if isinstance(v, str)
            )
            self.state.confirm(op.name, policy.unique_field, value, held[:1])

    def decode(self, op: Operation, response: httpx.Response) -> etree._Element:
        """The response element, or the typed error of this answer."""
        try:
            node = self.transport.decode(response)
        except SoapFault as fault:
            raise self.fault(op, fault) from None
        except ValueError as exc:
            if response.status_code != 200:
                raise NotReceivedError(
                    op.name, response.status_code, str(exc)
                ) from None
            raise MalformedResponseError(op.name, str(exc)) from None
        if response.status_code != 200:  # the vendor: no 200 means not received
            raise NotReceivedError(
                op.name, response.status_code, f"HTTP {response.status_code}"
            )
        assert isinstance(node, etree._Element)
        if etree.QName(node).localname != op.response_element:
            raise MalformedResponseError(op.name, f"expected {op.response_element}")
        return node

    def parse(self, op: Operation, node: etree._Element, cls: type[R]) -> R:
        try:
            return cls.model_validate(from_element(cls, node))
        except ValidationError as exc:
            raise MalformedResponseError(op.name, str(exc).splitlines()[0]) from None

    def transport_error(self, op: Operation, exc: httpx.TransportError) -> ServiceError:
        """Never connected: not received. Anything later: the outcome is unknown."""
        if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
            return NotReceivedError(op.name, None, type(exc).__name__)
        return OutcomeUnknownError(op.name, type(exc).__name__)

    def retryable(self, op: Operation, error: ServiceError) -> bool:
        if op.policy.throttle is not None:
            return False  # a retry after the delay would itself call inside the window
        if isinstance(error, FaultError):
            return error.wait_and_retry
        if isinstance(error, OutcomeUnknownError):
            return op.idempotent
        return isinstance(error, NotReceivedError)

    def cached(
        self, op: Operation, hit: CachedAnswer, cls: type[R], if_too_soon: IfTooSoon
    ) -> Answer[R]:
        throttle = op.policy.throttle
        assert throttle is not None
        if if_too_soon == "raise":
            raise TooSoonError(op.name, hit.fetched_at + throttle.interval)
        node = etree.fromstring(hit.xml)
        return Answer(self.parse(op, node, cls), self.clock() - hit.fetched_at, True)


def _wire(model: BaseModel, wire: str) -> object:
    for name, info in type(model).model_fields.items():
        if (info.alias or name) == wire:
            return getattr(model, name)
    raise KeyError(wire)


def _core(
    service: Service,
    certificate: Pem,
    private_key: Pem,
    *,
    environment: str | None,
    endpoint: str | None,
    state_path: str | os.PathLike[str] | None,
    not_found_for: timedelta | None,
    clock: Callable[[], datetime] | None,
    timeout: float,
) -> _Core:
    env = environment or next(iter(service.environments))
    if env not in service.environments:
        known = ", ".join(service.environments)
        raise ValueError(f"environment: unknown {env!r} (known: {known})")
    path = (
        Path(state_path)
        if state_path is not None
        else (
            Path.home() / ".cache" / "routegen" / f"{service.package}-policies.sqlite3"
        )
    )
    return _Core(
        service=service,
        signer=Signer(_pem(private_key), _pem(certificate)),
        url=endpoint or service.environments[env],
        state=PolicyState(path, clock or _utcnow, lock_timeout=timeout * 3),
        not_found_for=not_found_for,
        clock=clock or _utcnow,
        timeout=httpx.Timeout(timeout),
    )


class SoapClient:
    """Synchronous client core; generated clients add one method per operation."""

    SERVICE: Service

    def __init__(
        self,
        certificate: Pem,
        private_key: Pem,
        *,
        environment: str | None = None,
        endpoint: str | None = None,
        state_path: str | os.PathLike[str] | None = None,
        not_found_for: timedelta | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        timeout: float = 30.0,
        http_client: httpx.Client | None = None,
    ) -> None:
        self._core = _core(
            self.SERVICE,
            certificate,
            private_key,
            environment=environment,
            endpoint=endpoint,
            state_path=state_path,
            not_found_for=not_found_for,
            clock=clock,
            timeout=timeout,
        )
        self._sleep = sleep
        self._http = http_client or httpx.Client()

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._http.close()

    def __enter__(self) -> SoapClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _call(self, op: Operation, request: BaseModel, cls: type[R]) -> R:
        core = self._core
        core.before(op, request)
        try:
            node = self._send(op, core.envelope_of(op, request))
            result = core.parse(op, node, cls)
        except ServiceError as error:
            core.after_error(op, request, error)
            raise
        core.after_success(op, request, result)
        return result

    def _call_throttled(
        self, op: Operation, request: BaseModel, cls: type[R], if_too_soon: IfTooSoon
    ) -> Answer[R]:
        core = self._core
        throttle = op.policy.throttle
        assert throttle is not None
        env = core.envelope_of(op, request)
        with core.state.throttled(
            op.name, core.signer.fingerprint, etree.tostring(env), throttle
        ) as (hit, record):
            if hit is not None:
                return core.cached(op, hit, cls, if_too_soon)
            node = self._send(op, env)
            record(etree.tostring(node))
            return Answer(core.parse(op, node, cls), timedelta(0), False)

    def _send(self, op: Operation, env: etree._Element) -> etree._Element:
        core, service = self._core, self._core.service
        attempt = 0
        while True:
            attempt += 1
            try:
                return self._send_once(op, copy.deepcopy(env))
            except ServiceError as error:
                if not core.retryable(op, error):
                    raise
                if attempt > service.retry_attempts:
                    raise error.exhausted(attempt, service.diagnosis) from None
            self._sleep(service.retry_delay.total_seconds())

    def _send_once(self, op: Operation, env: etree._Element) -> etree._Element:
        core = self._core
        request = core.transport.build_request(
            self._http,
            "POST",
            core.url,
            env,
            headers={"SOAPAction": f'"{core.service.target_namespace}/{op.name}"'},
            timeout=core.timeout,
        )
        try:
            response = self._http.send(request)
        except httpx.TransportError as exc:
            raise core.transport_error(op, exc) from None
        return core.decode(op, response)


_LOOP_LOCKS: dict[tuple[int, Path], asyncio.Lock] = {}


def _loop_lock(path: Path) -> asyncio.Lock:
    """One lock per event loop and state file (an ``asyncio.Lock`` belongs to one loop)."""
    key = (id(asyncio.get_running_loop()), path.resolve())
    return _LOOP_LOCKS.setdefault(key, asyncio.Lock())


class AsyncSoapClient:
    """Asynchronous client core; the policies' SQLite work is short and done inline."""

    SERVICE: Service

    def __init__(
        self,
        certificate: Pem,
        private_key: Pem,
        *,
        environment: str | None = None,
        endpoint: str | None = None,
        state_path: str | os.PathLike[str] | None = None,
        not_found_for: timedelta | None = None,
        clock: Callable[[], datetime] | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        timeout: float = 30.0,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        self._core = _core(
            self.SERVICE,
            certificate,
            private_key,
            environment=environment,
            endpoint=endpoint,
            state_path=state_path,
            not_found_for=not_found_for,
            clock=clock,
            timeout=timeout,
        )
        self._sleep = sleep
        self._http = http_client or httpx.AsyncClient()

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self._http.aclose()

    async def __aenter__(self) -> AsyncSoapClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _call(self, op: Operation, request: BaseModel, cls: type[R]) -> R:
        core = self._core
        core.before(op, request)
        try:
            node = await self._send(op, core.envelope_of(op, request))
            result = core.parse(op, node, cls)
        except ServiceError as error:
            core.after_error(op, request, error)
            raise
        core.after_success(op, request, result)
        return result

    async def _call_throttled(
        self, op: Operation, request: BaseModel, cls: type[R], if_too_soon: IfTooSoon
    ) -> Answer[R]:
        # The window's SQLite lock is held across the await: a second coroutine of this
        # event loop must queue here, not block the loop on the lock the first one holds.
        async with _loop_lock(self._core.state.path):
            return await self._throttled(op, request, cls, if_too_soon)

    async def _throttled(
        self, op: Operation, request: BaseModel, cls: type[R], if_too_soon: IfTooSoon
    ) -> Answer[R]:
        core = self._core
        throttle = op.policy.throttle
        assert throttle is not None
        env = core.envelope_of(op, request)
        with core.state.throttled(
            op.name, core.signer.fingerprint, etree.tostring(env), throttle
        ) as (hit, record):
            if hit is not None:
                return core.cached(op, hit, cls, if_too_soon)
            node = await self._send(op, env)
            record(etree.tostring(node))
            return Answer(core.parse(op, node, cls), timedelta(0), False)

    async def _send(self, op: Operation, env: etree._Element) -> etree._Element:
        core, service = self._core, self._core.service
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._send_once(op, copy.deepcopy(env))
            except ServiceError as error:
                if not core.retryable(op, error):
                    raise
                if attempt > service.retry_attempts:
                    raise error.exhausted(attempt, service.diagnosis) from None
            await self._sleep(service.retry_delay.total_seconds())

    async def _send_once(self, op: Operation, env: etree._Element) -> etree._Element:
        core = self._core
        request = core.transport.build_request(
            self._http,
            "POST",
            core.url,
            env,
            headers={"SOAPAction": f'"{core.service.target_namespace}/{op.name}"'},
            timeout=core.timeout,
        )
        try:
            response = await self._http.send(request)
        except httpx.TransportError as exc:
            raise core.transport_error(op, exc) from None
        return core.decode(op, response)
