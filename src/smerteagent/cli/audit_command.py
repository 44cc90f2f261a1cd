"""``smerteagent audit``: verify the hash chain of the audit trail, and export a period of it.

``verify`` exits 0 with the number of events and the head hash (write it down: a later
``verify --anchor HASH`` proves no event up to it was removed); exit 1 names the first bad event.
``export`` writes the events of a period as CSV or JSON for a supervisory visit, and is audited itself.
``create-key`` makes the clinic's audit key (a file outside the database) and begins sealing every event
with it; ``verify`` with the key then also detects events appended or rewritten without it.
A broken chain makes ``export`` fail (exit 1, nothing written) unless ``--allow-broken``; then the CSV
starts with a ``#`` line and the JSON's ``chain`` says where the chain breaks, so the file cannot be
mistaken for an intact trail. Text cells that a spreadsheet would run as a formula get a leading ``'``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from smerteagent.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    InputError,
    fail,
    open_services_for,
    storage_command,
)

if TYPE_CHECKING:
    from smerteagent.usecases.audit import ChainReport


def register(commands: Any, add_common: Callable[[argparse.ArgumentParser], None]) -> None:
    audit = commands.add_parser("audit", help="verify or export the audit trail")
    actions = audit.add_subparsers(title="actions", dest="action", metavar="ACTION", required=True)
    verify = actions.add_parser("verify", help="check the hash chain; exit 1 naming the first edited or missing event")
    verify.add_argument("--anchor", metavar="HASH", help="a head hash noted earlier that must still be in the chain")
    add_common(verify)
    verify.set_defaults(handler=storage_command(run_verify))
    export = actions.add_parser("export", help="the events of a period, for a supervisory visit (audited)")
    export.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD (default: the beginning)")
    export.add_argument("--to", dest="end", metavar="DATE", help="last day, YYYY-MM-DD, included (default: today)")
    export.add_argument("--allow-broken", action="store_true",
                        help="export even if the chain is broken (the file then says where it breaks)")  # fmt: skip
    export.add_argument("--format", choices=("csv", "json"), default="csv")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (default: standard output)")
    add_common(export)
    export.set_defaults(handler=storage_command(run_export))
    create_key = actions.add_parser("create-key", help="make the clinic's audit key and seal every event from now on")
    create_key.add_argument("--out", type=Path, metavar="FILE",
                            help="where to write the key (default: --audit-key-file, SMERTEAGENT_AUDIT_KEY_FILE or "
                            "audit.key in the user configuration folder); never overwritten")  # fmt: skip
    add_common(create_key)
    create_key.set_defaults(handler=storage_command(run_create_key))


def run_verify(arguments: argparse.Namespace) -> int:
    with open_services_for(arguments) as services:
        report = services.audit.verify(arguments.anchor)
    if report.first_break is not None:
        return fail(f"audit trail broken at {report.first_break} ({report.count} events before it are intact)",
                    EXIT_FAILED)  # fmt: skip
    if report.anchor_found is False:
        return fail(f"the anchor {arguments.anchor} is not in the chain: events up to it were removed or the "
                    f"chain was rewritten ({report.count} events, chain otherwise intact)", EXIT_FAILED)  # fmt: skip
    print(f"{report.count} events, chain intact")
    print(_head(report))
    if report.sealed or report.key_checked:
        print(_seals(report))
    return EXIT_OK


def _seals(report: ChainReport) -> str:
    if not report.sealed:
        return "seals: none (the trail is not sealed yet: smerteagent audit create-key)"
    sealed = f"seals: {report.sealed} events sealed from event {report.sealed_from}"
    if report.key_checked:
        return f"{sealed}, all checked with the audit key"
    return f"{sealed}; their values were not checked (no audit key given: --audit-key-file)"


def run_create_key(arguments: argparse.Namespace) -> int:
    from smerteagent.usecases.audit_key import create_key, default_key_path, fingerprint, key_path

    with open_services_for(arguments) as services:
        if services.audit.sealed():
            return fail("the audit trail is sealed with an audit key already; nothing was changed", EXIT_FAILED)
    path = arguments.out or key_path(getattr(arguments, "audit_key_file", None)) or default_key_path()
    key = create_key(path)
    arguments.audit_key_file = path
    with open_services_for(arguments) as services:
        services.audit.record("update", "audit_key", None, {"sealed": True, "fingerprint": fingerprint(key)})
    print(f"audit key written to {path} (fingerprint {fingerprint(key)}); every event is sealed from now on")
    print("copy it to every workstation (same path or SMERTEAGENT_AUDIT_KEY_FILE) and keep a copy away from the "
          "database; without it nothing can be saved")  # fmt: skip
    return EXIT_OK


def _head(report: ChainReport) -> str:
    if report.head_id is None:
        return "head: none (empty trail)"
    return f"head: event {report.head_id}, hash {report.head_hash}"


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option} {text!r}: not a date; use YYYY-MM-DD") from None


def run_export(arguments: argparse.Namespace) -> int:
    first, last = _day(arguments.start, "--from"), _day(arguments.end, "--to") or date.today()
    if first and last < first:
        return fail(f"--to {last} is before --from {first}", EXIT_USAGE)
    from smerteagent.usecases.audit import BrokenTrail, export_trail

    target = str(arguments.out) if arguments.out else "stdout"
    try:
        with open_services_for(arguments) as services:
            made = export_trail(services, first, last, arguments.format, allow_broken=arguments.allow_broken,
                                target=target, out=arguments.out)  # fmt: skip
    except BrokenTrail as broken:
        return fail(f"{broken} (--allow-broken exports it anyway, marked as broken; `smerteagent audit verify` "
                    "tells more)", EXIT_FAILED)  # fmt: skip
    if arguments.out is None:
        sys.stdout.write(made.text)
    else:
        print(f"wrote {arguments.out} ({made.events} events)", file=sys.stderr)
    if made.report.first_break is not None:
        print(f"warning: audit trail broken at {made.report.first_break}", file=sys.stderr)
    return EXIT_OK
