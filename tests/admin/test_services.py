"""Staff account rules, without HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hiddengems.admin import services
from hiddengems.audit.models import AuditEvent
from hiddengems.extensions import db
from tests import factories as f

STRONG = "granite orchard violin"


def test_the_services_refuse_hr_without_an_organisation(app):
    admin = f.user("admin")
    with pytest.raises(services.StaffRuleBroken) as refused:
        services.create_staff_user(
            admin, name="H", email="h@example.org", role="hr", organisation_id=None, password=STRONG
        )
    assert refused.value.field == "organisation_id"
    adviser = f.user("adviser")
    with pytest.raises(services.StaffRuleBroken):
        services.update_user(admin, adviser, name="A", role="hr", organisation_id=None, active=True)


def test_an_inactive_admin_does_not_count_as_the_other_admin(app):
    admin = f.user("admin")
    f.user("admin", active=False)
    with pytest.raises(services.StaffRuleBroken) as refused:
        services.update_user(admin, admin, name="A", role="lead", organisation_id=None, active=True)
    assert refused.value.reason == "last_admin"


def test_nobody_deactivates_their_own_account(app):
    admin = f.user("admin")
    f.user("admin")
    with pytest.raises(services.StaffRuleBroken) as refused:
        services.update_user(admin, admin, name="A", role="admin", organisation_id=None, active=False)
    assert refused.value.field == "active" and refused.value.reason == "self_deactivation"


def test_a_role_change_is_in_the_audit_log(app):
    admin = f.user("admin")
    adviser = f.user("adviser")
    services.update_user(admin, adviser, name=adviser.name, role="lead", organisation_id=None, active=True)
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "admin.user_role_changed")) is None
    services.update_user(admin, adviser, name=adviser.name, role="hr", organisation_id=f.org().id, active=True)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "admin.user_role_changed"))
    assert event.object_id == adviser.id and event.detail == {"from": "adviser", "to": "hr"}
