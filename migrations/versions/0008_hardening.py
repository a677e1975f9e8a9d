"""hr accounts belong to an organisation; secret links of outbox messages kept apart

Revision ID: 0008_hardening
Revises: 0007_walk_indexes
Create Date: 2026-11-28 23:30:00

"""

import re

import sqlalchemy as sa
from alembic import op

revision = "0008_hardening"
down_revision = "0007_walk_indexes"
branch_labels = None
depends_on = None

HR_CHECK = "role <> 'hr' OR organisation_id IS NOT NULL"
# Links that log someone in or change a password, as earlier messages carried them.
SECRET_LINK = re.compile(r"\S+/(?:verify|password/reset)/\S+")
MARK = "[[secret:{}]]"
GONE = "[this link is no longer available]"


def upgrade():
    bind = op.get_bind()
    orphans = [row[0] for row in bind.execute(sa.text("SELECT id FROM user_account WHERE NOT (" + HR_CHECK + ")"))]
    if orphans:
        raise RuntimeError(
            f"HR accounts without an organisation: {orphans}. Give each its organisation (or another role) "
            "in the admin's user list, then run the upgrade again."
        )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_check_constraint("hr_organisation", HR_CHECK)

    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.add_column(sa.Column("secrets", sa.JSON(), nullable=True))

    # Messages written before this revision carry their links in the body: a waiting one
    # keeps its link beside the body, a sent or failed one keeps none.
    outbox = sa.table(
        "outbox_message",
        sa.column("id", sa.Integer),
        sa.column("body", sa.Text),
        sa.column("secrets", sa.JSON),
        sa.column("sent_at", sa.DateTime),
        sa.column("failed_at", sa.DateTime),
    )
    rows = bind.execute(sa.select(outbox.c.id, outbox.c.body, outbox.c.sent_at, outbox.c.failed_at)).all()
    for row in rows:
        links = SECRET_LINK.findall(row.body or "")
        if not links:
            continue
        body, secrets = row.body, {}
        for n, link in enumerate(links):
            name = f"link{n}"
            body = body.replace(link, MARK.format(name) if row.sent_at is None and row.failed_at is None else GONE, 1)
            secrets[name] = link
        waiting = row.sent_at is None and row.failed_at is None
        bind.execute(
            outbox.update().where(outbox.c.id == row.id).values(body=body, secrets=secrets if waiting else None)
        )


def downgrade():
    bind = op.get_bind()
    outbox = sa.table("outbox_message", sa.column("id", sa.Integer), sa.column("body", sa.Text), sa.column("secrets", sa.JSON))
    for row in bind.execute(sa.select(outbox.c.id, outbox.c.body, outbox.c.secrets)).all():
        if row.secrets:
            body = row.body
            for name, value in row.secrets.items():
                body = body.replace(MARK.format(name), value)
            bind.execute(outbox.update().where(outbox.c.id == row.id).values(body=body))
    with op.batch_alter_table("outbox_message", schema=None) as batch_op:
        batch_op.drop_column("secrets")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_constraint("hr_organisation", type_="check")
