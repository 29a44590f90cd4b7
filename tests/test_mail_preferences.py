"""E-mail preferences (GET|PATCH /me/preferences), unsubscribe links and the mail settings."""

import logging
from urllib.parse import urlsplit

import pytest

from chatter.config import ConfigError, load_config
from chatter.db import db
from chatter.mail.preferences import revoke_links
from chatter.mail.unsubscribe import unsubscribe_url

PUBLIC = "https://chatter.example.com"


def test_preferences_start_at_the_defaults_and_change(alice, bob):
    assert alice.get("/me/preferences").json == {
        "email_mentions": True,
        "email_digest": "weekly",
        "show_in_insights": True,
    }
    changed = alice.patch("/me/preferences", json={"email_digest": "daily"})
    assert changed.status_code == 200
    assert changed.json == {
        "email_mentions": True,
        "email_digest": "daily",
        "show_in_insights": True,
    }
    alice.patch("/me/preferences", json={"email_mentions": False})
    assert alice.get("/me/preferences").json == {
        "email_mentions": False,
        "email_digest": "daily",
        "show_in_insights": True,
    }
    assert bob.get("/me/preferences").json == {
        "email_mentions": True,
        "email_digest": "weekly",
        "show_in_insights": True,
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email_mentions": "yes"}, "email_mentions"),
        ({"email_mentions": 1}, "email_mentions"),
        ({"email_mentions": None}, "email_mentions"),
        ({"email_digest": "monthly"}, "email_digest"),
        ({"email_digest": True}, "email_digest"),
        ({"email_digest": "daily", "email_everything": True}, "email_everything"),
        ({}, "_schema"),
        ([], "_schema"),
    ],
)
def test_preferences_refuse_anything_but_their_two_fields(alice, body, field):
    response = alice.patch("/me/preferences", json=body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"]
    assert alice.get("/me/preferences").json == {
        "email_mentions": True,
        "email_digest": "weekly",
        "show_in_insights": True,
    }


def test_preferences_need_a_session_and_json(client, alice):
    assert client.get("/api/v1/me/preferences").status_code == 401
    assert client.patch("/api/v1/me/preferences", json={"email_digest": "off"}).status_code == 401
    not_json = alice.patch("/me/preferences", data="email_digest=off")
    assert not_json.status_code == 415
    broken = alice.patch("/me/preferences", data="{", headers={"Content-Type": "application/json"})
    assert broken.status_code == 400 and broken.json["code"] == "malformed_json"
    assert alice.get("/me/preferences").json["email_digest"] == "weekly"


@pytest.fixture
def mail_app(make_app):
    return make_app(CHATTER_PUBLIC_URL=PUBLIC)


def _link(app, user_id, mailing):
    with app.test_request_context():
        return unsubscribe_url(user_id, mailing)


def _path(link):
    assert link.startswith(f"{PUBLIC}/mail/unsubscribe/")
    return urlsplit(link).path


def test_an_unsubscribe_link_asks_then_one_click_unsubscribes(mail_app):
    from .conftest import Api

    client = mail_app.test_client()
    alice = Api(client, "alice")
    path = _path(_link(mail_app, alice.user["id"], "digest"))
    page = client.get(path)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "Stop the digest e-mail from Chatter?" in page.text
    assert '<form method="post">' in page.text
    assert "script" not in page.headers["Content-Security-Policy"]
    assert alice.get("/me/preferences").json["email_digest"] == "weekly"  # GET changes nothing
    # What a mail client sends for RFC 8058 one-click: no page, no Origin.
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "no more the digest e-mail" in done.text
    assert alice.get("/me/preferences").json == {
        "email_mentions": True,
        "email_digest": "off",
        "show_in_insights": True,
    }
    mentions = _path(_link(mail_app, alice.user["id"], "mentions"))
    assert client.post(mentions).status_code == 200
    assert alice.get("/me/preferences").json == {
        "email_mentions": False,
        "email_digest": "off",
        "show_in_insights": True,
    }


def test_altered_forged_or_revoked_links_are_refused_and_change_nothing(mail_app):
    from itsdangerous import URLSafeSerializer

    from .conftest import Api

    client = mail_app.test_client()
    alice, bob = Api(client, "alice"), Api(client, "bob")
    path = _path(_link(mail_app, alice.user["id"], "digest"))
    token = path.rsplit("/", 1)[1]
    altered = path[:-1] + ("A" if path[-1] != "A" else "B")
    forged = URLSafeSerializer("another-secret-" + "x" * 40, salt="chatter.mail.unsubscribe")
    for bad in (
        altered,
        f"/mail/unsubscribe/{forged.dumps([bob.user['id'], 'digest', 0])}",
        f"/mail/unsubscribe/{token}x",
        "/mail/unsubscribe/not-a-token",
    ):
        for method in ("GET", "POST"):
            response = client.open(bad, method=method)
            assert response.status_code == 400, bad
            assert response.json["code"] == "bad_unsubscribe_link"
    with mail_app.app_context():
        revoke_links(alice.user["id"])
        db.session.commit()
    revoked = client.post(path)
    assert revoked.status_code == 400 and revoked.json["code"] == "bad_unsubscribe_link"
    assert alice.get("/me/preferences").json["email_digest"] == "weekly"
    assert bob.get("/me/preferences").json["email_digest"] == "weekly"
    fresh = _path(_link(mail_app, alice.user["id"], "digest"))
    assert client.post(fresh).status_code == 200


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"CHATTER_SMTP_URL": "mail.example.com:25"}, "CHATTER_SMTP_URL must look like"),
        ({"CHATTER_SMTP_URL": "http://mail.example.com"}, "CHATTER_SMTP_URL must look like"),
        ({"CHATTER_SMTP_URL": "smtp://mail.example.com:notaport"}, "CHATTER_SMTP_URL"),
        ({"CHATTER_SMTP_URL": "smtp://u:p@mail.example.com"}, "in clear"),
        (
            {"CHATTER_SMTP_URL": "smtps://mail.example.com", "CHATTER_PUBLIC_URL": PUBLIC},
            "CHATTER_MAIL_FROM is required",
        ),
        (
            {"CHATTER_SMTP_URL": "smtps://mail.example.com", "CHATTER_MAIL_FROM": "a@b.example"},
            "CHATTER_PUBLIC_URL is required",
        ),
        ({"CHATTER_PUBLIC_URL": "chatter.example.com"}, "CHATTER_PUBLIC_URL"),
        (
            {
                "CHATTER_SMTP_URL": "smtps://mail.example.com",
                "CHATTER_PUBLIC_URL": PUBLIC,
                "CHATTER_MAIL_FROM": "not an address",
            },
            "CHATTER_MAIL_FROM",
        ),
        ({"CHATTER_EMAIL_DELAY_SECONDS": "soon"}, "CHATTER_EMAIL_DELAY_SECONDS"),
        ({"CHATTER_EMAIL_DELAY_SECONDS": "-1"}, "CHATTER_EMAIL_DELAY_SECONDS"),
    ],
)
def test_mail_misconfiguration_stops_startup_with_a_sentence(tmp_path, env, message):
    with pytest.raises(ConfigError, match=message):
        load_config({"CHATTER_INSTANCE_DIR": str(tmp_path), **env})


def test_start_up_says_in_one_line_whether_e_mail_is_on(make_app, caplog):
    with caplog.at_level(logging.INFO, logger="chatter.mail"):
        make_app()
        make_app(
            CHATTER_SMTP_URL="smtp+starttls://mail.example.com:587",
            CHATTER_MAIL_FROM="Chatter <chatter@example.com>",
            CHATTER_PUBLIC_URL=PUBLIC,
        )
    lines = [r.getMessage() for r in caplog.records if r.name == "chatter.mail"]
    assert lines == [
        "E-mail is off: set CHATTER_SMTP_URL to send mention e-mails and digests.",
        "E-mail is on: smtp+starttls://mail.example.com:587",
    ]
