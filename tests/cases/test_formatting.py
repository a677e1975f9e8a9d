import re
from datetime import UTC, date, datetime, time
from pathlib import Path

from flask import render_template_string
from flask_babel import force_locale
from markupsafe import Markup, escape

from hiddengems.ui.formatting import date_for, datetime_for, lines, local_date, local_datetime, local_time

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# 22:05 UTC on 30 November is 00:05 on 1 December in Helsinki (winter time, UTC+2).
LATE = datetime(2026, 11, 30, 22, 5, 59, tzinfo=UTC)


def test_one_date_and_one_date_time_format_in_the_users_locale(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert local_date(date(2026, 9, 1)) == "1 Sept 2026"
        assert local_date(LATE) == "1 Dec 2026"  # a timestamp by its day in Helsinki
        assert local_datetime(LATE) == "1 Dec 2026, 00:05"  # no seconds, no zone name
        assert local_time(time(9, 30)) == "09:30"
        assert local_date(None) == local_datetime(None) == local_time(None) == ""
        assert render_template_string("{{ d|date }} · {{ t|datetime }}", d=date(2026, 12, 1), t=LATE) == (
            "1 Dec 2026 · 1 Dec 2026, 00:05"
        )
    with app.test_request_context(), force_locale("fi"):
        assert local_date(LATE) == "1.12.2026"
        assert local_datetime(LATE) == "1.12.2026 0.05"
    with app.test_request_context(), force_locale("en_GB"):
        assert "Eastern" not in local_datetime(LATE) and ":59" not in local_datetime(LATE)


def test_e_mails_use_the_same_formats_in_the_recipients_language(app):
    with app.app_context():
        assert date_for(date(2026, 12, 1), "en") == "1 Dec 2026"
        assert datetime_for(LATE, "en") == "1 Dec 2026, 00:05"
        assert datetime_for(LATE, "fi") == "1.12.2026 0.05"


def test_templates_format_dates_only_through_the_filters():
    """No page formats a date by hand (strftime) or through another filter."""
    offenders = []
    for path in TEMPLATES.rglob("*.*"):
        text = path.read_text()
        if re.search(r"strftime\(|\|\s*(format_date|format_datetime|datetimeformat|dateformat)\b", text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


def test_lines_escape_the_text_and_keep_its_line_breaks():
    text = 'Called <b>them</b> & "agreed"\r\nit\'s done\n\nlast\u2028line\rend\n'
    assert lines(text) == (
        "Called &lt;b&gt;them&lt;/b&gt; &amp; &#34;agreed&#34;<br>it&#39;s done<br><br>last<br>line<br>end"
    )
    # The same as escaping each line on its own.
    assert lines(text) == Markup("<br>").join(escape(line) for line in text.splitlines())
    assert lines(None) == lines("") == ""
