"""The e-mails themselves: multipart/alternative, plain text and HTML, every user string escaped."""

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import make_msgid
from html import escape
from typing import NamedTuple

from flask import current_app

from ..text import clean_name

KINDS = {"mention": "mentioned you", "reply": "replied to you", "comment": "commented"}
# Inline styles only: mail clients drop <style> blocks and never load stylesheets.
_BODY = "font-family:system-ui,sans-serif;color:#1f2328;max-width:560px;margin:0 auto;padding:16px"
_ITEM = "margin:0 0 16px;padding:12px;border:1px solid #d0d7de;border-radius:8px"
_LINK = "color:#0b57d0"
_SMALL = "color:#59636e;font-size:13px"


class Item(NamedTuple):
    """One entry of an e-mail: who did what, the words quoted, and the link that opens it."""

    headline: str
    quote: str
    link: str


class Section(NamedTuple):
    title: str
    items: list


def notice_item(notice):
    headline = f"{notice.actor} {KINDS.get(notice.kind, notice.kind)}"
    return Item(headline, notice.excerpt, notice.link)


def build_mail(to_name, to_address, subject, sections, unsubscribe_url, unsubscribe_what):
    """An EmailMessage with a text and an HTML part and RFC 8058 one-click unsubscribe."""
    message = EmailMessage()
    message["Subject"] = clean_name(subject)
    message["From"] = current_app.config["CHATTER_MAIL_FROM"]
    # Address() refuses CR/LF and other header tricks in the name or the address.
    message["To"] = Address(clean_name(to_name), addr_spec=to_address)
    message["Message-ID"] = make_msgid(domain=message["From"].addresses[0].domain)
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(_text(sections, unsubscribe_url, unsubscribe_what))
    message.add_alternative(_html(subject, sections, unsubscribe_url, unsubscribe_what), "html")
    return message


def _text(sections, unsubscribe_url, unsubscribe_what):
    lines = []
    for section in sections:
        lines += [section.title, "=" * len(section.title), ""]
        for item in section.items:
            quote = f"  “{item.quote}”" if item.quote else None
            lines += [item.headline, quote, f"  {item.link}", ""]
    lines += ["--", f"Stop {unsubscribe_what}: {unsubscribe_url}"]
    return "\n".join(line for line in lines if line is not None) + "\n"


def _html(subject, sections, unsubscribe_url, unsubscribe_what):
    parts = [
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(subject)}</title>',
        f'</head><body><div style="{_BODY}">',
    ]
    for section in sections:
        parts.append(f'<h2 style="font-size:18px;margin:16px 0 8px">{escape(section.title)}</h2>')
        for item in section.items:
            parts.append(f'<div style="{_ITEM}"><strong>{escape(item.headline)}</strong>')
            if item.quote:
                parts.append(f'<p style="margin:6px 0">{escape(item.quote)}</p>')
            parts.append(
                f'<a style="{_LINK}" href="{escape(item.link, quote=True)}">'
                "Open the conversation</a></div>"
            )
    parts.append(
        f'<p style="{_SMALL}">You get this because of your Chatter e-mail settings. '
        f'<a style="{_LINK}" href="{escape(unsubscribe_url, quote=True)}">'
        f"Stop {escape(unsubscribe_what)}</a>.</p></div></body></html>"
    )
    return "".join(parts)
