from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from hiddengems.access import PUBLIC, home_endpoint, roles
from hiddengems.cases import services as cases
from hiddengems.cases import timeline
from hiddengems.cases.labels import NEXT_STEP
from hiddengems.intake import services as intake
from hiddengems.main import bp
from hiddengems.reminders import services as follow_ups
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.vocab import OPEN_STAGES


@bp.route("/")
@roles(PUBLIC)
def index():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("main/index.html")


@bp.route("/home")
@roles("spouse")
def spouse_home():
    case = cases.spouse_case(current_user)
    now = utcnow()
    meetings = timeline.upcoming_meetings(case.id, now=now) if case else []
    shared = timeline.shared_entries(case.id, now=now) if case else []
    to_do = follow_ups.spouse_follow_ups(case.id) if case else []
    # Only a spouse who has not sent the intake needs to know how far they got.
    progress = intake.intake_progress(case.id) if case and case.stage == "registered" else None
    return render_template(
        "main/spouse_home.html",
        case=case,
        next_steps=NEXT_STEP,
        meetings=meetings,
        shared=shared,
        follow_ups=to_do,
        intake_progress=progress,
        now=now,
        today=helsinki_today(),
    )


@bp.route("/desk")
@roles("adviser")
def adviser_home():
    mine = cases.stage_counts(adviser_id=current_user.id)
    queue = cases.stage_counts(unassigned=True)
    team = cases.stage_counts() if current_user.is_lead else None
    orphaned = cases.cases_needing_reassignment() if current_user.is_lead else 0
    return render_template(
        "main/adviser_home.html",
        mine=mine,
        mine_open=sum(mine[stage] for stage in OPEN_STAGES),
        queue=queue,
        team=team,
        orphaned=orphaned,
        due=follow_ups.due_follow_ups(current_user.id),
        today=helsinki_today(),
    )
