"""flask commands: users, demo data, the scheduler, the outbox, the taxonomy."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from hiddengems.admin.services import create_staff_user
from hiddengems.auth.passwords import password_problem
from hiddengems.auth.services import find_user_by_email
from hiddengems.demo.generator import DEMO_DOMAIN, DEMO_PASSWORD, generate
from hiddengems.extensions import db
from hiddengems.mail.services import send_pending
from hiddengems.orgs.models import Organisation
from hiddengems.reminders.commands import reminders_cli
from hiddengems.scheduler import lead_and_run
from hiddengems.skills.esco import ImportFailed, Progress, no_progress
from hiddengems.skills.importer import ImportSummary, import_esco
from hiddengems.skills.search_index import refresh_statistics
from hiddengems.skills.starter import load_starter

users_cli = AppGroup("users", help="Manage accounts.")
scheduler_cli = AppGroup("scheduler", help="Run background jobs.")
outbox_cli = AppGroup("outbox", help="The e-mail outbox.")
taxonomy_cli = AppGroup("taxonomy", help="The occupations and skills taxonomy (ESCO).")


@users_cli.command("create")
@click.option("--role", type=click.Choice(["admin", "adviser", "lead", "hr"]), required=True)
@click.option("--email", required=True)
@click.option("--name", default=None, help="Full name (defaults to the e-mail's local part).")
@click.option("--organisation", default=None, help="Organisation name, required for hr.")
@click.password_option(help="Asked for when not given.")
def create_user(role: str, email: str, name: str | None, organisation: str | None, password: str) -> None:
    """Create a staff account, e.g. the first admin."""
    if find_user_by_email(email):
        raise click.ClickException("an account with this e-mail already exists")
    problem = password_problem(password, email=email, name=name or "")
    if problem:
        raise click.ClickException(problem)
    organisation_id = None
    if role == "hr":
        org = (
            db.session.scalar(db.select(Organisation).where(Organisation.name == organisation))
            if organisation
            else None
        )
        if org is None:
            raise click.ClickException("hr accounts need --organisation with the exact name of an organisation")
        organisation_id = org.id
    user = create_staff_user(
        None,
        name=name or email.split("@")[0],
        email=email,
        role=role,
        organisation_id=organisation_id,
        password=password,
    )
    db.session.commit()
    click.echo(f"created {role} account #{user.id}")


@click.command("demo-data")
@click.option("--spouses", default=200, show_default=True, help="How many participants to generate.")
@click.option("--seed", default=42, show_default=True)
@click.option("--caseload", default=40, show_default=True, help="Open cases given to the demo adviser.")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
def demo_data(spouses: int, seed: int, caseload: int, if_empty: bool) -> None:
    """Fill an empty database with reproducible demo data and print the demo logins."""
    try:
        result = generate(spouses, seed=seed, caseload=caseload)
    except RuntimeError as exc:
        if not if_empty:
            raise click.ClickException(str(exc)) from exc
        click.echo("demo data already present")
    else:
        db.session.commit()
        click.echo(f"demo data: {result.spouses} participants")
    print_demo_logins()


def print_demo_logins() -> None:
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for role, local in (
        ("admin", "admin"),
        ("lead", "lead"),
        ("adviser", "adviser"),
        ("hr", "hr"),
        ("hr", "hr.small"),  # of a small organisation: most of its figures are suppressed
        ("spouse", "spouse"),
    ):
        click.echo(f"  {role:8} {local}@{DEMO_DOMAIN}")
    click.echo("")


@scheduler_cli.command("run")
def scheduler_run() -> None:
    """Run the background jobs: start one on each host; one leads, the others stand by."""
    # To the standard error (journald under systemd): leading, standing by, each job's result.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # systemd's stop or Ctrl+C: a running job finishes, then the lock is given up.
        signal.signal(signum, lambda *_: stop.set())
    click.echo("scheduler started; Ctrl+C to stop")
    lead_and_run(current_app._get_current_object(), stop)


@outbox_cli.command("send")
def outbox_send() -> None:
    """Send what is due in the outbox now."""
    sent, failed = send_pending()
    click.echo(f"{sent} sent, {failed} failed")


@taxonomy_cli.command("import-esco")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--partial",
    is_flag=True,
    help="The folder is not a whole release: mark nothing obsolete and remove no relation it does not list.",
)
def taxonomy_import_esco(directory: Path, partial: bool) -> None:
    """Import the ESCO CSV download in DIRECTORY (ISCOGroups, occupations, skills, relations).

    Updates by URI and never deletes a concept: one that left the release is marked obsolete.
    A broken file imports nothing."""
    _run_import(lambda progress: import_esco(directory, complete=not partial, progress=progress))


@taxonomy_cli.command("load-starter")
def taxonomy_load_starter() -> None:
    """Load the starter taxonomy that ships with the app (about 50 occupations); again changes nothing."""
    _run_import(load_starter)


def _run_import(run: Callable[[Progress], ImportSummary]) -> None:
    progress: Progress = _progressbar if sys.stdout.isatty() else no_progress
    try:
        summary = run(progress)
    except ImportFailed as failed:
        db.session.rollback()
        for problem in failed.problems:
            click.echo(str(problem), err=True)
        if failed.more:
            click.echo(f"… and {failed.more} more", err=True)
        raise click.ClickException("nothing was imported") from failed
    db.session.commit()
    if summary.changed:
        refresh_statistics()
        db.session.commit()
    _echo_summary(summary)


def _progressbar(label: str, total: int):
    return click.progressbar(length=max(total, 1), label=label, file=sys.stdout)


def _echo_summary(summary: ImportSummary) -> None:
    click.echo(f"files: {', '.join(summary.files)}")
    if summary.ignored:
        click.echo(f"not ESCO files, left alone: {', '.join(summary.ignored)}")
    for name, tally in summary.tallies.items():
        if not (tally.changed or tally.unchanged or tally.skipped):
            continue  # no file of this kind
        counts = ", ".join(
            f"{count} {what}"
            for what, count in (
                ("created", tally.created),
                ("updated", tally.updated),
                ("unchanged", tally.unchanged),
                ("marked obsolete", tally.obsoleted),
                ("removed", tally.removed),
                ("skipped", sum(tally.skipped.values())),
            )
            if count or what in ("created", "updated", "unchanged")
        )
        click.echo(f"{name.replace('_', ' ')}: {counts}")
        for reason, count in tally.skipped.most_common():
            click.echo(f"  skipped {count}: {reason}")
    if summary.note:
        click.echo(summary.note)
    click.echo("changed" if summary.changed else "nothing changed")


def init_app(app: Flask) -> None:
    for command in (users_cli, scheduler_cli, outbox_cli, taxonomy_cli, demo_data, reminders_cli):
        app.cli.add_command(command)
