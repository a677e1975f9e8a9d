from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_login import current_user

from hiddengems.access import PUBLIC, home_endpoint, roles
from hiddengems.cases import services as cases
from hiddengems.cases.labels import NEXT_STEP
from hiddengems.main import bp
from hiddengems.timeutil import helsinki_today, utcnow
from hiddengems.ui.panels import load_panels


@bp.route("/")
@roles(PUBLIC)
def index():
    if current_user.is_authenticated:
        return redirect(url_for(home_endpoint(current_user)))
    return render_template("main/index.html")


@bp.route("/home")
@roles("spouse")
def spouse_home():
    """Where the spouse is and what comes next; the rest is the domains' panels."""
    case = cases.spouse_case(current_user)
    now, today = utcnow(), helsinki_today()
    panels = load_panels("spouse_home", case=case, user=current_user, now=now, today=today)
    return render_template("main/spouse_home.html", case=case, next_steps=NEXT_STEP, panels=panels)


@bp.route("/desk")
@roles("adviser")
def adviser_home():
    """The adviser's desk: the domains' panels (figures, follow-ups …)."""
    panels = load_panels("adviser_desk", user=current_user, today=helsinki_today())
    return render_template("main/adviser_home.html", panels=panels)
