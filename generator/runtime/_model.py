"""Base class of every generated model.

The vendor sends ``…AtUtc`` timestamps without an offset ("all DateTimes are in
UTC"). Pydantic would keep them naive, and a naive value cannot be compared with the
aware ranges on ``Page``; so every datetime a model holds is made aware UTC here:
naive values are taken as UTC, aware ones converted.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pydantic

__all__ = ["VendorModel"]


class VendorModel(pydantic.BaseModel):
    """A pydantic model whose datetimes are always timezone-aware UTC."""

    @pydantic.field_validator("*", mode="after")
    @classmethod
    def _datetimes_are_utc(cls, value: Any) -> Any:
        if isinstance(value, datetime):
            if value.tzinfo is None:
                return value.replace(tzinfo=UTC)
            return value.astimezone(UTC)
        return value
