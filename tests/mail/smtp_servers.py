"""Real SMTP servers on this machine for the delivery tests: aiosmtpd that accepts (plain,
STARTTLS, implicit TLS, with a login), one that refuses, and a socket that never answers."""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from email import message_from_bytes
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER, PASSWORD = "gems", "s3cret-pass"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for localhost (and its key), which the client is told to trust."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(  # noqa: S603 - fixed arguments
        [  # noqa: S607 - openssl from the system
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


class Inbox:
    """aiosmtpd's handler: keeps what it accepts; refuses what it is told to."""

    def __init__(self) -> None:
        self.messages: list = []
        self.logins: list[str] = []
        self.refuse_rcpt: dict[str, str] = {}  # address -> reply, e.g. "550 no such user"
        self.data_reply: str | None = None  # e.g. "451 try again later"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse_rcpt:
            return self.refuse_rcpt[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.data_reply:
            return self.data_reply
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            USER.encode(),
            PASSWORD.encode(),
        ):
            self.logins.append(USER)
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    @property
    def to(self) -> list[str]:
        return [message["To"] for message in self.messages]


def start_smtp(
    inbox: Inbox, port: int, *, starttls: ssl.SSLContext | None = None, implicit: ssl.SSLContext | None = None
) -> Controller:
    kwargs: dict = {"authenticator": inbox.authenticate, "auth_require_tls": True}
    if starttls is not None:
        kwargs.update(tls_context=starttls, require_starttls=True, auth_required=True)
    if implicit is not None:
        # aiosmtpd only counts STARTTLS as TLS when offering AUTH; this connection is TLS from the start.
        kwargs.update(auth_require_tls=False, auth_required=True)
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, ssl_context=implicit, server_hostname="localhost", **kwargs
    )
    controller.start()
    return controller


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


class Silent:
    """Accepts connections and never says a word: a hung mail server."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", port))
        self.sock.listen(16)
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def stop(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()
