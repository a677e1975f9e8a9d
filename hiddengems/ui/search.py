"""Free-text searches of the lists (names, e-mails) never travel in a URL.

URLs end up in access logs, proxies and browser history, and SECURITY.md promises
that they carry ids only (ASVS 8.3.1). So a list's filter form is posted: the search
text is kept in the session for that list, and the browser is sent to the list's URL
with the other filters (stage, organisation, sort …), which name nobody.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for
from werkzeug.wrappers import Response

SESSION_KEY = "searches"
FIELD = "q"
# Longer input is kept as typed (up to this much) so the form can say what is wrong.
KEEP = 500


def remember() -> Response:
    """Handle a posted filter form of the current list: keep the search, redirect to GET."""
    endpoint = request.endpoint
    term = (request.form.get(FIELD) or "").strip()[:KEEP]
    searches = dict(session.get(SESSION_KEY, {}))
    if term:
        searches[endpoint] = term
    else:
        searches.pop(endpoint, None)
    session[SESSION_KEY] = searches
    # Names with a leading underscore are url_for's own (_external, _scheme, _anchor,
    # _method): posted, they would set the redirect's scheme and host, or fail it.
    args = {
        name: value
        for name, value in request.form.items()
        if name not in (FIELD, "csrf_token") and not name.startswith("_") and value
    }
    return redirect(url_for(endpoint, **(request.view_args or {}), **args))


def list_args():
    """The list's filters from the URL, without a search text someone put there by hand."""
    args = request.args.copy()
    args.pop(FIELD, None)
    return args


def current(endpoint: str | None = None) -> str:
    """The search text kept for the current list (or the list of ``endpoint``), or ''."""
    return session.get(SESSION_KEY, {}).get(endpoint or request.endpoint, "")
