"""Identity tokens: only a fresh, correctly signed, single-use token opens a session."""

import base64
import json
import time
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from sqlalchemy import func, select

from chatter.db import db
from chatter.models import Session, User

ISSUER = "https://intranet.example.com"
HMAC_SECRET = "s" * 40
ED_KEY = ed25519.Ed25519PrivateKey.generate()
RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def pem(private_key):
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


KEYRING = {
    ISSUER: {
        "keys": [
            {"kid": "ed-1", "alg": "EdDSA", "public_key": pem(ED_KEY)},
            {"kid": "rsa-1", "alg": "RS256", "public_key": pem(RSA_KEY)},
            {"kid": "hs-1", "alg": "HS256", "secret": HMAC_SECRET},
        ]
    }
}


@pytest.fixture
def idp_app(make_app):
    return make_app(CHATTER_ISSUERS=json.dumps(KEYRING))


@pytest.fixture
def idp_client(idp_app):
    return idp_app.test_client()


def claims(**overrides):
    now = int(time.time())
    base = {
        "iss": ISSUER,
        "aud": "chatter",
        "sub": "u-42",
        "iat": now,
        "exp": now + 300,
        "jti": uuid.uuid4().hex,
        "name": "Ada Lovelace",
        "department": "Research",
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not None}


def sign(payload, kid="ed-1"):
    key, alg = {
        "ed-1": (ED_KEY, "EdDSA"),
        "rsa-1": (RSA_KEY, "RS256"),
        "hs-1": (HMAC_SECRET, "HS256"),
    }[kid]
    return jwt.encode(payload, key, algorithm=alg, headers={"kid": kid})


def b64(data):
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def sessions_and_users(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Session)),
            db.session.scalar(select(func.count()).select_from(User)),
        )


@pytest.mark.parametrize("kid", ["ed-1", "rsa-1", "hs-1"])
def test_each_configured_algorithm_signs_in(idp_client, kid):
    response = idp_client.post("/api/v1/session", json={"identity_token": sign(claims(), kid)})
    assert response.status_code == 201, response.json
    assert response.json["user"]["name"] == "Ada Lovelace"
    assert response.json["dev_mode"] is False
    me = idp_client.get("/api/v1/me", headers={"Authorization": f"Bearer {response.json['token']}"})
    assert me.json["department"] == "Research"


def _forged():
    now = int(time.time())
    public_pem = pem(RSA_KEY).encode()
    hs_with_public = jwt.api_jws.PyJWS()
    hs_with_public._algorithms["HS256"].prepare_key = lambda key: key  # allow a PEM as secret
    confused = hs_with_public.encode(
        json.dumps(claims()).encode(), public_pem, algorithm="HS256", headers={"kid": "rsa-1"}
    )
    valid = sign(claims())
    head, body, signature = valid.split(".")
    tampered = ".".join([head, b64(claims(sub="admin")), signature])
    return {
        "expired": (sign(claims(iat=now - 900, exp=now - 400)), "expired"),
        "future_dated": (sign(claims(iat=now + 600, exp=now + 900)), "not_yet_valid"),
        "wrong_audience": (sign(claims(aud="someone-else")), "wrong_audience"),
        "unknown_issuer": (sign(claims(iss="https://evil.example.com")), "unknown_issuer"),
        "unknown_kid": (
            jwt.encode(claims(), ED_KEY, algorithm="EdDSA", headers={"kid": "nope"}),
            "unknown_key",
        ),
        "alg_none": (
            ".".join([b64({"alg": "none", "kid": "ed-1"}), b64(claims()), ""]),
            "wrong_algorithm",
        ),
        "hs256_with_public_key": (confused, "wrong_algorithm"),
        "lifetime_too_long": (sign(claims(iat=now, exp=now + 3600)), "lifetime_too_long"),
        "tampered": (tampered, "bad_signature"),
        "garbage": ("not.a.jwt", "malformed"),
        "missing_jti": (sign(claims(jti=None)), "missing_claim"),
        "null_subject": (sign(claims(sub="null")), "invalid_subject"),
        "blank_subject": (sign(claims(sub="   ")), "invalid_subject"),
        "dev_issuer_in_production": (
            jwt.encode(
                claims(iss="chatter-dev"), ED_KEY, algorithm="EdDSA", headers={"kid": "dev-1"}
            ),
            "unknown_issuer",
        ),
    }


@pytest.mark.parametrize("case", sorted(_forged()))
def test_hostile_identity_tokens_are_refused(make_app, case):
    # Dev mode off: the dev issuer must be unknown here.
    app = make_app(CHATTER_DEV_MODE="0", CHATTER_ISSUERS=json.dumps(KEYRING))
    token, code = _forged()[case]
    response = app.test_client().post("/api/v1/session", json={"identity_token": token})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == code
    assert sessions_and_users(app) == (0, 0)


def test_replayed_token_is_refused(idp_client, idp_app):
    token = sign(claims())
    assert idp_client.post("/api/v1/session", json={"identity_token": token}).status_code == 201
    again = idp_client.post("/api/v1/session", json={"identity_token": token})
    assert (again.status_code, again.json["code"]) == (401, "replayed")
    assert sessions_and_users(idp_app) == (1, 1)


def test_users_are_keyed_by_issuer_and_subject_and_older_profiles_do_not_win(idp_client):
    now = int(time.time())
    first = idp_client.post(
        "/api/v1/session",
        json={"identity_token": sign(claims(name="Ada L.", iat=now - 30, exp=now + 200))},
    ).json
    newer = idp_client.post(
        "/api/v1/session",
        json={"identity_token": sign(claims(name="Ada Lovelace", title="Countess", iat=now))},
    ).json
    older = idp_client.post(
        "/api/v1/session",
        json={"identity_token": sign(claims(name="Stale Name", iat=now - 60, exp=now + 200))},
    ).json
    assert first["user"]["id"] == newer["user"]["id"] == older["user"]["id"]
    assert older["user"]["name"] == "Ada Lovelace"
    assert older["user"]["title"] == "Countess"


def test_profile_claims_are_cleaned(idp_client):
    token = sign(claims(name="\u202eEve\u200b  \x07Admin", avatar="javascript:alert(1)", title=123))
    user = idp_client.post("/api/v1/session", json={"identity_token": token}).json["user"]
    assert user["name"] == "Eve Admin"
    assert user["avatar_url"] is None
    assert user["title"] is None


def test_sign_out_revokes_at_once(idp_client):
    session = idp_client.post("/api/v1/session", json={"identity_token": sign(claims())}).json
    headers = {"Authorization": f"Bearer {session['token']}"}
    assert idp_client.get("/api/v1/me", headers=headers).status_code == 200
    assert idp_client.delete("/api/v1/session", headers=headers).status_code == 204
    after = idp_client.get("/api/v1/me", headers=headers)
    assert (after.status_code, after.json["code"]) == (401, "invalid_session")


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer nope", "Basic dXNlcjpwYXNz", "bearer " + "x" * 5000]
)
def test_requests_without_a_valid_session_are_401(client, header):
    response = client.get("/api/v1/posts", headers={"Authorization": header} if header else {})
    assert response.status_code == 401
    assert response.json["code"] in {"no_session", "invalid_session"}
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_expired_session_is_refused(app, alice):
    with app.app_context():
        session = db.session.scalar(select(Session))
        session.expires_at = session.created_at
        db.session.commit()
    assert alice.get("/me").json["code"] == "invalid_session"


def test_dev_endpoint_absent_outside_dev_mode(make_app):
    app = make_app(CHATTER_DEV_MODE="0")
    response = app.test_client().get("/dev/identity-token?sub=alice")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


def sign_in_with_avatar(client, avatar, sub="u-avatar"):
    token = sign(claims(sub=sub, avatar=avatar))
    return client.post("/api/v1/session", json={"identity_token": token}).json["user"]


def test_avatars_only_from_the_issuers_own_host_by_default(idp_client):
    own = "https://intranet.example.com/people/42.jpg"
    assert sign_in_with_avatar(idp_client, own)["avatar_url"] == own
    # a later token naming a foreign host drops the avatar instead of keeping the old one
    assert (
        sign_in_with_avatar(idp_client, "https://tracker.example.net/p.gif")["avatar_url"] is None
    )
    assert (
        sign_in_with_avatar(idp_client, "https://intranet.example.com.evil.net/a.png")["avatar_url"]
        is None
    )


def test_avatar_hosts_when_configured_replace_the_default(make_app):
    client = make_app(
        CHATTER_ISSUERS=json.dumps(KEYRING),
        CHATTER_AVATAR_HOSTS="photos.example.com, CDN.example.com",
    ).test_client()
    assert sign_in_with_avatar(client, "https://cdn.example.com/a.png")["avatar_url"] == (
        "https://cdn.example.com/a.png"
    )
    assert sign_in_with_avatar(client, "https://intranet.example.com/a.png")["avatar_url"] is None
