"""The error summary at the top of a page after a failed submit (the GOV.UK pattern).

base.html shows it once for every page: it lists the problems of every form the page
was given (as a template variable, or inside one) that came back with errors, each linked
to its field, and takes the focus so that a keyboard or screen reader user starts there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

from jinja2 import pass_context
from jinja2.runtime import Context
from wtforms import Field, FieldList, Form, FormField


class Problem(NamedTuple):
    target: str | None  # the id of the field to link to; None for a problem of the whole form
    label: str
    message: str


def _field_problems(field: Field) -> Iterator[Problem]:
    if isinstance(field, FormField):
        yield from form_problems(field.form, whole=False)
    elif isinstance(field, FieldList):
        # The list's own messages (too many rows, one twice) are strings; its rows' are theirs.
        target = field.entries[0].id if field.entries else field.id
        for message in field.errors:
            if isinstance(message, str):
                yield Problem(target, str(field.label.text), message)
        for entry in field.entries:
            yield from _field_problems(entry)
    elif field.errors and getattr(field.widget, "input_type", None) != "hidden":
        for message in field.errors:
            if isinstance(message, str):
                yield Problem(field.id, str(field.label.text), message)


def form_problems(form: Form, *, whole: bool = True) -> Iterator[Problem]:
    """Every problem of a form, in the order of its fields."""
    if whole:
        for message in form.form_errors:
            yield Problem(None, "", str(message))
    for field in form:
        yield from _field_problems(field)


def _forms(value: object) -> Iterator[Form]:
    if isinstance(value, Form):
        yield value
    elif isinstance(value, dict):
        yield from (item for item in value.values() if isinstance(item, Form))
    elif isinstance(value, list | tuple):
        yield from (item for item in value if isinstance(item, Form))


@pass_context
def error_summary(context: Context, page: str = "") -> list[Problem]:
    """The problems of the forms in a template's variables (and one level inside them), in
    the order their fields appear on the ``page`` (its rendered content; a form's own
    order may differ from the order a template shows its fields in)."""
    problems: list[Problem] = []
    seen: set[int] = set()
    words = context.environment.globals
    for name, value in context.get_all().items():
        if words.get(name) is value:
            continue  # the app's template words and helpers (and its config): never a form
        for form in _forms(value):
            if id(form) not in seen and form.errors:
                seen.add(id(form))
                problems.extend(form_problems(form))
    if page and problems:
        # Problems of the whole form first, then by where the field is; one whose field the
        # page does not show under that id (a row's own inputs) last, as text without a link.
        def place(problem: Problem) -> int:
            if problem.target is None:
                return -1
            found = page.find(f'id="{problem.target}"')
            return found if found != -1 else len(page)

        placed = sorted(((place(problem), problem) for problem in problems), key=lambda pair: pair[0])
        problems = [problem._replace(target=None) if at == len(page) else problem for at, problem in placed]
    return problems


def init_app(app) -> None:
    app.jinja_env.globals["error_summary"] = error_summary
