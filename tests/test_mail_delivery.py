"""Delayed mention and reply e-mails through a real SMTP server in the test process."""

import logging
import threading
from datetime import timedelta

import pytest

from chatter.db import db
from chatter.mail.delayed import send_due_mentions
from chatter.models import utcnow

from .conftest import Api, close_app
from .mail_support import (
    DELAY,
    PASSWORD,
    PUBLIC,
    USER,
    mail_settings,
    make_cert,
    parts,
    start_smtp,
    stop_smtp,
)


def people(app):
    client = app.test_client()
    alice = Api(client, "alice", name="Alice Archer", email="alice@example.com")
    bob = Api(client, "bob", name="Bob Baker", email="bob@example.com")
    return alice, bob


def thread(alice, bob, replies=("Here is the answer",)):
    """Alice asks in a comment on her page; Bob replies to it."""
    post = alice.new_post(
        "Where is the style guide?", context="wiki:style", context_url="https://intra.example/style"
    )
    asked = alice.post(f"/posts/{post['id']}/comments", json={"body": "Anyone?"}).json
    answers = [
        bob.post(
            f"/posts/{post['id']}/comments", json={"body": text, "parent_id": asked["id"]}
        ).json
        for text in replies
    ]
    return post, answers


def run(app, after=DELAY + 1, now=None):
    """The mailer's round, `after` seconds from now (an injected clock: nothing waits)."""
    with app.app_context():
        sent = send_due_mentions(now or utcnow() + timedelta(seconds=after))
        db.session.remove()
    return sent


def test_a_reply_left_unread_is_mailed_once_with_its_link_and_unsubscribe(mail_app, smtp):
    alice, bob = people(mail_app)
    post, (answer,) = thread(alice, bob)
    assert run(mail_app, after=0) == 0  # not due yet
    assert smtp.inbox.messages == []
    assert run(mail_app) == 1
    (message,) = smtp.inbox.messages
    assert message.envelope_to == ["alice@example.com"]
    assert message["To"] == "Alice Archer <alice@example.com>"
    assert message["Subject"] == "Bob Baker replied to you on Chatter"
    text, html = parts(message)
    link = f"https://intra.example/style#chatter-comment-{answer['id']}"
    assert "Bob Baker replied to you" in text and "Here is the answer" in text and link in text
    assert f'href="{link}"' in html and "Here is the answer" in html
    unsubscribe = message["List-Unsubscribe"].strip("<>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text and unsubscribe.startswith(f"{PUBLIC}/mail/unsubscribe/")
    assert run(mail_app, after=3 * DELAY) == 0  # never twice
    assert len(smtp.inbox.messages) == 1
    # One click (what a mail client POSTs), and no more mention e-mails.
    client = mail_app.test_client()
    path = unsubscribe.removeprefix(PUBLIC)
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    assert alice.get("/me/preferences").json["email_mentions"] is False
    thread(alice, bob)
    assert run(mail_app) == 0 and len(smtp.inbox.messages) == 1


def test_due_notices_are_batched_and_a_person_gets_one_e_mail_per_delay(mail_app, smtp):
    alice, bob = people(mail_app)
    _post, answers = thread(alice, bob, replies=("First answer", "Second answer"))
    first_round = utcnow() + timedelta(seconds=DELAY + 1)
    assert run(mail_app, now=first_round) == 1
    (batch,) = smtp.inbox.messages
    assert batch["Subject"] == "Bob Baker replied to you on Chatter and 1 more"
    text, _html = parts(batch)
    assert "First answer" in text and "Second answer" in text
    _post, (later,) = thread(alice, bob, replies=("A third answer",))
    # Due on its own, but Alice had an e-mail less than a delay ago: it waits for the next.
    assert run(mail_app) == 0
    assert run(mail_app, now=first_round + timedelta(seconds=DELAY)) == 1
    text, _html = parts(smtp.inbox.messages[1])
    assert "A third answer" in text and "First answer" not in text
    assert f"#chatter-comment-{later['id']}" in text


def test_no_e_mail_without_an_address_or_with_mention_e_mails_off(mail_app, smtp):
    client = mail_app.test_client()
    nomail = Api(client, "carol", name="Carol")
    quiet = Api(client, "dan", name="Dan", email="dan@example.com")
    bob = Api(client, "bob", name="Bob", email="bob@example.com")
    quiet.patch("/me/preferences", json={"email_mentions": False})
    thread(nomail, bob)
    thread(quiet, bob)
    assert run(mail_app) == 0 and smtp.inbox.messages == []


def test_hostile_names_and_words_stay_text_in_the_e_mail(mail_app, smtp):
    client = mail_app.test_client()
    alice = Api(client, "alice", name="Alice", email="alice@example.com")
    name = '<img src=x onerror="alert(1)"><a href="https://evil.example">Bob</a>'
    mallory = Api(client, "mallory", name=name, email="m@example.com")
    thread(alice, mallory, replies=['<script>alert("x")</script> & <b>bold</b>'])
    assert run(mail_app) == 1
    (message,) = smtp.inbox.messages
    _text, html = parts(message)
    for markup in ("<img", "<script", "<b>", 'evil.example">', '<a href="https://evil'):
        assert markup not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold" in html
    assert "\n" not in message["Subject"]


def test_refused_or_unreachable_smtp_is_logged_and_retried_next_round(mail_app, smtp, caplog):
    alice, bob = people(mail_app)
    thread(alice, bob)
    smtp.inbox.refusing = True
    with caplog.at_level(logging.WARNING, logger="chatter.mail"):
        assert run(mail_app) == 0
    assert "not sent, retrying later" in caplog.text and "451" in caplog.text
    smtp.inbox.refusing = False
    port = smtp.port
    stop_smtp(smtp)  # down: the connection is refused
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="chatter.mail"):
        assert run(mail_app) == 0
    assert "not sent, retrying later" in caplog.text
    back = start_smtp()
    try:
        mail_app.config["CHATTER_SMTP_URL"] = f"smtp://127.0.0.1:{back.port}"
        assert port  # the first server's port is gone; the new one takes over
        assert run(mail_app) == 1
        (message,) = back.inbox.messages
        assert "Here is the answer" in parts(message)[0]
    finally:
        back.stop()


def test_two_processes_mailing_at_once_send_each_e_mail_once(make_app, smtp):
    first = make_app(**mail_settings(f"smtp://127.0.0.1:{smtp.port}"))
    second = make_test_app_on_same_database(first)
    client = first.test_client()
    bob = Api(client, "bob", name="Bob", email="bob@example.com")
    askers = [Api(client, f"asker{i}", email=f"asker{i}@example.com") for i in range(6)]
    for asker in askers:
        thread(asker, bob)
    now = utcnow() + timedelta(seconds=DELAY + 1)
    start = threading.Barrier(2)
    sent = []

    def mail(app):
        start.wait()
        sent.append(run(app, now=now))

    workers = [threading.Thread(target=mail, args=(app,)) for app in (first, second)]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        close_app(second)
    assert sum(sent) == 6
    assert sorted(m.envelope_to[0] for m in smtp.inbox.messages) == sorted(
        f"asker{i}@example.com" for i in range(6)
    )


def make_test_app_on_same_database(app):
    from chatter import create_app

    env = {
        "CHATTER_DEV_MODE": "1",
        "CHATTER_INSTANCE_DIR": app.config["CHATTER_INSTANCE_DIR"],
        "CHATTER_SECRET_KEY": app.config["SECRET_KEY"],
        "CHATTER_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        **mail_settings(app.config["CHATTER_SMTP_URL"]),
    }
    return create_app(env=env)


@pytest.mark.parametrize("scheme", ["smtps", "smtp+starttls"])
def test_tls_servers_are_verified_and_logged_into(make_app, tmp_path, monkeypatch, scheme):
    cert = make_cert(tmp_path)
    server = start_smtp(tls=scheme.removeprefix("smtp+"), cert=cert)
    try:
        url = f"{scheme}://{USER}:{PASSWORD.replace(' ', '%20')}@127.0.0.1:{server.port}"
        app = make_app(**mail_settings(url))
        alice, bob = people(app)
        thread(alice, bob)
        # Not trusted yet (self-signed): refused, kept for the next round.
        assert run(app) == 0 and server.inbox.messages == []
        monkeypatch.setenv("SSL_CERT_FILE", str(cert["cert"]))
        assert run(app) == 1
        (message,) = server.inbox.messages
        assert message.login == USER and message.envelope_to == ["alice@example.com"]
    finally:
        server.stop()


def test_the_mailer_thread_sends_without_anyone_calling_it(make_app, smtp):
    from chatter.mail import start_mailer

    app = make_app(**mail_settings(f"smtp://127.0.0.1:{smtp.port}"))
    app.config["CHATTER_EMAIL_DELAY_SECONDS"] = 0
    alice, bob = people(app)
    thread(alice, bob)
    mailer = start_mailer(app)
    mailer.interval = 0.05
    try:
        arrived = threading.Event()
        while not arrived.wait(0.05):
            if smtp.inbox.messages:
                arrived.set()
    finally:
        mailer.stop()
    assert smtp.inbox.messages[0].envelope_to == ["alice@example.com"]


def test_a_mention_is_mailed_with_the_permalink_that_opens_the_conversation(mail_app, smtp):
    alice, bob = people(mail_app)
    post = bob.new_post("Offsite notes, no page of their own")
    body = f"@{alice.user['handle']} can you add yours?"
    mention = bob.post(f"/posts/{post['id']}/comments", json={"body": body}).json
    assert run(mail_app) == 1
    (message,) = smtp.inbox.messages
    assert message["Subject"] == "Bob Baker mentioned you on Chatter"
    text, html = parts(message)
    link = f"{PUBLIC}/c/{post['id']}#chatter-comment-{mention['id']}"
    assert link == mention["link"]  # the permalink, as the pane's Copy link gives it
    assert link in text and f'href="{link}"' in html
    # and it opens the conversation: Chatter's own page with the pane on it
    page = mail_app.test_client().get(link.removeprefix(PUBLIC).split("#")[0])
    assert page.status_code == 200 and f'data-fragment="chatter-post-{post["id"]}"' in page.text


def test_what_was_read_in_time_is_not_mailed(mail_app, smtp):
    alice, bob = people(mail_app)
    post, _answers = thread(alice, bob)
    # opening the conversation marks its notifications read
    assert alice.post("/notifications/read", json={"post_id": post["id"]}).json == {
        "unread_count": 0
    }
    assert run(mail_app) == 0 and smtp.inbox.messages == []
    # a comment merely on a followed conversation is the bell's and the digest's, not mailed
    bob.post(f"/posts/{post['id']}/comments", json={"body": "More, at the top level"})
    assert run(mail_app, after=3 * DELAY) == 0 and smtp.inbox.messages == []
