"""One pager for every list: which page was asked for, and one page of rows with what
the pager macro (templates/_macros.html) shows."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort, request
from sqlalchemy import Select, func, select

from hiddengems.extensions import db
from hiddengems.ui.inputs import parse_id


def page_arg() -> int:
    """The page of a list asked for in ``?page=``: 1 when not given; a 400 when it is no
    page number (the pager never links one). Past the last page is the list's business."""
    raw = request.args.get("page", "")
    if not raw:
        return 1
    page = parse_id(raw)
    if page is None:
        abort(400)
    return page


@dataclass
class Page:
    """One page of a list. ``total`` is the number of rows in the whole list; a list that
    does not count them (a case's timeline) gives None and says only ``has_more``."""

    items: Sequence[Any]
    page: int
    per_page: int
    total: int | None = None
    has_more: bool = False

    @property
    def pages(self) -> int | None:
        return None if self.total is None else max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.has_more if self.total is None else self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def counted(fetch: Callable[[int, int], Sequence[Any]], total: int, *, page: int, per_page: int) -> Page:
    """A page of a counted list: ``fetch(limit, offset)`` gives its rows. A page past the
    last (a link kept from before rows went away) shows the last one, not an empty page
    whose pager leads nowhere."""
    page = max(page, 1)
    items = fetch(per_page, (page - 1) * per_page)
    if not items and page > 1 and total:
        page = -(-total // per_page)
        items = fetch(per_page, (page - 1) * per_page)
    return Page(items=list(items), page=page, per_page=per_page, total=total)


def uncounted(fetch: Callable[[int, int], Sequence[Any]], *, page: int, per_page: int) -> Page:
    """A page of a list that is not counted: one row more than the page tells whether
    there is a next one."""
    page = max(page, 1)
    rows = fetch(per_page + 1, (page - 1) * per_page)
    return Page(items=list(rows[:per_page]), page=page, per_page=per_page, has_more=len(rows) > per_page)


def paginate(stmt: Select, *, page: int, per_page: int) -> Page:
    """A page of a plain select of one entity, counted."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    return counted(
        lambda limit, offset: db.session.scalars(stmt.limit(limit).offset(offset)).all(),
        total,
        page=page,
        per_page=per_page,
    )
