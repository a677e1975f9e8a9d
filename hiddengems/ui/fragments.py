"""Empty forms written once and kept.

The case file, the page advisers open most, shows three forms nobody has filled in yet on
every view: a note for the timeline, a follow-up, the stage. Building a WTForms form and
writing its fields cost more than the rest of its panel, yet an empty form's HTML is the
same on every view but for a few values: the language, what the caller names in its key
(the case's stage and version, the default time), and the CSRF token, which is the
session's own. So each is written once per key and kept with its token taken out, and
every view puts the request's own token back in. A form that comes back with its errors
(or with what its user typed after a conflict) is written afresh and never kept.

The key must name everything the form's HTML depends on besides the language and the
token: the kept copy is shown to everyone who asks with the same key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import current_app, render_template
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from hiddengems.ui.words import request_locale

# Stands where the token was in a kept copy. A NUL is never written into a page: requests
# lose their control characters where they are parsed (ui/inputs.CleanRequest).
_TOKEN = "\x00csrf-token\x00"  # noqa: S105 - a placeholder, not a secret
# Copies kept per app: forms × languages × the callers' keys (stages × versions, minutes).
# Past this many, the whole store starts again.
KEEP_AT_MOST = 512


def form_html(template: str, given: FlaskForm | None, make: Callable[[], FlaskForm], *key: Hashable) -> Markup:
    """What ``template`` writes for a form (as ``form``): ``given`` afresh when there is one,
    else the form ``make()`` would build, written once per ``key`` and language and kept."""
    if given is not None:
        return Markup(render_template(template, form=given))  # noqa: S704 - a template's output
    app = current_app._get_current_object()
    csrf = app.config["WTF_CSRF_ENABLED"]
    kept: dict[tuple, str] = app.extensions.setdefault("hiddengems_kept_forms", {})
    full_key = (template, request_locale()[1], csrf, *key)
    # Only where forms carry a token: asking for one writes it into the session.
    token = generate_csrf() if csrf else None
    html = kept.get(full_key)
    if html is None:
        written = render_template(template, form=make())
        if token is not None and token not in written:
            return Markup(written)  # noqa: S704 - a template's output; no token where one should be: not kept
        if len(kept) >= KEEP_AT_MOST:
            kept.clear()
        kept[full_key] = written if token is None else written.replace(token, _TOKEN)
        return Markup(written)  # noqa: S704 - a template's output
    return Markup(html if token is None else html.replace(_TOKEN, token))  # noqa: S704 - kept template output
