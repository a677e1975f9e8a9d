"""Delivery over SMTP: one session for a batch of messages, TLS as configured, timeouts.

Settings (config.py, from the environment): MAIL_SERVER, MAIL_PORT, MAIL_SECURITY
("starttls", "tls" for implicit TLS on connect, usually port 465, or "none"),
MAIL_USERNAME / MAIL_PASSWORD (log in when a user name is set), MAIL_TLS_CA_FILE
(a private CA; the system's otherwise), MAIL_TIMEOUT_SECONDS (per network operation).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from email.message import EmailMessage

SECURITY = ("starttls", "tls", "none")


class ServerUnavailable(Exception):
    """The server could not be reached, greeted, secured or logged in to: every message of
    the batch would fail the same way, so the batch stops and waits for the next run."""


class Refused(Exception):
    """The server refused this message for good (a 5xx reply to its sender, recipient or
    content): trying it again would get the same answer."""


def _tls_context(config) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=config.get("MAIL_TLS_CA_FILE") or None)


class Transport:
    """An SMTP session opened at the first message and reused for the next ones."""

    def __init__(self, config) -> None:
        self.config = config
        self.smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT_SECONDS"]
        security = config["MAIL_SECURITY"]
        smtp: smtplib.SMTP | None = None
        try:
            if security == "tls":
                smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=_tls_context(config))
            else:
                smtp = smtplib.SMTP(host, port, timeout=timeout)
                if security == "starttls":
                    smtp.starttls(context=_tls_context(config))
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except (OSError, smtplib.SMTPException) as error:
            if smtp is not None:
                with contextlib.suppress(OSError, smtplib.SMTPException):
                    smtp.close()
            raise ServerUnavailable(f"{type(error).__name__}: {error}") from error
        return smtp

    def send(self, email: EmailMessage) -> None:
        """Hand one message to the server; raises ServerUnavailable, Refused, or
        OSError / SMTPException for a failure worth retrying."""
        if self.smtp is None:
            self.smtp = self._open()
        try:
            self.smtp.send_message(email)
        except smtplib.SMTPRecipientsRefused as error:
            # smtplib has reset the session (RSET) already: it serves the next message.
            codes = [code for code, _text in error.recipients.values()]
            if codes and all(code >= 500 for code in codes):
                raise Refused(f"recipient refused: {error.recipients}") from error
            self.drop()
            raise
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as error:
            if error.smtp_code >= 500:
                raise Refused(f"{type(error).__name__}: {error.smtp_code} {error.smtp_error!r}") from error
            self.drop()
            raise
        except (OSError, smtplib.SMTPException):
            # The session is in an unknown state (a timeout mid-message): a new one next time.
            self.drop()
            raise

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.close()
            self.smtp = None

    def close(self) -> None:
        """Say goodbye politely; what was sent is sent whatever QUIT answers."""
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
        self.drop()
