"""Two saves of one profile racing past the version check: the database has the last word."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from hiddengems.extensions import db
from hiddengems.intake import services


@pytest.mark.postgres
def test_a_save_that_raced_past_the_version_check_is_refused(app, f):
    spouse, adviser = f.user("spouse"), f.user("adviser")
    case = f.assign(spouse, adviser, "intake")
    services.save_step(case, "goals", {"career_goals": "First"}, actor=spouse, expected_version=0)
    db.session.commit()

    # The adviser's request has read the profile at version v...
    version = services.load_profile(case.id).version
    # ...when the spouse's request saves and commits in its own transaction.
    with db.engine.begin() as other:
        other.execute(
            text("UPDATE intake_profile SET career_goals = 'Spouse', version = version + 1 WHERE case_id = :id"),
            {"id": case.id},
        )
    # The adviser's form carried v, so the check in Python passes; the UPDATE ... WHERE version = v does not.
    with pytest.raises(services.StaleProfile):
        services.save_step(case, "goals", {"career_goals": "Adviser"}, actor=adviser, expected_version=version)
    db.session.rollback()
    assert services.load_profile(case.id).career_goals == "Spouse"
