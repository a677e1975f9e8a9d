"""Background jobs: deliberate misfire settings, and jobs that do their work from the database."""

from __future__ import annotations

from hiddengems import scheduler
from hiddengems.auth.models import User
from hiddengems.extensions import db
from hiddengems.mail import services as mail
from tests import factories as f


def test_jobs_catch_up_instead_of_being_dropped(app):
    built = scheduler.build_scheduler(app, blocking=False)
    job = built.get_job("send_outbox")
    # APScheduler's default grace of 1 s would drop a late run; one late run is made instead.
    assert job.misfire_grace_time >= 600 and job.coalesce is True and job.max_instances == 1
    assert str(built.timezone) == "Europe/Helsinki"


def test_outbox_job_sends_what_is_due(app):
    with app.test_request_context(method="POST"):
        mail.queue("job@example.org", "S", "password_changed", kind="test", user=User(name="N"), reset_url="http://x/")
    db.session.commit()
    scheduler.build_scheduler(app, blocking=False)
    scheduler.run("send_outbox")
    db.session.expire_all()
    assert [m.status for m in f.outbox()] == ["sent"]


def test_web_app_does_not_start_a_scheduler_by_default(app):
    assert app.config["SCHEDULER_IN_PROCESS"] is False
