"""Text-field rules a vendor enforces on load, checked before a model is sent.

A field declares its rules in the spec; the generated model carries them in the
field's ``json_schema_extra`` under ``textRules``, and ``check_model`` walks a model
(nested models and lists included) before the request is built. The first broken
rule, in declared order, raises ``TextRuleError`` naming the field and the rule.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import pydantic

from ._exceptions import UsageError

__all__ = ["RULES", "TextRuleError", "broken_rule", "check_model"]


def _control(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in text)


def _unicode_space(text: str) -> bool:
    # Every separator but the plain space: no-break, em, thin, ideographic, line, ...
    return any(c != " " and unicodedata.category(c) in ("Zs", "Zl", "Zp") for c in text)


#: rule name -> (what it forbids, test that is True when the text breaks it)
RULES: dict[str, tuple[str, Callable[[str], bool]]] = {
    "no_double_spaces": ("double spaces", lambda t: "  " in t),
    "no_tabs": ("tab characters", lambda t: "\t" in t),
    "no_new_lines": ("new line characters", lambda t: "\n" in t),
    "no_form_feeds": ("form feed characters", lambda t: "\f" in t),
    "no_carriage_returns": ("carriage return characters", lambda t: "\r" in t),
    "no_control_characters": ("control characters", _control),
    "no_unicode_spaces": ("Unicode space characters", _unicode_space),
    "no_leading_space": ("a leading space", lambda t: t[:1].isspace()),
    "no_trailing_space": ("a trailing space", lambda t: t[-1:].isspace()),
}


class TextRuleError(UsageError):
    """A text field breaks one of its rules; nothing was sent (``.field``, ``.rule``)."""

    def __init__(self, field: str, rule: str) -> None:
        what = RULES[rule][0] if rule in RULES else rule
        super().__init__(f"{field}: text rule {rule} broken: may not contain {what}")
        self.field = field
        self.rule = rule


def broken_rule(text: str, rules: object) -> str | None:
    """The first rule of ``rules`` that ``text`` breaks, or None."""
    if not isinstance(rules, list | tuple):
        return None
    for rule in rules:
        test = RULES.get(str(rule))
        if test is not None and test[1](text):
            return str(rule)
    return None


def check_model(model: pydantic.BaseModel, where: str = "") -> None:
    """Raise ``TextRuleError`` for the first field of ``model`` that breaks a rule."""
    prefix = where or type(model).__name__
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        label = f"{prefix}.{info.alias or name}"
        extra = info.json_schema_extra
        rules = extra.get("textRules") if isinstance(extra, dict) else None
        if isinstance(value, str) and rules:
            rule = broken_rule(value, rules)
            if rule is not None:
                raise TextRuleError(label, rule)
        _check_nested(value, label)


def _check_nested(value: object, label: str) -> None:
    if isinstance(value, pydantic.BaseModel):
        check_model(value, label)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, pydantic.BaseModel):
                check_model(item, f"{label}[{i}]")
