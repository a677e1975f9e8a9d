"""The lists of cases (query.py), the values per case they show and sort by (columns.py),
the lead's counts of them per adviser (workload.py), and what the intake queue shows and
filters by for triage (triage.py)."""

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
from hiddengems.cases.lists.registered import registered_waiting
from hiddengems.cases.lists.triage import (
    QueueFacts,
    QueueFilter,
    queue_facts,
    queue_filters,
    register_queue_facts,
    register_queue_filter,
    waiting_in_queue,
)

__all__ = [
    "CaseFilters",
    "CaseQuery",
    "Column",
    "QueueFacts",
    "QueueFilter",
    "Walk",
    "adviser_choices",
    "case_list",
    "intake_queue",
    "is_sort",
    "load_case_file",
    "paginate",
    "queue_facts",
    "queue_filters",
    "register_column",
    "register_filter",
    "register_queue_facts",
    "register_queue_filter",
    "registered_waiting",
    "sorts",
    "waiting_in_queue",
]
