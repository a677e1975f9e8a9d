"""Every domain's models, imported in one place so that Alembic sees the whole schema
(each domain's ``models.py``, as hiddengems.domains lists them)."""

from hiddengems import domains

MODULES = domains.modules("models")
