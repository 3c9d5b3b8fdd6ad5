"""The MIME message of an Outbox email as SES would send it: a raw send's own bytes, or, for SendEmail (which
takes the parts, not a message), the multipart/alternative SES builds from them (From, To, Cc, Subject,
Date, Message-ID; the text part, then the HTML part)."""

from __future__ import annotations

import email.policy
from email.message import EmailMessage
from email.utils import formatdate


def mime_text(mail: dict) -> str:
    if mail.get("raw"):
        return str(mail["raw"])
    message = EmailMessage(policy=email.policy.SMTP)
    message["From"] = str(mail.get("from", ""))
    for header, key in (("To", "to"), ("Cc", "cc"), ("Reply-To", "replyTo")):
        if mail.get(key):
            message[header] = ", ".join(mail[key])
    message["Subject"] = str(mail.get("subject", ""))
    message["Date"] = formatdate(float(mail.get("time", 0.0)), usegmt=True)
    if mail.get("id"):
        message["Message-ID"] = f"<{mail['id']}@email.amazonses.com>"
    text, html = mail.get("text"), mail.get("html")
    message.set_content(text if text is not None else "")
    if html is not None:
        message.add_alternative(html, subtype="html")
    return message.as_string()


def attachment_bytes(mail: dict, filename: str) -> bytes | None:
    """An attachment's content, from a raw send's message (SendEmail has none); None when it is not there."""
    if not mail.get("raw"):
        return None
    parsed = email.message_from_string(str(mail["raw"]), policy=email.policy.default)
    for part in parsed.walk():
        if not part.is_multipart() and part.get_filename() == filename:
            return part.get_payload(decode=True) or b""
    return None
