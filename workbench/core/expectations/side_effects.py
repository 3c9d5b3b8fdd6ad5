"""What a test case's run should have left in the workspace's local AWS: emails sent, objects and items
present with given content, messages in a queue. Written under `sideEffects:` in an expectation file:

    sideEffects:
      emails:                      # [] means: no email was sent
        - to: maria.garcia@example.com
          subject: Your order ORD-1001 is confirmed
          text: "Total: 59.99 USD"  # a part of the text (or HTML) body; textMatches: a regular expression
      objects:
        - bucket: Receipts          # logical id or name
          key: receipts/ORD-1001.json
          content: {total: "59.99"} # a mapping or list: the object's JSON equals it; text: the object's text
      items:
        - table: Orders
          key: {id: ORD-1001}
          content: {status: confirmed}   # these attributes have these values
      messages:
        - queue: Jobs
          contains: ORD-1001        # a message whose body has this text; body: the whole body (JSON or text)
          count: 1                  # or: exactly this many messages in the queue

Pure: the parsed requirements (SideEffects) and what the host held after the run (ObservedEffects) in, the
differences out. Each case starts from the seed state unless its file says `fromSeed: false`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

KINDS = ("emails", "objects", "items", "messages")
_KEYS = {
    "emails": ("to", "subject", "text", "textMatches"),
    "objects": ("bucket", "key", "content", "contains"),
    "items": ("table", "key", "content"),
    "messages": ("queue", "body", "contains", "count"),
}
_REQUIRED = {"objects": ("bucket", "key"), "items": ("table", "key"), "messages": ("queue",), "emails": ()}


@dataclass(frozen=True)
class Requirement:
    """One entry of `sideEffects.<kind>`: its fields as written, and the line it is on."""

    kind: str
    fields: tuple[tuple[str, object], ...]
    line: int = 0

    def get(self, name: str, default: object = None) -> object:
        return dict(self.fields).get(name, default)

    def has(self, name: str) -> bool:
        return name in dict(self.fields)


@dataclass(frozen=True)
class SideEffects:
    requirements: tuple[Requirement, ...] = ()
    no_emails: bool = False
    """`emails: []`: the run must send no email."""
    no_emails_line: int = 0


@dataclass(frozen=True)
class ObservedEffects:
    """What the services host held after the run: the emails sent since the case started (Outbox entries),
    and for each object, item and queue a requirement names, its content (None when absent)."""

    emails: tuple[dict, ...] = ()
    objects: tuple[tuple[tuple[str, str], bytes | None], ...] = ()
    """((bucket as written, key), the object's bytes or None)."""
    items: tuple[tuple[tuple[str, str], dict | None], ...] = ()
    """((table as written, key as JSON), the item or None)."""
    messages: tuple[tuple[str, tuple[str, ...] | None], ...] = ()
    """(queue as written, the bodies of its messages, or None when there is no such queue)."""
    problems: tuple[str, ...] = field(default=())
    """Why something could not be looked at (an unknown resource name)."""


def item_key(key: object) -> str:
    return json.dumps(key, sort_keys=True)


def parse_side_effects(reader, node, parent) -> SideEffects:
    """`sideEffects:` read with the expectation reader (which raises ExpectationError at the offending node)."""
    doc = reader.mapping(node, parent, "sideEffects")
    reader.known_keys(doc, KINDS, "sideEffects")
    found: list[Requirement] = []
    no_emails, no_emails_line = False, 0
    for kind in KINDS:
        if kind not in doc:
            continue
        items = reader.sequence(doc[kind], (doc, kind), f"sideEffects.{kind}")
        if kind == "emails" and len(items) == 0:
            no_emails, no_emails_line = True, reader.position(doc, kind)[0]
        for index, item in enumerate(items):
            what = f"sideEffects.{kind} entry {index + 1}"
            entry = reader.mapping(item, (items, index), what)
            reader.known_keys(entry, _KEYS[kind], what)
            for name in _REQUIRED[kind]:
                if name not in entry:
                    reader.fail(entry, (items, index), f"{what} has no {name}")
            _check_entry(reader, kind, entry, (items, index), what)
            line = reader.position(items, index)[0]
            found.append(Requirement(kind, tuple((str(k), _plain(entry[k])) for k in entry), line))
    return SideEffects(tuple(found), no_emails, no_emails_line)


def _check_entry(reader, kind: str, entry, parent, what: str) -> None:
    if kind == "emails":
        if not entry:
            reader.fail(entry, parent, f"{what} is empty: give to, subject, text or textMatches")
        if "to" in entry and not (isinstance(entry["to"], str) or (
                isinstance(entry["to"], list) and all(isinstance(a, str) for a in entry["to"]))):
            reader.fail(entry["to"], (entry, "to"), f"{what}: to must be an address or a list of addresses")
        if "textMatches" in entry:
            _regex(reader, entry, "textMatches", what)
    if kind == "items" and not isinstance(entry["key"], dict):
        reader.fail(entry["key"], (entry, "key"), f"{what}: key must be a mapping of key attributes to values, "
                                                  "e.g. {id: ORD-1001}")
    if kind == "items" and "content" in entry and not isinstance(entry["content"], dict):
        reader.fail(entry["content"], (entry, "content"), f"{what}: content must be a mapping of attributes")
    if kind in ("objects", "messages"):
        exclusive = [name for name in ("content", "body", "contains") if name in entry]
        if len(exclusive) > 1:
            reader.fail(entry, parent, f"{what}: give one of {' or '.join(exclusive)}")
    if kind == "messages" and "count" in entry:
        count = entry["count"]
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            reader.fail(count, (entry, "count"), f"{what}: count must be a whole number of 0 or more")


def _regex(reader, entry, name: str, what: str) -> None:
    pattern = reader.string(entry[name], (entry, name), f"{what}: {name}")
    try:
        re.compile(pattern)
    except re.error as error:
        reader.fail(entry[name], (entry, name), f"{what}: {name}: {pattern!r} is not a regular expression ({error})")


def _plain(value: object) -> object:
    # Here: cycle expectation -> side_effects -> expectation
    from .expectation import _plain as plain

    return plain(value)


# --- The check ---------------------------------------------------------------------------------------

def side_effect_problems(effects: SideEffects, observed: ObservedEffects) -> list[tuple[str, str, int]]:
    """(where, message, line) for every requirement the run did not meet."""
    found = [("sideEffects", problem, 0) for problem in observed.problems]
    if effects.no_emails and observed.emails:
        found.append(("sideEffects.emails", f"expected no email, {len(observed.emails)} sent "
                                            f"(first: {_email_text(observed.emails[0])})", effects.no_emails_line))
    objects, items, messages = dict(observed.objects), dict(observed.items), dict(observed.messages)
    for requirement in effects.requirements:
        if requirement.kind == "emails":
            message = _email_problem(requirement, observed.emails)
        elif requirement.kind == "objects":
            message = _object_problem(requirement, objects)
        elif requirement.kind == "items":
            message = _item_problem(requirement, items)
        else:
            message = _message_problem(requirement, messages)
        if message:
            found.append((f"sideEffects.{requirement.kind}", message, requirement.line))
    return found


def _email_problem(requirement: Requirement, emails: tuple[dict, ...]) -> str | None:
    wanted_to = requirement.get("to")
    wanted_to = [wanted_to] if isinstance(wanted_to, str) else list(wanted_to or [])
    for email in emails:
        recipients = [_address(a).lower() for a in [*email.get("to", []), *email.get("cc", []), *email.get("bcc", [])]]
        if any(address.lower() not in recipients for address in wanted_to):
            continue
        if requirement.has("subject") and email.get("subject") != requirement.get("subject"):
            continue
        body = f"{email.get('text') or ''}\n{email.get('html') or ''}"
        if requirement.has("text") and str(requirement.get("text")) not in body:
            continue
        if requirement.has("textMatches") and not re.search(str(requirement.get("textMatches")), body):
            continue
        return None
    wanted = ", ".join(f"{name} {value!r}" for name, value in requirement.fields)
    if not emails:
        return f"expected an email ({wanted}), none was sent"
    return f"expected an email ({wanted}); sent: " + "; ".join(_email_text(e) for e in emails[:3]) + (
        f" and {len(emails) - 3} more" if len(emails) > 3 else "")


def _address(text: str) -> str:
    match = re.search(r"<([^>]+)>", text)
    return (match.group(1) if match else text).strip()


def _email_text(email: dict) -> str:
    return f"to {', '.join(email.get('to', []))} subject {email.get('subject')!r}"


def _object_problem(requirement: Requirement, objects: dict) -> str | None:
    bucket, key = str(requirement.get("bucket")), str(requirement.get("key"))
    data = objects.get((bucket, key))
    where = f"s3://{bucket}/{key}"
    if data is None:
        return f"expected object {where}, it is not there"
    text = data.decode("utf-8", errors="replace")
    if requirement.has("contains") and str(requirement.get("contains")) not in text:
        return f"{where} does not contain {requirement.get('contains')!r} (it holds {_short(text)})"
    if requirement.has("content"):
        return _content_problem(where, requirement.get("content"), text)
    return None


def _content_problem(where: str, wanted: object, text: str) -> str | None:
    if isinstance(wanted, (dict, list)):
        try:
            actual = json.loads(text)
        except ValueError:
            return f"{where} is not JSON (it holds {_short(text)})"
        return None if actual == wanted else f"{where} holds {_short(json.dumps(actual))}, expected " \
                                              f"{_short(json.dumps(wanted))}"
    return None if text == str(wanted) else f"{where} holds {_short(text)}, expected {_short(str(wanted))}"


def _item_problem(requirement: Requirement, items: dict) -> str | None:
    table, key = str(requirement.get("table")), requirement.get("key")
    item = items.get((table, item_key(key)))
    where = f"{table} item {json.dumps(key, sort_keys=True)}"
    if item is None:
        return f"expected {where}, it is not there"
    wrong = [f"{name} is {json.dumps(item.get(name))}, expected {json.dumps(value)}"
             for name, value in (requirement.get("content") or {}).items() if item.get(name) != value]
    return f"{where}: " + "; ".join(wrong) if wrong else None


def _message_problem(requirement: Requirement, messages: dict) -> str | None:
    queue = str(requirement.get("queue"))
    bodies = messages.get(queue)
    if bodies is None:
        return f"no queue {queue!r}"
    if requirement.has("count") and len(bodies) != requirement.get("count"):
        return f"queue {queue} holds {len(bodies)} message(s), expected {requirement.get('count')}"
    if requirement.has("contains"):
        if not any(str(requirement.get("contains")) in body for body in bodies):
            return f"no message in {queue} contains {requirement.get('contains')!r} ({_bodies(bodies)})"
    elif requirement.has("body"):
        if not any(_content_problem("", requirement.get("body"), body) is None for body in bodies):
            return f"no message in {queue} has the body {_short(_as_text(requirement.get('body')))} ({_bodies(bodies)})"
    elif not requirement.has("count") and not bodies:
        return f"expected a message in {queue}, it is empty"
    return None


def _as_text(value: object) -> str:
    return json.dumps(value) if isinstance(value, (dict, list)) else str(value)


def _bodies(bodies: tuple[str, ...]) -> str:
    if not bodies:
        return "the queue is empty"
    return "it holds " + ", ".join(_short(body) for body in bodies[:3]) + (" ..." if len(bodies) > 3 else "")


def _short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")
