"""The lists of cases (query.py), the values per case they show and sort by (columns.py),
and the lead's counts of them per adviser (workload.py)."""

from hiddengems.cases.lists.columns import Column, Walk, register_column, register_filter
from hiddengems.cases.lists.query import (
    CaseFilters,
    CaseQuery,
    adviser_choices,
    case_list,
    intake_queue,
    is_sort,
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
    "paginate",
    "register_column",
    "register_filter",
    "sorts",
]
