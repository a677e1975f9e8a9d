"""Entry point for gunicorn and `flask run`: `gunicorn wsgi:app`."""

from hiddengems import create_app

app = create_app()
