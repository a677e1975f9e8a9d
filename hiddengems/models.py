"""Every domain's models, imported in one place so that Alembic sees the whole schema."""

from hiddengems.audit.models import AuditEvent
from hiddengems.auth.models import LoginFailure, User
from hiddengems.cases.models import Activity, Case, CaseOutcome, StageChange
from hiddengems.intake.models import IntakeProfile, LanguageSkill, WorkExperience
from hiddengems.mail.models import OutboxMessage
from hiddengems.orgs.models import Organisation
from hiddengems.reminders.models import FollowUp
from hiddengems.skills.models import (
    CasePastOccupation,
    CaseSkill,
    CaseTargetOccupation,
    IscoGroup,
    Occupation,
    OccupationSkill,
    Skill,
    SkillRelation,
    TaxonomyLabel,
)

__all__ = [
    "Activity",
    "AuditEvent",
    "Case",
    "CaseOutcome",
    "CasePastOccupation",
    "CaseSkill",
    "CaseTargetOccupation",
    "FollowUp",
    "IntakeProfile",
    "IscoGroup",
    "LanguageSkill",
    "LoginFailure",
    "Organisation",
    "Occupation",
    "OccupationSkill",
    "OutboxMessage",
    "Skill",
    "SkillRelation",
    "StageChange",
    "TaxonomyLabel",
    "User",
    "WorkExperience",
]
