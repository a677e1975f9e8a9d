"""The placeholders a rule's texts may use ({name}, {days}, {date}, {link}), checked
when the lead saves the rule and filled when it fires.

Filling never uses str.format on the lead's text: only ``{word}`` for a known word is
replaced, so a text cannot reach attributes ({name.__class__}) or fail at firing time."""

from __future__ import annotations

import re

PLACEHOLDERS = ("name", "days", "date", "link")
_BRACED = re.compile(r"\{([^{}]*)\}")


class TemplateProblem(ValueError):
    """What is wrong with a text: ("unknown", names) or ("braces", None)."""

    def __init__(self, reason: str, names: list[str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.names = names or []


def check(text: str, allowed: tuple[str, ...] = PLACEHOLDERS) -> None:
    unknown = [name for name in _BRACED.findall(text or "") if name not in allowed]
    if unknown:
        raise TemplateProblem("unknown", list(dict.fromkeys(unknown)))
    if "{" in _BRACED.sub("", text or "") or "}" in _BRACED.sub("", text or ""):
        raise TemplateProblem("braces")


def fill(text: str, values: dict[str, str]) -> str:
    return _BRACED.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)
