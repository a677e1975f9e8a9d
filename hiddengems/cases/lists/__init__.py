"""The lists of cases (query.py) and the values per case they show and sort by (columns.py)."""

from hiddengems.cases.lists.columns import Column, Walk, register_column, register_filter
from hiddengems.cases.lists.query import (
    CaseFilters,
    CaseQuery,
    adviser_choices,
    case_list,
    intake_queue,
    is_sort,
    load_case_file,
    paginate,
    sorts,
)

__all__ = [
    "CaseFilters",
    "CaseQuery",
    "Column",
    "Walk",
    "adviser_choices",
    "case_list",
    "intake_queue",
    "is_sort",
    "load_case_file",
    "paginate",
    "register_column",
    "register_filter",
    "sorts",
]
