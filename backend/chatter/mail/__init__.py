"""E-mail: delayed mention and reply e-mails, the digest, preferences and unsubscribe links."""

import logging
from urllib.parse import urlsplit

from . import models  # noqa: F401 - the tables, for db.create_all() and migrations
from .views import api, pages

log = logging.getLogger(__name__)


def mail_enabled(app):
    return app.config["CHATTER_SMTP_URL"] is not None


def init_app(app):
    """Register the preferences API and unsubscribe pages; say whether e-mail is on."""
    app.register_blueprint(api)
    app.register_blueprint(pages)
    if mail_enabled(app):
        parts = urlsplit(app.config["CHATTER_SMTP_URL"])
        log.info("E-mail is on: %s://%s:%s", parts.scheme, parts.hostname, parts.port or "")
    else:
        log.info("E-mail is off: set CHATTER_SMTP_URL to send mention e-mails and digests.")


def start_mailer(app):
    """Start this process's mailer thread (a no-op when e-mail is off)."""
    if not mail_enabled(app) or "chatter.mailer" in app.extensions:
        return None
    from .worker import Mailer

    app.extensions["chatter.mailer"] = Mailer(app).start()
    return app.extensions["chatter.mailer"]
