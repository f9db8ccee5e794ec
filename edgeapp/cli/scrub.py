"""`edgeapp scrub`: show exactly what would be sent to the cloud, and what was masked."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any, TextIO

import click

from ..errors import GatekeeperError, PolicyBlocked
from ..gatekeeper.vault import PlaceholderVault

if TYPE_CHECKING:  # Presidio loads only when `edgeapp scrub` runs, not with every edgeapp command
    from ..gatekeeper.engine import Finding, Gatekeeper


def _entity(f: Finding, vault: PlaceholderVault, masked: bool) -> dict[str, Any]:
    return {
        "type": f.entity_type,
        "start": f.start,
        "end": f.end,
        "value": f.text,
        "score": round(f.score, 2),
        "placeholder": vault.placeholder_for(f.entity_type, f.text) if masked else None,
    }


def scrub_one(gatekeeper: Gatekeeper, text: str, vault: PlaceholderVault) -> dict[str, Any]:
    """One message as a JSON-able record: {"text", "entities"} or {"blocked"} / {"error"}."""
    try:
        scrubbed, masked = gatekeeper.scrub_text(text, vault)
    except PolicyBlocked as exc:
        return {"text": None, "blocked": str(exc), "entities": []}
    found = gatekeeper.find(text)
    masked_spans = {(f.start, f.end) for f in masked}
    return {
        "text": scrubbed,
        "entities": [_entity(f, vault, (f.start, f.end) in masked_spans) for f in found],
    }


def _read_messages(stream: TextIO):
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            yield (
                number,
                None,
                f'line {number} is not JSON ({exc.msg}); write a JSON string or {{"text": ...}}',
            )
            continue
        if isinstance(item, dict) and isinstance(item.get("text"), str):
            yield number, item["text"], None
        elif isinstance(item, str):
            yield number, item, None
        else:
            yield number, None, f'line {number} is neither a JSON string nor an object with a "text" string'


@click.command("scrub")
@click.argument("text", required=False)
@click.option(
    "--jsonl", "jsonl", is_flag=True, help='Read one JSON string or {"text": ...} per line; write JSON lines.'
)
@click.option(
    "--input",
    "-i",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="With --jsonl: read from this file instead of standard input.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result for TEXT as one JSON object.")
def scrub_command(text: str | None, jsonl: bool, input_file: TextIO | None, as_json: bool) -> None:
    """Show exactly what would be sent to the cloud for TEXT, and the personal data found in it.

    Uses your privacy settings (policy per type, deny-list). Nothing is sent anywhere.
    """
    from .. import config

    try:
        from ..gatekeeper.engine import Gatekeeper

        gatekeeper = Gatekeeper.from_settings(config.load())
        if jsonl:
            if text is not None and input_file is None:
                input_file = open(text, encoding="utf-8")  # noqa: SIM115 - `edgeapp scrub --jsonl FILE`
            _run_jsonl(gatekeeper, input_file or sys.stdin)
            return
        if text is None:
            raise click.UsageError(
                'Give the text to check, e.g. edgeapp scrub "Call Ann on 07700 900123", or use --jsonl.'
            )
        record = scrub_one(gatekeeper, text, PlaceholderVault())
    except OSError as exc:
        raise click.ClickException(f"Cannot read the input: {exc}") from exc
    except GatekeeperError as exc:
        raise click.ClickException(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(record, ensure_ascii=False))
    elif record.get("blocked"):
        click.echo(record["blocked"], err=True)
    else:
        click.echo(record["text"])
        _print_entities(record["entities"])
    if record.get("blocked"):
        sys.exit(2)


def _print_entities(entities: list[dict[str, Any]]) -> None:
    if not entities:
        click.echo("\nNo personal data found.", err=True)
        return
    click.echo(f"\n{len(entities)} found:", err=True)
    for e in entities:
        action = e["placeholder"] or "allowed by your policy, sent as is"
        click.echo(f"  {e['type']:<14} {e['value']!r} -> {action}  (score {e['score']})", err=True)


def _run_jsonl(gatekeeper: Gatekeeper, stream: TextIO) -> None:
    for _, message, problem in _read_messages(stream):
        if problem:
            record: dict[str, Any] = {"text": None, "error": problem, "entities": []}
        else:
            # each line is its own conversation: placeholders are numbered per message
            record = scrub_one(gatekeeper, message, PlaceholderVault())
        click.echo(json.dumps(record, ensure_ascii=False))
