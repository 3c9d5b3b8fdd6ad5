"""The Outbox: every email the workspace's functions sent through SES (v1 or v2), read from the send request
itself (moto keeps only one of the text and HTML bodies) once the host answered it with a MessageId."""

from __future__ import annotations

import base64
import email
import email.policy
import json
import re
import time
from urllib.parse import parse_qs


def _listed(form: dict, prefix: str) -> list[str]:
    """Destination.ToAddresses.member.1, .member.2, ... of a query-protocol request, in order."""
    keys = sorted((k for k in form if k.startswith(prefix + ".member.")), key=lambda k: int(k.rsplit(".", 1)[1]))
    return [form[k] for k in keys]


def _message_id(response: bytes) -> str:
    text = response.decode("utf-8", "replace")
    match = re.search(r"<MessageId>([^<]+)</MessageId>", text)
    if match:
        return match.group(1)
    try:
        return str(json.loads(text).get("MessageId", ""))
    except (ValueError, AttributeError):
        return ""


def _from_mime(raw: bytes) -> dict:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    text = html = None
    attachments = []
    for part in message.walk():
        if part.is_multipart():
            continue
        disposition = part.get_content_disposition()
        if disposition == "attachment" or (part.get_filename() and disposition != "inline"):
            payload = part.get_payload(decode=True) or b""
            attachments.append({"filename": part.get_filename() or "", "contentType": part.get_content_type(),
                                "size": len(payload)})
        elif part.get_content_type() == "text/plain" and text is None:
            text = part.get_content()
        elif part.get_content_type() == "text/html" and html is None:
            html = part.get_content()

    def addresses(header: str) -> list[str]:
        return [value.strip() for value in str(message.get(header, "")).split(",") if value.strip()]

    return {"from": str(message.get("From", "")), "to": addresses("To"), "cc": addresses("Cc"),
            "subject": str(message.get("Subject", "")), "text": text, "html": html, "attachments": attachments}


def sent_email(api: str, operation: str, body: bytes, response: bytes, access_key: str) -> dict | None:
    """The Outbox entry of a successful send, or None when the request is not a send."""
    document: dict = {}
    if api == "ses" and operation in ("SendEmail", "SendRawEmail", "SendTemplatedEmail"):
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if operation == "SendRawEmail":
            raw = base64.b64decode(form.get("RawMessage.Data", ""))
            document = _from_mime(raw)
            document["raw"] = raw.decode("utf-8", "replace")
            document["from"] = form.get("Source") or document["from"]
            destinations = _listed(form, "Destinations")
            if destinations:
                document["to"] = destinations
        else:
            document = {"from": form.get("Source", ""), "to": _listed(form, "Destination.ToAddresses"),
                        "cc": _listed(form, "Destination.CcAddresses"),
                        "bcc": _listed(form, "Destination.BccAddresses"),
                        "replyTo": _listed(form, "ReplyToAddresses"),
                        "subject": form.get("Message.Subject.Data", ""),
                        "text": form.get("Message.Body.Text.Data"), "html": form.get("Message.Body.Html.Data")}
            if operation == "SendTemplatedEmail":
                document.update(template=form.get("Template"), templateData=form.get("TemplateData"))
    elif api == "sesv2" and operation == "SendEmail":
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return None
        destination, content = request.get("Destination") or {}, request.get("Content") or {}
        document = {"from": request.get("FromEmailAddress", ""), "to": destination.get("ToAddresses", []),
                    "cc": destination.get("CcAddresses", []), "bcc": destination.get("BccAddresses", []),
                    "replyTo": request.get("ReplyToAddresses", [])}
        if "Simple" in content:
            simple = content["Simple"]
            body_part = simple.get("Body") or {}
            document.update(subject=(simple.get("Subject") or {}).get("Data", ""),
                            text=(body_part.get("Text") or {}).get("Data"),
                            html=(body_part.get("Html") or {}).get("Data"))
        elif "Raw" in content:
            raw = base64.b64decode(content["Raw"].get("Data", ""))
            document.update(_from_mime(raw), raw=raw.decode("utf-8", "replace"))
            document["from"] = request.get("FromEmailAddress") or document["from"]
        elif "Template" in content:
            document.update(template=content["Template"].get("TemplateName"),
                            templateData=content["Template"].get("TemplateData"), subject="", text=None, html=None)
    else:
        return None
    document.setdefault("cc", [])
    document.setdefault("bcc", [])
    document.setdefault("attachments", [])
    document.update(id=_message_id(response), time=time.time(), api=api, accessKey=access_key)
    return document


def sender_of(api: str, operation: str, body: bytes) -> str | None:
    """The identity a send comes from (to verify it first, as local mode does unless the SES sandbox is
    reproduced)."""
    if api == "ses" and operation in ("SendEmail", "SendTemplatedEmail", "SendRawEmail", "SendBulkTemplatedEmail"):
        form = {k: v[0] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}
        if form.get("Source"):
            return form["Source"]
        if operation == "SendRawEmail":
            return _from_mime(base64.b64decode(form.get("RawMessage.Data", ""))).get("from")
    if api == "sesv2" and operation == "SendEmail":
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return None
        if request.get("FromEmailAddress"):
            return request["FromEmailAddress"]
        raw = ((request.get("Content") or {}).get("Raw") or {}).get("Data")
        return _from_mime(base64.b64decode(raw)).get("from") if raw else None
    return None
