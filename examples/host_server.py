"""A tiny intranet on another origin that embeds Chatter and signs EdDSA identity tokens.

    python examples/host_server.py --chatter http://127.0.0.1:5000 --port 8001

It prints the CHATTER_ISSUERS and CHATTER_ALLOWED_ORIGINS values to start Chatter with.
The logged-in user here is whoever `?as=` last named (a cookie); a real intranet uses its login.
"""

import argparse
import json
import time
import uuid
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ISSUER, KID = "northwind-intranet", "k1"
PEOPLE = {
    "erin": ("Erin Evans", "Finance Manager", "Finance"),
    "frank": ("Frank Fox", "Recruiter", "People"),
}
PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>Finance — Northwind</title><script src="{chatter}/embed.js" async
 data-token-url="/chatter-token" data-context="finance:q3" data-context-title="Q3 close"></script>
</head><body><h1>Q3 finance close</h1><p>Signed in as {name}.
<a href="?as=erin">Erin</a> · <a href="?as=frank">Frank</a></p></body></html>"""


def make_server(chatter_url, key, port=0):
    """An HTTP server for the intranet page and its /chatter-token endpoint."""

    class Intranet(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            url = urlsplit(self.path)
            chosen = parse_qs(url.query).get("as", [None])[0]
            cookie = SimpleCookie(self.headers.get("Cookie", "")).get("user")
            sub = chosen if chosen in PEOPLE else (cookie.value if cookie else "erin")
            name, title, department = PEOPLE.get(sub, PEOPLE["erin"])
            if url.path == "/chatter-token":  # same-origin only: the browser sends our cookie
                now = int(time.time())
                claims = {"iss": ISSUER, "aud": "chatter", "sub": sub, "iat": now,
                          "exp": now + 300, "jti": uuid.uuid4().hex, "name": name,
                          "title": title, "department": department}
                token = jwt.encode(claims, key, algorithm="EdDSA", headers={"kid": KID})
                body, kind = json.dumps({"identity_token": token}), "application/json"
            elif url.path == "/":
                body, kind = PAGE.format(chatter=self.server.chatter_url, name=name), "text/html"
            else:
                return self.send_error(404)
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Set-Cookie", f"user={sub}; Path=/; HttpOnly; SameSite=Lax")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Intranet)
    server.chatter_url = chatter_url
    return server


def issuers_entry(key):
    """The CHATTER_ISSUERS JSON that makes Chatter trust this intranet's tokens."""
    pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                        serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return json.dumps({ISSUER: {"keys": [{"kid": KID, "alg": "EdDSA", "public_key": pem}]}})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chatter", default="http://127.0.0.1:5000", help="Chatter's origin")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    key = Ed25519PrivateKey.generate()  # a real intranet loads its key from a secret store
    server = make_server(args.chatter.rstrip("/"), key, args.port)
    print(f"CHATTER_ISSUERS='{issuers_entry(key)}'")
    print(f"CHATTER_ALLOWED_ORIGINS=http://127.0.0.1:{args.port}")
    print(f"Open http://127.0.0.1:{args.port}/ (start Chatter with the two settings above)")
    server.serve_forever()
