"""Form fields shared by the domains."""

from __future__ import annotations

from wtforms import FieldList

from hiddengems.ui.inputs import db_int


class RowList(FieldList):
    """Rows of a form (the intake's jobs and languages), at most ``limit`` of them kept.
    Each row's form answers ``is_kept()``: whether it holds anything to save.

    WTForms' own FieldList cuts posted rows at ``max_entries`` without a word, and fails
    (an assertion: a 500) when the stored rows or "add another" would pass it. This one
    keeps up to twice the limit of posted rows, so that more than the limit is refused with
    a message beside the rows and the form still shows what was typed."""

    def __init__(self, unbound_field, *args, limit: int, full_message, **kwargs):
        super().__init__(unbound_field, *args, max_entries=2 * limit, **kwargs)
        self.limit = limit
        self.full_message = full_message

    def _extract_indices(self, prefix, formdata):
        # Row numbers as a browser sends them: str.isdigit() also takes '²', which int() refuses.
        offset = len(prefix) + 1
        for key in formdata:
            if key.startswith(prefix):
                try:
                    yield db_int(key[offset:].split(self._field_separator, 1)[0])
                except ValueError:
                    continue

    @property
    def full(self) -> bool:
        return len(self.entries) >= self.limit

    def offer_blanks(self, n: int) -> None:
        """Up to ``n`` empty rows to type into, as far as the limit leaves room."""
        while not self.full and sum(1 for row in self if not row.form.is_kept()) < n:
            self.append_entry()

    def add_blank(self) -> bool:
        """One more empty row if there is room; otherwise the message beside the rows."""
        if self.full:
            self.errors = [*self.errors, self.full_message]
            return False
        self.append_entry()
        return True

    def validate(self, form, extra_validators=()) -> bool:
        ok = super().validate(form, extra_validators)
        if sum(1 for row in self if row.form.is_kept()) > self.limit:
            self.errors.append(self.full_message)
            return False
        return ok
