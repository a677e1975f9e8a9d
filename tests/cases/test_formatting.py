from datetime import UTC, datetime

from flask_babel import force_locale, format_datetime
from markupsafe import Markup, escape

from hiddengems.ui.formatting import lines, when


def test_when_matches_babels_short_datetime(app):
    value = datetime(2026, 11, 27, 11, 5, tzinfo=UTC)
    with app.test_request_context():
        for locale in ("en", "fi"):
            with force_locale(locale):
                assert when(value) == format_datetime(value, "short")
        assert when(None) == ""


def test_lines_escape_the_text_and_keep_its_line_breaks():
    text = 'Called <b>them</b> & "agreed"\r\nit\'s done\n\nlast\u2028line\rend\n'
    assert lines(text) == (
        "Called &lt;b&gt;them&lt;/b&gt; &amp; &#34;agreed&#34;<br>it&#39;s done<br><br>last<br>line<br>end"
    )
    # The same as escaping each line on its own.
    assert lines(text) == Markup("<br>").join(escape(line) for line in text.splitlines())
    assert lines(None) == lines("") == ""
