from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hiddengems.access import get_for, roles
from hiddengems.extensions import db
from hiddengems.mail import bp, queries, services
from hiddengems.mail.forms import RetryForm
from hiddengems.mail.models import OutboxMessage
from hiddengems.ui.paging import page_arg, paginate
from hiddengems.ui.words import lazy_gettext as _l


@bp.route("/")
@roles("admin")
def outbox():
    status = request.args.get("status", "")
    if status not in queries.STATUSES:
        status = ""
    page = paginate(queries.outbox(status), page=page_arg(), per_page=50)
    return render_template("mail/outbox.html", page=page, status=status)


@bp.route("/<int:message_id>")
@roles("admin")
def message(message_id: int):
    message = get_for(OutboxMessage, message_id)
    return render_template("mail/message.html", message=message, retry_form=RetryForm(formdata=None))


RETRY_MESSAGES = {
    "not_failed": _l("This message is not a failed one: it is waiting to be sent, or was sent."),
    "link_gone": _l(
        "This message carried a personal link, discarded when it failed: sent again, the link would not work. "
        "Ask the person to request a new one (a new password link, or a new confirmation e-mail)."
    ),
}


@bp.route("/<int:message_id>/retry", methods=["POST"])
@roles("admin")
def retry(message_id: int):
    """A failed message back in the queue, to be sent on the sender's next run."""
    message = get_for(OutboxMessage, message_id)
    if RetryForm().validate_on_submit():
        try:
            services.retry(message, actor=current_user)
        except services.RetryRefused as refused:
            db.session.rollback()
            flash(RETRY_MESSAGES[refused.reason], "warning")
        else:
            db.session.commit()
            flash(_("The message is back in the queue and will be sent on the next run."), "success")
    return redirect(url_for("mail.message", message_id=message_id))
