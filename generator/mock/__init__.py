"""A local server that behaves like the vendor, driven by one stage of a spec.

``create_app(stage, MockConfig(...))`` returns a Starlette app serving the stage under
``/{stage}``: gateway errors, API key and session token, header pagination, the date
range clamping rules, error objects with pointers, atomic bulk writes, the usage plan
and injectable faults (``app.state.faults``). ``MockServer`` runs it on loopback.
"""

from .app import ConnectionDropped, MockState, Stats, create_app
from .config import DEFAULT_API_KEY, Fault, Faults, ManualClock, MockConfig
from .server import MockServer

__all__ = [
    "DEFAULT_API_KEY",
    "ConnectionDropped",
    "Fault",
    "Faults",
    "ManualClock",
    "MockConfig",
    "MockServer",
    "MockState",
    "Stats",
    "create_app",
]
