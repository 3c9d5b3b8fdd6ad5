"""`lambda-workbench generate-event`: list the sample events and print one, like `sam local generate-event`.

Exit status 0 on success, 2 on bad usage (unknown service, event or option), with the choices on stderr.
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from workbench.core.workspace.event_templates import (
    EventTemplate,
    UnknownEvent,
    get_template,
    list_events,
    list_services,
    render_event,
    service_title,
)

PROG = "lambda-workbench generate-event"
USAGE = f"usage: {PROG} [SERVICE [EVENT [--TAG VALUE ...]]]"
EXIT_USAGE = 2


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    """argparse for one event's tag options, reporting errors to us instead of exiting the process."""

    def error(self, message: str):  # argparse's interface
        raise _UsageError(message)


def main(argv: list[str], stdout: TextIO = sys.stdout, stderr: TextIO = sys.stderr) -> int:
    """Run `generate-event` with the arguments after the subcommand name; returns the exit status."""
    if not argv or argv[0] in ("-h", "--help"):
        stdout.write(_services_help())
        return 0
    service, rest = argv[0], argv[1:]
    try:
        events = list_events(service)
    except UnknownEvent as error:
        return _usage_error(stderr, str(error))
    if not rest or rest[0] in ("-h", "--help"):
        stdout.write(_events_help(service, events))
        return 0
    try:
        template = get_template(service, rest[0])
    except UnknownEvent as error:
        return _usage_error(stderr, str(error))
    parser = _tag_parser(template)
    try:
        parsed = parser.parse_args(rest[1:])
    except _UsageError as error:
        flags = ", ".join(f"--{name}" for name in template.tag_names) or "(none)"
        return _usage_error(stderr, f"{service} {template.event}: {error}; valid options: {flags}")
    if parsed.help:
        stdout.write(parser.format_help())
        return 0
    stdout.write(render_event(service, template.event, _values(parsed)) + "\n")
    return 0


def _usage_error(stderr: TextIO, message: str) -> int:
    stderr.write(f"{PROG}: error: {message}\n")
    return EXIT_USAGE


def _services_help() -> str:
    services = list_services()
    width = max(map(len, services))
    lines = [USAGE, "", "Print a sample event as JSON, for `lambda-workbench invoke` or an event preset.", "",
             "Services:"]
    lines += [f"  {name:<{width}}  {service_title(name)}" for name in services]
    lines += ["", f"Run `{PROG} SERVICE` to list a service's events."]
    return "\n".join(lines) + "\n"


def _events_help(service: str, events: list[EventTemplate]) -> str:
    width = max(len(template.event) for template in events)
    lines = [f"usage: {PROG} {service} EVENT [--TAG VALUE ...]", "", f"{service_title(service)} events:"]
    lines += [f"  {template.event:<{width}}  {template.description}" for template in events]
    lines += ["", f"Run `{PROG} {service} EVENT --help` to see the event's options."]
    return "\n".join(lines) + "\n"


def _tag_parser(template: EventTemplate) -> _Parser:
    parser = _Parser(
        prog=f"{PROG} {template.service} {template.event}",
        description=template.description,
        add_help=False,
        # An abbreviation that matches today could match a different tag once one is added.
        allow_abbrev=False,
    )
    parser.add_argument("-h", "--help", action="store_true", help="show this help and exit")
    for tag in template.tags:
        notes = [f"default: {tag.default!r}"]
        if tag.encoding:
            notes.append(f"{tag.encoding}-encoded in the event")
        if tag.hashing:
            notes.append(f"its {tag.hashing} digest is filled in too")
        parser.add_argument(f"--{tag.name}", dest=tag.name, default=tag.default, metavar="VALUE",
                            # argparse %-formats help text; a default may contain "%".
                            help="; ".join(notes).replace("%", "%%"))
    return parser


def _values(namespace: argparse.Namespace) -> dict[str, str]:
    return {name: value for name, value in vars(namespace).items() if name != "help"}


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
