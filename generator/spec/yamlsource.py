"""Read a YAML spec into plain Python data while keeping the line and column of every node.

PyYAML's composer gives nodes with marks; we construct the values ourselves so that
duplicate keys, merge keys and alias bombs are caught as located errors instead of
being silently resolved (PyYAML keeps the last duplicate and expands aliases freely).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import JsonPath, SpecError, short_repr

MAX_BYTES = 2 * 1024 * 1024  # a spec is hand-written; anything bigger is a mistake
MAX_NODES = 200_000  # bounds alias expansion (billion laughs) and memory
MAX_DEPTH = 64
_STANDARD_TAG = "tag:yaml.org,2002:"  # str, int, float, bool, null, seq, map, timestamp


@dataclass
class Source:
    """Parsed YAML data plus the (line, column) of each JSON path, 1-based."""

    file: str
    data: Any = None
    positions: dict[JsonPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: JsonPath) -> tuple[int, int]:
        """Position of ``path``, or of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(path[:end])
            if pos is not None:
                return pos
        return (1, 1)

    def error(self, path: JsonPath, message: str) -> SpecError:
        """A ``SpecError`` located at ``path``."""
        line, column = self.where(path)
        return SpecError(self.file, line, column, message, path)


class _Abort(Exception):
    def __init__(self, error: SpecError) -> None:
        self.error = error


def read_source(
    path: Path, display: str | None = None
) -> tuple[Source, list[SpecError]]:
    """Read and parse ``path``; errors are returned, never raised."""
    name = display or str(path)
    src = Source(name)
    try:
        raw = _read_regular(path)
    except _NotRegular as exc:
        return src, [SpecError(name, 1, 1, str(exc))]
    except OSError as exc:
        return src, [SpecError(name, 1, 1, f"cannot read spec: {exc.strerror or exc}")]
    text, err = _decode(name, raw)
    if err is not None:
        return src, [err]
    return parse_text(text, name)


class _NotRegular(Exception):
    pass


def _read_regular(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``; never blocks on a FIFO.

    ``O_NONBLOCK`` makes opening a FIFO return at once (a plain open waits for a
    writer forever); the check on the open descriptor then refuses devices, FIFOs
    and sockets, and a file swapped for one after a ``stat`` cannot slip through.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise _NotRegular("spec is not a regular file (a device, FIFO or socket?)")
        if info.st_size > MAX_BYTES:
            msg = f"spec is too large ({info.st_size:,} bytes; the limit is {MAX_BYTES:,})"
            raise _NotRegular(msg)
        # Read one byte past the limit: a file that grew after fstat is still refused.
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _NotRegular(f"spec is too large (over {MAX_BYTES:,} bytes)")
    return data


def parse_text(text: str, name: str) -> tuple[Source, list[SpecError]]:
    """Parse YAML text; see ``read_source``."""
    src = Source(name)
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        return src, [SpecError(name, 1, 1, "spec is empty")]
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        return src, [SpecError(name, line, col, f"invalid YAML: {problem}{_hint(exc)}")]
    except yaml.YAMLError as exc:
        return src, [SpecError(name, 1, 1, f"invalid YAML: {exc}")]
    except RecursionError:
        return src, [
            SpecError(name, 1, 1, f"spec nests deeper than {MAX_DEPTH} levels")
        ]
    if node is None:
        return src, [SpecError(name, 1, 1, "spec is empty")]
    builder = _Builder(src)
    try:
        src.data = builder.build(node, (), 0)
    except _Abort as abort:
        return src, [abort.error]
    return src, builder.errors


_FAST_LOADER = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML was built with it
_BRACKETS = re.compile(r"[\[\]{}]")
# A plain scalar ending in "?" inside a flow collection ({type: int?}): libyaml accepts
# it, PyYAML's own parser does not. Such text takes the pure-Python path, so a spec
# means the same (and fails the same way) whether or not libyaml is installed.
_FLOW_QUESTION = re.compile(r"\?[ \t]*[,}\]]")


def _compose(text: str) -> yaml.Node | None:
    """The node tree, through libyaml when it is safe (about ten times faster).

    libyaml's composer recurses in C without Python's recursion guard, so text whose
    flow brackets could nest deeper than ``MAX_DEPTH`` goes to the pure-Python parser,
    which raises ``RecursionError`` instead of overflowing the C stack. A spec libyaml
    rejects is parsed again in pure Python, so messages and positions do not depend on
    whether libyaml is installed.
    """
    fast = not _FLOW_QUESTION.search(text) and _flow_depth(text) <= MAX_DEPTH
    if _FAST_LOADER is not None and fast:
        try:
            return yaml.compose(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _flow_depth(text: str) -> int:
    """An upper bound of flow nesting (brackets inside strings count too)."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            break
    return deepest


def _hint(exc: yaml.MarkedYAMLError) -> str:
    """The fix for PyYAML's message about the pitfall of nullable types in flow mappings."""
    if "flow mapping" in str(exc.context) and "'?'" in str(exc.problem):
        return ' (inside {...} a plain value ends at "?": quote it, e.g. {type: "int?"})'
    return ""


def _decode(name: str, raw: bytes) -> tuple[str, SpecError | None]:
    if b"\x00" in raw[:8192]:
        return "", SpecError(name, 1, 1, "spec is a binary file, not YAML text")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        msg = f"spec is not UTF-8 text (byte 0x{raw[exc.start]:02x})"
        return "", SpecError(name, line, col, msg)


class _Builder:
    """Turns composed nodes into dicts, lists and scalars, recording positions."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.errors: list[SpecError] = []
        self.count = 0
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        self.count += 1
        line, col = node.start_mark.line + 1, node.start_mark.column + 1
        if self.count > MAX_NODES:
            msg = f"spec expands to more than {MAX_NODES:,} nodes (an alias bomb?)"
            raise _Abort(SpecError(self.src.file, line, col, msg, path))
        if depth > MAX_DEPTH:
            msg = f"spec nests deeper than {MAX_DEPTH} levels"
            raise _Abort(SpecError(self.src.file, line, col, msg, path))
        if not node.tag.startswith(_STANDARD_TAG):
            msg = f"unsupported YAML tag {node.tag!r}"
            raise _Abort(SpecError(self.src.file, line, col, msg, path))
        self.src.positions.setdefault(
            path, (node.start_mark.line + 1, node.start_mark.column + 1)
        )
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, i), depth + 1)
                for i, item in enumerate(node.value)
            ]
        return self._scalar(node, path)

    def _scalar(self, node: yaml.Node, path: JsonPath) -> Any:
        """A scalar's value; PyYAML's own errors (a date like 2020-13-45) become located."""
        try:
            return self._constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError) as exc:
            line, col = node.start_mark.line + 1, node.start_mark.column + 1
            detail = getattr(exc, "problem", None) or str(exc)
            msg = f"invalid value {short_repr(node.value)}: {detail}"
            raise _Abort(SpecError(self.src.file, line, col, msg, path)) from None

    def _mapping(
        self, node: yaml.MappingNode, path: JsonPath, depth: int
    ) -> dict[Any, Any]:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.errors.append(
                    SpecError(
                        self.src.file,
                        line,
                        col,
                        "merge keys (<<) are not supported",
                        path,
                    )
                )
                continue
            key = self._scalar(key_node, path)
            if not isinstance(key, str):
                msg = f"mapping keys must be strings (got {short_repr(key)}; quote it)"
                self.errors.append(SpecError(self.src.file, line, col, msg, path))
                continue
            if key in out:
                first = self.src.positions.get((*path, key), (line, col))
                msg = f"duplicate key {short_repr(key)} (first defined at line {first[0]})"
                self.errors.append(
                    SpecError(self.src.file, line, col, msg, (*path, key))
                )
                continue
            child = (*path, key)
            self.src.positions[child] = (line, col)
            out[key] = self.build(value_node, child, depth + 1)
        return out
