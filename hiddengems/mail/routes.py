from __future__ import annotations

from flask import render_template, request

from hiddengems.access import get_for, roles
from hiddengems.mail import bp, queries
from hiddengems.mail.models import OutboxMessage
from hiddengems.ui.paging import page_arg, paginate


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
    return render_template("mail/message.html", message=get_for(OutboxMessage, message_id))
