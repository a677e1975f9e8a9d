"""flask reminders ...: one sweep by hand, a rule's dry run, the default rules."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from sqlalchemy import select

from hiddengems.extensions import db
from hiddengems.reminders.explain import DRY_RUN_DAYS, dry_run
from hiddengems.reminders.jobs import run_sweep
from hiddengems.reminders.models import ReminderRule
from hiddengems.reminders.rules import seed_defaults
from hiddengems.timeutil import utcnow

reminders_cli = AppGroup("reminders", help="The reminder rules and their sweep.")


def _moment(value: str | None) -> datetime:
    if value is None:
        return utcnow()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("give an ISO time, e.g. 2026-12-01T08:00:00+02:00") from exc
    # A time without a zone is taken as UTC, as everything is stored.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@reminders_cli.command("sweep")
@click.option("--now", "now_text", default=None, help="Sweep as at this ISO time (default: now).")
def sweep_command(now_text: str | None) -> None:
    """Run one sweep of every rule now (the scheduler does it every few minutes)."""
    results = run_sweep(_moment(now_text))
    for result in results:
        click.echo(
            f"rule {result.rule_id}: {result.firings} fired, {result.follow_ups} follow-ups, {result.emails} e-mails"
        )
    click.echo(f"{sum(r.firings for r in results)} fired in all")


def _find_rule(text: str) -> ReminderRule:
    rule = None
    if text.isascii() and text.isdigit() and len(text) < 10:
        rule = db.session.get(ReminderRule, int(text))
    if rule is None:
        rule = db.session.scalar(select(ReminderRule).where(ReminderRule.key == text))
    if rule is None:
        raise click.ClickException(f"no rule {text!r}: give its number or key (flask reminders dry-run 1)")
    return rule


@reminders_cli.command("dry-run")
@click.argument("rule_text", metavar="RULE")
@click.option("--now", "now_text", default=None, help="As at this ISO time (default: now).")
def dry_run_command(rule_text: str, now_text: str | None) -> None:
    """What RULE (number or key) would make in the next 30 days, without making it."""
    rule = _find_rule(rule_text)
    result = dry_run(rule, _moment(now_text))
    state = "on" if rule.enabled else "off"
    click.echo(f"rule {rule.id} ({rule.name}, {state}): {result.total} follow-ups in {DRY_RUN_DAYS} days")
    if rule.email_spouse:
        click.echo(f"  {result.emails} e-mails to spouses")
    for name, count in result.by_assignee:
        click.echo(f"  {count:6}  {name or 'intake queue (unassigned)'}")
    db.session.rollback()


@reminders_cli.command("seed")
def seed_command() -> None:
    """Add the default rules that are missing (applying from now)."""
    added = seed_defaults()
    db.session.commit()
    click.echo(f"{added} default rules added")
