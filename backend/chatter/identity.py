"""Identity tokens from the intranet: the issuer keyring, verification and the dev issuer.

The accepted algorithm always comes from the keyring entry selected by (iss, kid), never
from the token header (RFC 8725). Every rejection names a reason code.
"""

import contextlib
import hashlib
import json
import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from .config import ConfigError

DEV_ISSUER = "chatter-dev"
DEV_KID = "dev-1"
LEEWAY = 60  # seconds of clock skew tolerated on exp/iat
MAX_LIFETIME = 600  # exp - iat above this is refused even when signed
MIN_HMAC_SECRET = 32  # bytes
ALGORITHMS = {"EdDSA", "RS256", "HS256"}
REQUIRED_CLAIMS = ("iss", "aud", "sub", "exp", "iat", "jti")
NULLISH_SUBJECTS = {"null", "none", "undefined", "nil", "0", "anonymous"}


class IdentityError(Exception):
    def __init__(self, code, detail):
        super().__init__(detail)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class Key:
    kid: str
    algorithm: str
    material: object  # a public key object, or bytes for HS256


def _load_key(issuer, entry):
    kid, alg = entry.get("kid"), entry.get("alg")
    where = f"CHATTER_ISSUERS[{issuer!r}] key {kid!r}"
    if not kid or not isinstance(kid, str):
        raise ConfigError(f"CHATTER_ISSUERS[{issuer!r}]: every key needs a string `kid`.")
    if alg not in ALGORITHMS:
        raise ConfigError(f"{where}: `alg` must be one of {sorted(ALGORITHMS)}.")
    if alg == "HS256":
        secret = (entry.get("secret") or "").encode()
        if len(secret) < MIN_HMAC_SECRET:
            raise ConfigError(f"{where}: an HS256 secret must be at least 32 bytes.")
        return Key(kid, alg, secret)
    pem = entry.get("public_key") or ""
    try:
        public = serialization.load_pem_public_key(pem.encode())
    except ValueError as error:
        raise ConfigError(f"{where}: `public_key` is not a PEM public key.") from error
    wanted = ed25519.Ed25519PublicKey if alg == "EdDSA" else rsa.RSAPublicKey
    if not isinstance(public, wanted):
        raise ConfigError(f"{where}: the public key does not match alg {alg}.")
    if alg == "RS256" and public.key_size < 2048:
        raise ConfigError(f"{where}: RSA keys must have at least 2048 bits.")
    return Key(kid, alg, public)


def parse_keyring(document):
    """Parse {"issuer": {"keys": [{"kid", "alg", "public_key" | "secret"}]}} into Keys."""
    if not isinstance(document, dict):
        raise ConfigError("CHATTER_ISSUERS must be a JSON object keyed by issuer.")
    keyring = {}
    for issuer, spec in document.items():
        keys = spec.get("keys") if isinstance(spec, dict) else None
        if not keys or not isinstance(keys, list):
            raise ConfigError(f"CHATTER_ISSUERS[{issuer!r}] needs a non-empty `keys` list.")
        if issuer == DEV_ISSUER:
            raise ConfigError(f"CHATTER_ISSUERS: {DEV_ISSUER!r} is reserved for dev mode.")
        loaded = [_load_key(issuer, entry) for entry in keys]
        kids = [key.kid for key in loaded]
        if len(set(kids)) != len(kids):
            raise ConfigError(f"CHATTER_ISSUERS[{issuer!r}]: duplicate `kid`.")
        keyring[issuer] = {key.kid: key for key in loaded}
    return keyring


def dev_private_key(secret_key):
    """The dev issuer's key, derived from the server secret so every worker shares it."""
    seed = hashlib.sha256(b"chatter-dev-issuer:" + secret_key.encode()).digest()
    return ed25519.Ed25519PrivateKey.from_private_bytes(seed)


class Keyring:
    """Issuer keys from CHATTER_ISSUERS; a file source is re-read when it changes."""

    def __init__(self, source, dev_secret=None):
        self._source = source
        self._mtime = None
        self._keys = {}
        self._dev = None
        if dev_secret:
            public = dev_private_key(dev_secret).public_key()
            self._dev = {DEV_KID: Key(DEV_KID, "EdDSA", public)}
        self._load()

    def _is_file(self):
        return bool(self._source) and not self._source.lstrip().startswith("{")

    def _load(self):
        if not self._source:
            return
        if self._is_file():
            path = Path(self._source)
            try:
                self._mtime = path.stat().st_mtime_ns
                text = path.read_text()
            except OSError as error:
                raise ConfigError(f"CHATTER_ISSUERS: cannot read {path}: {error}") from error
        else:
            text = self._source
        try:
            document = json.loads(text)
        except ValueError as error:
            raise ConfigError("CHATTER_ISSUERS is neither a readable file nor JSON.") from error
        self._keys = parse_keyring(document)

    def issuers(self):
        """The configured issuers (the dev issuer aside)."""
        return set(self._keys)

    def keys_for(self, issuer):
        if issuer == DEV_ISSUER:
            return self._dev
        if self._is_file():
            try:
                changed = os.stat(self._source).st_mtime_ns != self._mtime
            except OSError:
                changed = False
            if changed:
                with contextlib.suppress(ConfigError):  # keep the last good keyring
                    self._load()
        return self._keys.get(issuer)


def _claims_unverified(token):
    try:
        header = jwt.get_unverified_header(token)
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise IdentityError("malformed", "The identity token is not a well-formed JWT.") from error
    return header, claims


# PyJWT's failures, most specific first, as (error class, reason code, sentence).
_JWT_REASONS = [
    (jwt.ExpiredSignatureError, "expired", "The identity token has expired."),
    (jwt.ImmatureSignatureError, "not_yet_valid", "The identity token is dated in the future."),
    (jwt.InvalidAudienceError, "wrong_audience", "The identity token is for another audience."),
    (jwt.InvalidIssuerError, "wrong_issuer", "The identity token's issuer does not match."),
    (jwt.MissingRequiredClaimError, "missing_claim", "The identity token lacks a required claim."),
    (jwt.InvalidSignatureError, "bad_signature", "The identity token's signature is invalid."),
]


def _explain(error):
    for kind, code, sentence in _JWT_REASONS:
        if isinstance(error, kind):
            if isinstance(error, jwt.MissingRequiredClaimError):
                sentence = f"The identity token lacks the `{error.claim}` claim."
            return IdentityError(code, sentence)
    return IdentityError("invalid", f"The identity token is invalid: {error}")


def verify_identity_token(token, keyring, audience, now=None):
    """Return the verified claims of an identity token, or raise IdentityError."""
    if not isinstance(token, str) or not token or len(token) > 8192:
        raise IdentityError("malformed", "The identity token is missing or too long.")
    header, unverified = _claims_unverified(token)
    issuer = unverified.get("iss")
    keys = keyring.keys_for(issuer) if isinstance(issuer, str) else None
    if not keys:
        raise IdentityError("unknown_issuer", "The identity token's issuer is not trusted.")
    key = keys.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if key is None:
        raise IdentityError("unknown_key", "The identity token's key id (kid) is not known.")
    if header.get("alg") != key.algorithm:
        raise IdentityError("wrong_algorithm", "The identity token uses another algorithm.")
    now = time.time() if now is None else now
    try:
        claims = jwt.decode(
            token,
            key.material,
            algorithms=[key.algorithm],
            audience=audience,
            issuer=issuer,
            leeway=LEEWAY,
            options={"require": list(REQUIRED_CLAIMS), "verify_iat": True},
        )
    except jwt.PyJWTError as error:
        raise _explain(error) from error
    if not all(isinstance(claims[c], int | float) for c in ("exp", "iat")):
        raise IdentityError("invalid", "The identity token's times are not numbers.")
    if claims["iat"] > now + LEEWAY:
        raise IdentityError("not_yet_valid", "The identity token is dated in the future.")
    if claims["exp"] - claims["iat"] > MAX_LIFETIME:
        raise IdentityError("lifetime_too_long", "Identity tokens may live 10 minutes at most.")
    subject, jti = claims["sub"], claims["jti"]
    if not isinstance(subject, str) or subject.strip().lower() in {"", *NULLISH_SUBJECTS}:
        raise IdentityError("invalid_subject", "The identity token's subject is blank or null.")
    if len(subject) > 255 or not isinstance(jti, str) or not 8 <= len(jti) <= 255:
        raise IdentityError("invalid", "The identity token's sub or jti is malformed.")
    return claims


def mint_dev_token(secret_key, audience, sub, profile=None, lifetime=300):
    """Sign an identity token with the dev issuer (dev mode only)."""
    now = int(time.time())
    claims = {
        "iss": DEV_ISSUER,
        "aud": audience,
        "sub": sub,
        "iat": now,
        "exp": now + lifetime,
        "jti": uuid.uuid4().hex,
        **{k: v for k, v in (profile or {}).items() if v},
    }
    return jwt.encode(
        claims, dev_private_key(secret_key), algorithm="EdDSA", headers={"kid": DEV_KID}
    )
