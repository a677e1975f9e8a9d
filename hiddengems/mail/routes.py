from __future__ import annotations

from flask import render_template, request
from sqlalchemy import select

from hiddengems.access import roles
from hiddengems.extensions import db
from hiddengems.inputs import page_arg, paginate
from hiddengems.mail import bp
from hiddengems.mail.models import OutboxMessage


@bp.route("/")
@roles("admin")
def outbox():
    status = request.args.get("status", "")
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status == "pending":
        stmt = stmt.where(OutboxMessage.sent_at.is_(None), OutboxMessage.failed_at.is_(None))
    elif status == "failed":
        stmt = stmt.where(OutboxMessage.failed_at.is_not(None))
    elif status == "sent":
        stmt = stmt.where(OutboxMessage.sent_at.is_not(None))
    page = paginate(stmt, page=page_arg(), per_page=50)
    return render_template("mail/outbox.html", page=page, status=status)


@bp.route("/<int:message_id>")
@roles("admin")
def message(message_id: int):
    return render_template("mail/message.html", message=db.get_or_404(OutboxMessage, message_id))
