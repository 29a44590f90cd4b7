"""A real SMTP server in the test process (aiosmtpd) on a free loopback port, plain or TLS."""

import datetime
import email
import ipaddress
import ssl
from email import policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

USER, PASSWORD = "chatter", "s3cret pass"
PUBLIC = "https://chatter.example.com"
DELAY = 900


def mail_settings(url):
    """The CHATTER_* settings of an app that mails through `url`."""
    return {
        "CHATTER_SMTP_URL": url,
        "CHATTER_MAIL_FROM": "Chatter <chatter@example.com>",
        "CHATTER_PUBLIC_URL": PUBLIC,
        "CHATTER_EMAIL_DELAY_SECONDS": str(DELAY),
    }


class Inbox:
    """What the server accepted (parsed), and whether it refuses the next messages."""

    def __init__(self):
        self.messages = []
        self.refusing = False

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.refusing:
            return "451 4.3.0 Mailbox busy, try again later"
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        message.envelope_to = list(envelope.rcpt_tos)
        login = session.auth_data if session.authenticated else None
        message.login = login.login.decode() if login else None
        self.messages.append(message)
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m.envelope_to]


class _Server(Controller):
    """aiosmtpd's Controller on port 0: the real port is read back once it listens."""

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


def _authenticate(server, session, envelope, mechanism, auth_data):
    if auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode():
        return AuthResult(success=True, auth_data=auth_data)
    return AuthResult(success=False, handled=False)


def start_smtp(tls=None, cert=None):
    """Start a server: tls None (plain), "starttls" or "smtps" (with `cert` from make_cert)."""
    inbox = Inbox()
    options = {"hostname": "127.0.0.1", "port": 0}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert["cert"], cert["key"])
        options["authenticator"] = _authenticate
        if tls == "smtps":
            # The whole connection is TLS; aiosmtpd's check only knows STARTTLS.
            options.update(ssl_context=context, auth_require_tls=False)
        else:
            options.update(tls_context=context, require_starttls=True)
    server = _Server(inbox, **options)
    server.start()
    server.inbox = inbox
    server.running = True
    return server


def make_cert(folder):
    """A self-signed certificate for 127.0.0.1: {"cert": path, "key": path}."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    paths = {"cert": folder / "smtp-cert.pem", "key": folder / "smtp-key.pem"}
    paths["cert"].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths["key"].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def parts(message):
    """(plain text, HTML) of a multipart/alternative e-mail."""
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def stop_smtp(server):
    """Stop a server once (a test may stop one early to see mail fail)."""
    if server.running:
        server.running = False
        server.stop()
