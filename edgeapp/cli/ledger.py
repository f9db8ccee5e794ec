"""The ledger's commands: log, sent, export, budget, price (named in edgeapp.cli.main's table)."""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, TextIO, TypeVar

import click
from sqlite_utils.db import NotFoundError

from .. import config, wording
from ..config.checks import parse_price_override as parse_override
from ..errors import EdgeappError
from ..ledger.budget import local_now
from ..ledger.ledger import Ledger
from ..ledger.prices import Prices

F = TypeVar("F", bound=Callable[..., Any])


def _friendly(fn: F) -> F:
    """Print an EdgeappError as a one-line message and exit non-zero."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except EdgeappError as exc:
            raise click.ClickException(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


def _open() -> Ledger:
    ledger = Ledger()
    if ledger.recovered is not None:
        click.echo(f"Warning: {ledger.recovered}", err=True)
    return ledger


def _local_time(utc_text: str) -> str:
    moment = datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _short(text: str | None, width: int = 100) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[: width - 1] + "…"


def money(value: float) -> str:
    """Two decimals, or six for amounts under a cent (one cloud call often costs a fraction of one)."""
    return f"{value:.2f}" if value == 0 or abs(value) >= 0.01 else f"{value:.6f}"


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """'7d', '24h', '30m', '2w', or a local date/time such as 2026-01-31 or 2026-01-31T08:00."""
    now = now or local_now()
    match = re.fullmatch(r"\s*(\d+)\s*([mhdw])\s*", value)
    if match:
        n, unit = int(match.group(1)), match.group(2)
        return now - timedelta(**{{"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[unit]: n})
    try:
        return datetime.fromisoformat(value.strip()).astimezone()
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a time: use 7d, 24h, 30m, 2w or a date like 2026-01-31",
            param_hint="--since",
        ) from None


# -- log ------------------------------------------------------------------------------------
@click.command(name="log")
@click.option("-n", "--count", default=20, show_default=True, help="how many turns (newest first)")
@click.option("-q", "--query", help="full-text search in questions, answers and reasons")
@click.option("-c", "--conversation", help="only this conversation id")
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@_friendly
def log_command(count: int, query: str | None, conversation: str | None, as_json: bool) -> None:
    """Show recent turns, local and cloud, with their route and confidence."""
    with _open() as ledger:
        rows = ledger.turns(limit=count, query=query, conversation_id=conversation)
    if as_json:
        for row in rows:
            row["components"] = json.loads(row["components"] or "{}")
            row["guardian"] = wording.guardian_findings(row)  # the JSON column, parsed
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("No turns match." if query or conversation else "No turns recorded yet.")
        return
    for row in reversed(rows):
        conf = "-" if row["confidence"] is None else f"{row['confidence']:.2f}"
        cost = f"  {row['cost']:.6f}" if row["cost"] else ""
        click.echo(
            f"#{row['id']}  {_local_time(row['created_at'])}  [{row['route']}]  confidence {conf} / "
            f"threshold {row['threshold']:.2f}{cost}  ({row['conversation_id']})"
        )
        click.echo(f"  reason: {_short(row['reason'])}")
        click.echo(f"  you:    {_short(row['user_text'])}")
        click.echo(f"  answer: {_short(row['answer'])}")


# -- sent -----------------------------------------------------------------------------------
def _clients(ledger: Ledger, turn_ids: list[int]) -> dict[int, str]:
    """Which face asked each turn (cli, gui, api:<client>)."""
    out = {}
    for turn_id in turn_ids:
        try:
            out[turn_id] = ledger.get_turn(turn_id)["client"]
        except NotFoundError:  # a call whose turn was never recorded
            continue
    return out


@click.command(name="sent")
@click.option("--since", help="only calls since then: 7d, 24h, 30m, 2w or a date like 2026-01-31")
@click.option("--model", help="only calls to this model")
@click.option("-n", "--count", default=20, show_default=True, help="how many calls (0: all)")
@click.option("--json", "as_json", is_flag=True, help="print JSON (the request as sent, parsed)")
@_friendly
def sent_command(since: str | None, model: str | None, count: int, as_json: bool) -> None:
    """Show exactly what was sent to the cloud (after scrubbing) and what it cost."""
    start = parse_since(since) if since else None
    with _open() as ledger:
        rows = ledger.cloud_calls(since=start, model=model, limit=count or None)
        currency = ledger.settings["budget.currency"]
        clients = _clients(ledger, sorted({row["turn_id"] for row in rows if row["turn_id"]}))
    if as_json:
        out = []
        for row in rows:
            row = dict(row)
            row["entities"] = json.loads(row["entities"] or "{}")
            row["estimated"] = bool(row["estimated"])
            row["client"] = clients.get(row["turn_id"])
            for key in ("request_json", "response_json"):
                try:
                    row[key.replace("_json", "")] = json.loads(row.pop(key)) if row.get(key) else None
                except ValueError:
                    row[key.replace("_json", "")] = row.pop(key, None)
            out.append(row)
        click.echo(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if not rows:
        click.echo("Nothing was sent to the cloud" + (" in that period." if since or model else " yet."))
        return
    for row in reversed(rows):
        est = " (estimated)" if row["estimated"] else ""
        tokens = f"in {row['input_tokens'] or 0} / out {row['output_tokens'] or 0} tokens"
        click.echo(
            f"#{row['id']}  {_local_time(row['created_at'])}  {row['provider']} {row['model']}  "
            f"{row['status']}  {tokens}  {row['cost']:.6f} {currency}{est}  {row['latency_ms']:.0f} ms"
            + (f"  turn #{row['turn_id']}" if row["turn_id"] else "")
            + (f"  from {clients[row['turn_id']]}" if clients.get(row["turn_id"]) else "")
        )
        entities = json.loads(row["entities"] or "{}")
        masked = ", ".join(f"{k}×{v}" for k, v in sorted(entities.items())) or "nothing"
        click.echo(f"  masked: {masked}")
        if row["error"]:
            click.echo(f"  error: {row['error']}")
        try:
            body = json.dumps(json.loads(row["request_json"]), indent=2, ensure_ascii=False)
        except (TypeError, ValueError):
            body = row["request_json"] or ""
        click.echo("  sent:")
        for line in body.splitlines():
            click.echo(f"    {line}")


# -- export ---------------------------------------------------------------------------------
@click.command(name="export")
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), default="json", show_default=True)
@click.option(
    "--table",
    type=click.Choice(["turns", "cloud_calls", "all"]),
    default="turns",
    show_default=True,
    help="what to export; CSV holds one table",
)
@click.option(
    "-o", "--output", type=click.File("w", encoding="utf-8"), default="-", help="file (default: stdout)"
)
@_friendly
def export_command(fmt: str, table: str, output: TextIO) -> None:
    """Export the history as CSV or JSON."""
    if fmt == "csv" and table == "all":
        raise click.UsageError("CSV holds one table: pass --table turns or --table cloud_calls.")
    with _open() as ledger:
        if table == "cloud_calls":  # the same code as the window's export of the review view
            from ..ledger.history import export_calls

            export_calls(ledger, None, fmt, output)
            return
        if fmt == "json":
            tables = ["turns", "cloud_calls"] if table == "all" else [table]
            data = {name: list(ledger.rows(name)) for name in tables}
            json.dump(data if table == "all" else data[table], output, indent=2, ensure_ascii=False)
            output.write("\n")
            return
        rows = ledger.rows(table)
        columns = [c.name for c in ledger.store.db[table].columns]
        writer = csv.DictWriter(output, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)


# -- budget ---------------------------------------------------------------------------------
@click.group(name="budget", invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="print JSON")
@click.pass_context
@_friendly
def budget_group(ctx: click.Context, as_json: bool) -> None:
    """Show this month's cloud spending: spent, left, forecast, alert and pacing."""
    if ctx.invoked_subcommand is not None:
        return
    settings = config.load()
    base = settings["router.threshold"]
    with _open() as ledger:
        status = ledger.budget_status()
        threshold, why = ledger.effective_threshold(base)
    if as_json:
        data = dataclasses.asdict(status)
        data["resets"] = status.resets.isoformat()
        data.update(base_threshold=base, effective_threshold=threshold, pacing=why)
        click.echo(json.dumps(data, indent=2))
        return
    cur = status.currency
    click.echo(f"Month      {status.month} (resets {status.resets:%Y-%m-%d})")
    if status.limit is None:
        click.echo("Limit      none set - cloud calls are priced and recorded but not capped.")
        click.echo("           Set one with `edgeapp budget set 20`.")
    else:
        click.echo(f"Limit      {status.limit:.2f} {cur}")
    click.echo(f"Spent      {money(status.spent)} {cur}")
    if status.reserved:
        click.echo(f"Reserved   {money(status.reserved)} {cur} (calls in flight)")
    if status.left is not None:
        click.echo(f"Left       {money(status.left)} {cur}")
    click.echo(f"Forecast   {money(status.forecast)} {cur} by month end at this rate")
    if status.limit is not None:
        click.echo(f"Alert      {status.state} (warns at {status.alert_share:.0%} of the limit)")
    click.echo(f"Pacing     threshold {threshold:.2f} (base {base:.2f}): {why}")


@budget_group.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("amount")
@click.option("--currency", help="three-letter code, e.g. EUR (prices you set are in this currency)")
@click.option("--alert", "alert_share", type=float, help="warn at this share of the limit (default 0.8)")
@click.option("--pacing/--no-pacing", default=None, help="lower the threshold when spending runs ahead")
@_friendly
def budget_set(amount: str, currency: str | None, alert_share: float | None, pacing: bool | None) -> None:
    """Set the monthly cloud budget: AMOUNT in your currency, 0 for no cloud spending, 'off' for no
    limit."""
    from ..ledger.limits import set_monthly_limit  # the same code as the window's budget slider

    settings = set_monthly_limit(amount)
    if currency:
        settings.set("budget.currency", currency.upper())
    if alert_share is not None:
        settings.set("budget.alert_share", alert_share)
    if pacing is not None:
        settings.set("budget.pacing", pacing)
    settings.save()
    limit = settings["budget.monthly_limit"]
    cur = settings["budget.currency"]
    if limit is None:
        click.echo("No monthly limit: cloud calls are priced and recorded but not capped.")
    elif limit == 0:
        click.echo("Monthly budget set to 0: nothing will be sent to the cloud.")
    else:
        click.echo(
            f"Monthly budget set to {limit:.2f} {cur} (alert at {settings['budget.alert_share']:.0%})."
        )


# -- price ----------------------------------------------------------------------------------
@click.group(name="price")
def price_group() -> None:
    """See and set the prices used to cost cloud calls (per million tokens)."""


def _without(entries: list[str], model: str) -> list[str]:
    return [e for e in entries if parse_override(str(e))[0].lower() != model.lower()]


@price_group.command(name="set", context_settings={"ignore_unknown_options": True})
@click.argument("model")
@click.argument("input_per_m", type=float)
@click.argument("output_per_m", type=float)
@_friendly
def price_set(model: str, input_per_m: float, output_per_m: float) -> None:
    """Set MODEL's price per MILLION input and output tokens, in your budget currency."""
    settings = config.load()
    entries = _without(list(settings["prices.overrides"]), model)
    entries.append(f"{model} {input_per_m:g} {output_per_m:g}")
    settings.set("prices.overrides", entries)
    settings.save()
    cur = settings["budget.currency"]
    click.echo(
        f"{model}: {input_per_m:g} {cur} per million input tokens, "
        f"{output_per_m:g} per million output tokens."
    )


@price_group.command(name="unset")
@click.argument("model")
@_friendly
def price_unset(model: str) -> None:
    """Remove your price for MODEL (the bundled table applies again)."""
    settings = config.load()
    entries = list(settings["prices.overrides"])
    kept = _without(entries, model)
    if len(kept) == len(entries):
        raise click.ClickException(f"You have not set a price for {model}. `edgeapp price list` shows yours.")
    settings.set("prices.overrides", kept)
    settings.save()
    click.echo(f"Removed your price for {model}.")


@price_group.command(name="show")
@click.argument("model")
@click.option("--base-url", default="", help="the endpoint (localhost endpoints may be free by rule)")
@_friendly
def price_show(model: str, base_url: str) -> None:
    """Show the price that applies to MODEL, and where it comes from."""
    settings = config.load()
    price = Prices().price_for(model, base_url, settings)
    click.echo(
        f"{model}: {price.input_per_m:g} {price.currency} per million input tokens, "
        f"{price.output_per_m:g} per million output tokens - {price.source}"
    )


@price_group.command(name="list")
@_friendly
def price_list() -> None:
    """List your prices and the bundled table."""
    settings = config.load()
    prices = Prices()
    mine = prices.overrides(settings)
    if mine:
        click.echo(f"Your prices ({settings['budget.currency']} per million tokens, input / output):")
        for name, (pin, pout) in sorted(mine.items()):
            click.echo(f"  {name:40} {pin:>9g} {pout:>9g}")
    click.echo("Bundled table (USD per million tokens, input / output, month checked):")
    seen = set()
    for entry in prices.table.values():
        if entry.model in seen:
            continue
        seen.add(entry.model)
        click.echo(
            f"  {entry.model:40} {entry.input_per_m:>9g} {entry.output_per_m:>9g}  "
            f"{entry.checked}  {entry.provider}"
        )
    click.echo(
        "Models on localhost/127.0.0.1 are free by rule (prices.local_free); set a price to change that."
    )
