"""Entry point for gunicorn and `flask run`: `gunicorn wsgi:app`."""

import gc

from hiddengems import create_app

app = create_app()
# What starting made (mappers, compiled templates, catalogues) lives as long as the
# process: frozen, the collector no longer walks it again and again while serving.
gc.freeze()
