"""Names: one place that turns spec names into Python identifiers.

Spec names come from vendor documents (``startDate``, ``total-pages``, ``v2.1``,
``API_TOKEN``); generated code needs snake_case attributes, PascalCase classes and
nothing that shadows a keyword or a builtin a generated module uses.
"""

from __future__ import annotations

import keyword
import re
import unicodedata

# Parameters every generated method has; a filter field with such a name gets a suffix.
_RESERVED = frozenset(
    {
        "self",
        "cls",
        "timeout",
        "size",
        "page",
        "split_range",
        "request_filter",
        "route_filter",
        "body",
        "builtins",
    }
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")


def _words(name: str) -> list[str]:
    """Split camelCase, PascalCase, snake_case, kebab-case and dotted names into words."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return _WORD.findall(ascii_name)


def snake_case(name: str) -> str:
    """``startDate`` -> ``start_date``; ``total-pages`` -> ``total_pages``; ``v2.1`` -> ``v2_1``."""
    words = [w.lower() for w in _words(name)]
    joined = "_".join(words) or "_"
    # "v2.1" splits into "v", "2", "1": glue a letter run directly to a following number.
    joined = re.sub(r"(?<=[a-z])_(?=[0-9])", "", joined)
    return safe_identifier(joined)


def class_name(name: str) -> str:
    """``machine_mode`` / ``machine-mode`` / ``API_TOKEN`` -> ``MachineMode`` / ``ApiToken``."""
    words = _words(name)
    joined = "".join(
        w[:1].upper() + w[1:].lower() if w.isupper() else w[:1].upper() + w[1:]
        for w in words
    )
    return safe_identifier(joined or "_")


def safe_identifier(name: str) -> str:
    """Make ``name`` a valid identifier that is neither a keyword nor reserved."""
    if name[:1].isdigit():
        name = "_" + name
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def param_name(name: str) -> str:
    """A keyword-argument name that cannot shadow the parameters every method has."""
    py = snake_case(name)
    return py + "_" if py in _RESERVED else py


def package_name(api_name: str, stage: str) -> str:
    """``acme`` + ``v2.1`` -> ``acme_v2_1``."""
    return package_prefix(api_name) + stage_suffix(stage)


def package_prefix(api_name: str) -> str:
    """What every package of an API starts with: ``acme_2`` -> ``acme2_``."""
    return f"{snake_case(api_name)}_"


def stage_suffix(stage: str) -> str:
    """``v2.1`` -> ``v2_1``: a stage name usable inside identifiers and file names."""
    return re.sub(r"[^0-9a-zA-Z]+", "_", stage).strip("_").lower() or "_"
