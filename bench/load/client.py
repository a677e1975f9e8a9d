"""A light HTTP/1.1 client on asyncio protocols: one request per connection.

gunicorn's sync workers close the connection after every response, so each
request opens its own TCP connection, as a browser's would behind such a
server. No HTTP library: a request is a prepared bytes object, a response is
read to the end and only its status line and Set-Cookie headers are looked at,
so that the client costs little CPU next to the server it measures.
"""

from __future__ import annotations

import asyncio
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

USER_AGENT = "hiddengems-load/1"
TIMEOUT = 30.0
COOKIE = re.compile(rb"^set-cookie:\s*([^=\s]+)=([^;\r\n]*)", re.I | re.M)


@dataclass
class Response:
    status: int
    head: bytes
    body: bytes

    def cookies(self) -> dict[str, str]:
        return {name.decode(): value.decode() for name, value in COOKIE.findall(self.head)}

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _Exchange(asyncio.Protocol):
    """Sends one request and collects the whole answer until the server closes."""

    def __init__(self, request: bytes, done: asyncio.Future) -> None:
        self.request = request
        self.done = done
        self.chunks: list[bytes] = []

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        self.chunks.append(data)

    def connection_lost(self, exc: Exception | None) -> None:
        if self.done.done():
            return
        if exc is not None:
            self.done.set_exception(exc)
        else:
            self.done.set_result(b"".join(self.chunks))


def build_request(
    method: str, path: str, *, host: str, cookies: dict[str, str] | None = None, form: dict | None = None
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", f"User-Agent: {USER_AGENT}", "Connection: close"]
    if cookies:
        lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()))
    body = b""
    if form is not None:
        body = urlencode(form).encode()
        lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def parse(raw: bytes) -> Response:
    head, _, body = raw.partition(b"\r\n\r\n")
    status_line = head.split(b"\r\n", 1)[0]
    parts = status_line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
        raise ConnectionError(f"not an HTTP answer: {status_line[:60]!r}")
    if b"transfer-encoding: chunked" in head.lower():
        body = _dechunk(body)
    return Response(int(parts[1]), head, body)


def _dechunk(body: bytes) -> bytes:
    out = bytearray()
    while body:
        size_line, _, rest = body.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        body = rest[size + 2 :]
    return bytes(out)


async def fetch(host: str, port: int, request: bytes, timeout: float = TIMEOUT) -> Response:
    loop = asyncio.get_running_loop()
    done: asyncio.Future = loop.create_future()
    # One timer for the whole exchange (asyncio.wait_for costs a task switch per await).
    timer = loop.call_later(timeout, lambda: done.done() or done.set_exception(TimeoutError()))
    transport = None
    try:
        transport, _ = await loop.create_connection(lambda: _Exchange(request, done), host, port)
        raw = await done
    finally:
        timer.cancel()
        if transport is not None:
            transport.close()
    return parse(raw)


@dataclass
class Tally:
    """What one target answered during a phase: latencies of every request, and errors."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def error(self, kind: str) -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1


async def hammer(
    host: str, port: int, request: bytes, expect: int, until: float, tally: Tally, timeout: float = TIMEOUT
) -> None:
    """One client: the same request again and again until the deadline (closed loop).

    Any answer other than the expected status is an error (so is a 302 to the login
    page where a page was expected), as are timeouts and refused or reset connections."""
    clock = time.perf_counter
    while clock() < until:
        started = clock()
        try:
            response = await fetch(host, port, request, timeout)
        except TimeoutError:
            tally.error("timeout")
            tally.latencies.append(clock() - started)
            continue
        except (OSError, ConnectionError):
            tally.error("connection")
            tally.latencies.append(clock() - started)
            await asyncio.sleep(0.01)  # do not spin on a refused port
            continue
        tally.latencies.append(clock() - started)
        if response.status != expect:
            tally.error(f"HTTP {response.status}")
