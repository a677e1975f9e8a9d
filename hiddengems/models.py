"""Every domain's models, imported in one place so that Alembic sees the whole schema."""

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import LoginFailure, User
from hiddengems.cases.models import Activity, Case, CaseOutcome, StageChange
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.mail.models import OutboxMessage
from hiddengems.orgs.models import Organisation
from hiddengems.reminders.models import FollowUp

__all__ = [
    "Activity",
    "AuditEvent",
    "Case",
    "CaseOutcome",
    "FollowUp",
    "IntakeProfile",
    "LanguageSkill",
    "LoginFailure",
    "Organisation",
    "OutboxMessage",
    "StageChange",
    "User",
    "WorkExperience",
]
