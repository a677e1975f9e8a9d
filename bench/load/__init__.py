"""The load benchmark: pages under concurrent clients through gunicorn (``python -m bench.load``)."""
