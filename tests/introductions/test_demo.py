"""Demo introductions: every status, each with its history, consent and links as the
services would have left them, and the demo spouse's proposal to answer."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select

from hiddengems.auth.models import User
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD
from hiddengems.extensions import db
from hiddengems.introductions.models import STATUSES, Introduction, IntroductionEvent, IntroductionLink, LinkOpening
from hiddengems.skills.starter import load_starter


def test_the_demo_has_introductions_at_every_status_with_consistent_histories(app, runner, f):
    load_starter()  # as `make run` and the benchmark do before the demo data
    db.session.commit()
    assert runner.invoke(args=["demo-data", "--spouses", "600"]).exit_code == 0
    introductions = db.session.scalars(select(Introduction)).all()
    assert set(Counter(i.status for i in introductions)) == set(STATUSES)

    events: dict[int, list[IntroductionEvent]] = {}
    for event in db.session.scalars(select(IntroductionEvent).order_by(IntroductionEvent.id)):
        events.setdefault(event.introduction_id, []).append(event)
    for intro in introductions:
        history = events[intro.id]
        assert history[0].status == "proposed" and history[-1].status == intro.status
        assert [e.at for e in history] == sorted(e.at for e in history)
        assert intro.updated_at == history[-1].at
        assert (intro.consented_at is not None) == any(e.status == "consented" for e in history)
        assert (intro.withdrawn_at is not None) == (intro.status == "withdrawn")
    # The employer's answers came through a link (no actor), and each is logged as one.
    answers = [e for history in events.values() for e in history if e.actor_id is None]
    assert answers and all(e.note.startswith("Employer answered") for e in answers)
    logged = db.session.scalar(select(func.count()).select_from(LinkOpening).where(LinkOpening.outcome == "answered"))
    assert logged == len(answers)
    # A withdrawn consent revoked the links; only introduced ones have links.
    for link in db.session.scalars(select(IntroductionLink)):
        intro = db.session.get(Introduction, link.introduction_id)
        assert any(e.status == "introduced" for e in events[intro.id])
        assert (link.revoked_at is not None) == (intro.withdrawn_at is not None)

    spouse = db.session.scalar(select(User).where(User.email == f"spouse@{DEMO_DOMAIN}"))
    client = app.test_client()
    assert f.login(client, spouse, DEMO_PASSWORD).status_code == 302
    page = client.get("/introductions/mine").get_data(as_text=True)
    assert "Consent requested" in page
