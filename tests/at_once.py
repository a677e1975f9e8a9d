"""The same request from many browsers at the same moment."""

from __future__ import annotations

import threading
from collections.abc import Callable


def at_once(n: int, send: Callable[[int], str]) -> list[str]:
    """Call ``send(i)`` in ``n`` threads released together; their answers, in any order.

    Each thread should use its own test client: each request then has its own app
    context and database session, as in production. The caller commits its own
    session first, or on SQLite it holds the write lock the requests wait for."""
    barrier = threading.Barrier(n)
    answers: list[str] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(10)
            answers.append(send(i))
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    return answers
