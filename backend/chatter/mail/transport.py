"""Handing e-mails to the SMTP server named by CHATTER_SMTP_URL."""

import smtplib
import ssl
from urllib.parse import unquote, urlsplit

from ..config import SMTP_SCHEMES

TIMEOUT = 15  # seconds for each SMTP step: a hung server must not hold a mailer forever


class MailError(Exception):
    """The SMTP server could not be reached or refused the e-mail; try again later."""


def send(smtp_url, message):
    """Deliver one message; MailError when it was not accepted (nothing was sent then)."""
    parts = urlsplit(smtp_url)
    port = parts.port or SMTP_SCHEMES[parts.scheme]
    # The system's trust store (or SSL_CERT_FILE): a server's certificate is always verified.
    context = ssl.create_default_context()
    try:
        if parts.scheme == "smtps":
            client = smtplib.SMTP_SSL(parts.hostname, port, timeout=TIMEOUT, context=context)
        else:
            client = smtplib.SMTP(parts.hostname, port, timeout=TIMEOUT)
        with client:
            if parts.scheme == "smtp+starttls":
                client.starttls(context=context)
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{parts.hostname}:{port}: {error}") from error
