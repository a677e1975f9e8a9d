from datetime import UTC, datetime

from flask_babel import force_locale, format_datetime

from hiddengems.ui.formatting import when


def test_when_matches_babels_short_datetime(app):
    value = datetime(2026, 11, 27, 11, 5, tzinfo=UTC)
    with app.test_request_context():
        for locale in ("en", "fi"):
            with force_locale(locale):
                assert when(value) == format_datetime(value, "short")
        assert when(None) == ""
