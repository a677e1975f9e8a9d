"""The lead's reminder rules: the list, a rule's form with its dry run, on and off."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.extensions import db
from hiddengems.reminders import bp, queries
from hiddengems.reminders.explain import DRY_RUN_DAYS, dry_run
from hiddengems.reminders.forms import RuleForm, SwitchForm
from hiddengems.reminders.kinds import KINDS
from hiddengems.reminders.models import ReminderRule
from hiddengems.reminders.rules import rule_problems, save_rule, switch_rule
from hiddengems.timeutil import HELSINKI, utcnow


@bp.route("/reminder-rules")
@roles("lead")
def rules():
    return render_template(
        "reminders/rules.html", rules=queries.all_rules(), kinds=KINDS, switch_form=SwitchForm(), now=utcnow()
    )


@bp.route("/reminder-rules/new", methods=["GET", "POST"])
@roles("lead")
def new_rule():
    return _rule_page(None)


@bp.route("/reminder-rules/<int:rule_id>", methods=["GET", "POST"])
@roles("lead")
def edit_rule(rule_id: int):
    return _rule_page(get_for(ReminderRule, rule_id, need="edit"))


@bp.route("/reminder-rules/<int:rule_id>/switch", methods=["POST"])
@roles("lead")
def switch(rule_id: int):
    rule = get_for(ReminderRule, rule_id, need="edit")
    if not SwitchForm().validate_on_submit():
        abort(400)
    switch_rule(rule, enabled=not rule.enabled, actor=current_user)
    db.session.commit()
    flash(_("The rule is on.") if rule.enabled else _("The rule is off."), "success")
    return redirect(url_for("reminders.rules"))


def _rule_page(rule: ReminderRule | None):
    """GET: the form. POST: the values checked, then the dry run of exactly these values;
    saving needs the dry run of the same values to have been shown."""
    now = utcnow()
    form = RuleForm()
    if not form.is_submitted():
        if rule is not None:
            form.fill_from(rule)
        form.effective_from.data = now.astimezone(HELSINKI).replace(tzinfo=None, second=0, microsecond=0)
    preview = None
    values = form.values() if form.validate_on_submit() else None
    if values is not None:
        form.add_problems(rule_problems(values, now=now, previous_effective=rule.effective_from if rule else None))
    if values is not None and not any(field.errors for field in form):
        if form.save.data and form.previewed.data == form.fingerprint():
            saved = save_rule(rule, values, actor=current_user)
            db.session.commit()
            flash(_("Rule saved."), "success")
            return redirect(url_for("reminders.edit_rule", rule_id=saved.id))
        preview = dry_run(_unsaved(rule, values), now)
        form.previewed.data = form.fingerprint()
    db.session.rollback()
    return render_template(
        "reminders/rule_form.html", form=form, rule=rule, preview=preview, days=DRY_RUN_DAYS, kinds=KINDS
    )


def _unsaved(rule: ReminderRule | None, values: dict) -> ReminderRule:
    """The rule with the form's values, for the dry run, never written."""
    draft = ReminderRule(**values)
    draft.id = rule.id if rule else None
    return draft
