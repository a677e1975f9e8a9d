"""How labels and search text are compared: case, accents and punctuation ignored."""

from __future__ import annotations

import unicodedata
from typing import Any

from hiddengems.skills.models import LABEL_LENGTH

# Kept inside words because they tell skills apart: C, C++ and C# are three languages.
KEEP = "+#"
# Letters that carry no combining accent in Unicode, so NFKD leaves them whole.
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
# Most labels are plain ASCII: one translate call instead of a look at every character.
_ASCII = str.maketrans({chr(c): " " for c in range(128) if not chr(c).isalnum() and chr(c) not in KEEP})
_NOT_WORD = str.maketrans(dict.fromkeys(KEEP + " "))


def normalise(text: str) -> str:
    """Lower case, no accents, words separated by single spaces, other punctuation gone.

    The stored labels and the typed searches go through this one function, so they
    compare equal whatever the database's own collation does."""
    if text.isascii():
        return " ".join(text.lower().translate(_ASCII).split())
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD))
    chars = []
    for char in decomposed:
        if unicodedata.combining(char):
            continue
        chars.append(char if char.isalnum() or char in KEEP else " ")
    return " ".join("".join(chars).split())


def has_word(text: str) -> bool:
    """Whether a normalised text has a letter or digit to search for (not only '+' or '#')."""
    return text.translate(_NOT_WORD) != ""


def label_rows(column: str, concept_id: int, values: dict[str, Any]) -> list[dict[str, Any]]:
    """One search row per distinct normalised label, the best kind kept (preferred, alt, hidden)."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for kind, texts in (
        ("preferred", [values["preferred_label"]]),
        ("alt", values["alt_labels"]),
        ("hidden", values["hidden_labels"]),
    ):
        for text in texts:
            # Ligatures and ß grow when normalised; a label at the length limit still fits.
            normalised = normalise(text)[:LABEL_LENGTH]
            if normalised in seen or not has_word(normalised):
                continue
            seen.add(normalised)
            rows.append({column: concept_id, "kind": kind, "label": text, "normalised": normalised})
    return rows
