"""Hidden Gems: the service desk of a spouse-career programme."""

from __future__ import annotations

import os

from flask import Flask
from sqlalchemy.engine import make_url
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS
from hiddengems.extensions import babel, bootstrap, csrf, db, login_manager, migrate


def create_app(config_name: str | None = None, test_config: dict | None = None) -> Flask:
    app = Flask(__name__, template_folder="../templates", instance_relative_config=True)
    # Before anything makes app.jinja_env (hiddengems/ui/templating.py says why).
    from hiddengems.ui.templating import HiddenGemsEnvironment

    app.jinja_environment = HiddenGemsEnvironment
    config_name = config_name or os.environ.get("HIDDENGEMS_CONFIG", "development")
    config_class = CONFIGS[config_name]
    app.config.from_object(config_class)
    if test_config:
        app.config.update(test_config)
    if hasattr(config_class, "check"):
        config_class.check(app.config)
    _sqlite_pool_without_limit(app)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    bootstrap.init_app(app)

    from hiddengems import web

    babel.init_app(app, locale_selector=web.select_locale, timezone_selector=web.select_timezone)
    web.init_app(app)

    from hiddengems import cli

    cli.init_app(app)

    if app.config["SCHEDULER_IN_PROCESS"]:
        from hiddengems.scheduler import start_in_process

        start_in_process(app)
    return app


def _sqlite_pool_without_limit(app: Flask) -> None:
    """On a SQLite file, a GET page that audits its view (a case file) holds two pooled
    connections for a moment: its reads' and the one its audit row is written on
    (audit.record_now, so that the reads never wait for the write lock). With the pool's
    overflow limited (15 by default), as many such pages at once in the threaded
    development server each held one and waited for a second until they failed. SQLite's
    connections are file handles: its pool has no limit, unless the config sets one."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"max_overflow": -1, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
