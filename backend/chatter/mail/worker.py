"""The mailer thread: one per app process, sending delayed e-mails every few seconds."""

import logging
import threading

from ..db import db
from .delayed import send_due_mentions

log = logging.getLogger(__name__)


class Mailer:
    """Runs send_due_mentions in a loop until stopped; started by `chatter serve` and demo."""

    def __init__(self, app):
        self.app = app
        delay = app.config["CHATTER_EMAIL_DELAY_SECONDS"]
        # A tenth of the delay, 5 s to 60 s: an e-mail leaves at most that late.
        self.interval = min(60.0, max(5.0, delay / 10))
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name="chatter-mailer", daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stopped.set()
        self.thread.join()

    def _run(self):
        while not self.stopped.wait(self.interval):
            try:
                with self.app.app_context():
                    send_due_mentions()
                    db.session.remove()
            except Exception:  # noqa: BLE001 - keep mailing; the next round retries
                log.exception("mailer round failed")
