"""`edgeapp models list | pull NAME | use NAME|PATH | rm NAME | info PATH | clean`."""

from __future__ import annotations

import json

import click

from ..errors import EdgeappError

LABEL_COLOURS = {"fits": "green", "may be slow": "yellow", "won't fit": "red"}


def _gb(n: float) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.0f} MB"


@click.group("models")
def models_group() -> None:
    """Choose, download and switch local models (GGUF files run by llama.cpp)."""


@models_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the list and the machine as JSON.")
def list_command(as_json: bool) -> None:
    """Catalog models with how well each fits this machine; * marks the recommended one."""
    from ..models import manager

    found, machine = manager.rows()
    others = manager.other_files()
    if as_json:
        click.echo(
            json.dumps(
                {
                    "machine": machine.to_dict(),
                    "models": [r.to_dict() for r in found],
                    "other_files": [str(p) for p in others],
                },
                indent=2,
            )
        )
        return
    from ..models.names import model_title

    click.secho(f"This machine: {machine.describe()}", dim=True)
    title_width = max(len(r.title) for r in found)
    width = max(len(r.name) for r in found)
    click.secho(f"  {'model':<{title_width}}  {'NAME (for pull / use)':<{width}}", dim=True)
    for r in found:
        mark = "*" if r.recommended else " "
        state = "in use" if r.in_use else ("installed" if r.installed else "")
        click.secho(f"{mark} {r.title:<{title_width}}  ", bold=r.in_use, nl=False)
        click.echo(f"{r.name:<{width}}  {_gb(r.size):>8}  RAM {_gb(r.ram):>8}  ", nl=False)
        click.secho(f"{r.label:<11}", fg=LABEL_COLOURS.get(r.label), nl=False)
        click.secho(f"  {state:<9}", bold=r.in_use, nl=False)
        click.secho(f"  {r.good_for}", dim=True)
    for path in others:
        where = f"{path.name}, a file in the models folder; `edgeapp models use {path}`"
        click.echo(f"  {model_title(path)}  ({where})")
    rec = next((r for r in found if r.recommended), None)
    if rec:
        click.secho(
            f"* recommended here: {rec.title} — {rec.reason}. `edgeapp models pull {rec.name}` "
            "downloads it, `edgeapp models use NAME` switches.",
            dim=True,
        )


@models_group.command("pull")
@click.argument("name")
@click.option("--use", "then_use", is_flag=True, help="Switch to the model once it is downloaded.")
def pull_command(name: str, then_use: bool) -> None:
    """Download a catalog model (resumes an interrupted download)."""
    from tqdm import tqdm

    from ..models import find, manager

    entry = find(name)
    bar = None

    def progress(p) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(
                total=p.total,
                initial=p.resumed_from,
                unit="B",
                unit_scale=True,
                unit_divisor=1000,
                desc=entry.file,
                dynamic_ncols=True,
                leave=True,
            )
            if p.resumed_from:
                tqdm.write(f"resuming at {_gb(p.resumed_from)}")
        bar.update(p.done - bar.n)

    if not entry.embedded:
        click.echo(
            f"Downloading {entry.title} ({_gb(entry.size)}, {entry.license}) from {entry.url.split('/')[2]}"
        )
    try:
        pulled = manager.pull(name, progress=progress)
    finally:
        if bar is not None:
            bar.close()
    if pulled.already:
        click.echo(f"{entry.name} is already here: {pulled.path}")
    else:
        click.echo(f"Saved {pulled.path}")
        if pulled.trusted_on_first_download:
            click.secho(
                f"The catalog has no published sha256 for {entry.file}, so this download was trusted "
                f"as it came: its sha256 {pulled.sha256} is now recorded and later checks use it.",
                fg="yellow",
            )
        else:
            click.echo(f"sha256 verified: {pulled.sha256}")
    if then_use:
        _use(entry.name)
    elif not pulled.already:
        click.echo(f"Switch to it with `edgeapp models use {entry.name}`.")


def _use(target: str) -> None:
    from ..models import manager

    path, _ = manager.use(target)
    click.echo(
        f"local.model_path = {path}  (llama.cpp ran it in a trial; the next turn uses it, "
        "the app need not restart)"
    )


@models_group.command("use")
@click.argument("target", metavar="NAME|PATH")
def use_command(target: str) -> None:
    """Switch the local model, after a trial run in a child process (the crash guard)."""
    _use(target)


@models_group.command("rm")
@click.argument("name")
def rm_command(name: str) -> None:
    """Delete a downloaded model (not the one in use)."""
    from ..models import manager

    path, size = manager.remove(name)
    click.echo(f"Removed {path} ({_gb(size)}).")


@models_group.command("info")
@click.argument("target", metavar="PATH|NAME")
@click.option("--json", "as_json", is_flag=True)
@click.option(
    "--reader",
    type=click.Choice(["edgeapp", "gguf"]),
    default="edgeapp",
    help="gguf: llama.cpp's own reader (slow on big vocabularies).",
)
def info_command(target: str, as_json: bool, reader: str) -> None:
    """A GGUF file's metadata, read from its header without loading the weights."""
    from pathlib import Path

    from ..models import find, installed_path
    from ..models.gguf_info import info

    path = Path(target).expanduser()
    if not path.exists() and not target.endswith(".gguf"):
        found = installed_path(find(target))
        if found is None:
            raise EdgeappError(f"{target} is not downloaded: `edgeapp models pull {target}`.")
        path = found
    meta = info(path, reader=reader)
    if as_json:
        click.echo(json.dumps(meta.to_dict(), indent=2))
        return
    kv = f"{meta.kv_bytes_per_token / 1024:.0f} KiB per token" if meta.kv_bytes_per_token else "?"
    click.echo(f"file          {meta.path} ({_gb(meta.file_size)}, GGUF v{meta.gguf_version})")
    click.echo(f"name          {meta.name or '-'}")
    click.echo(f"architecture  {meta.architecture}, {meta.n_layers or '?'} layers")
    click.echo(f"parameters    {meta.parameters:,} ({meta.size_label})")
    click.echo(f"quantization  {meta.quantization}")
    click.echo(f"context       {meta.context_length or '?'} tokens (trained); KV cache {kv}")
    click.echo(f"vocabulary    {meta.n_vocab or '?'} tokens")
    click.echo(
        f"chat template {'yes' if meta.chat_template else 'NO: chat answers may be garbled'}"
        + (f" ({meta.chat_template_chars} characters)" if meta.chat_template else "")
    )
    click.echo(f"license       {meta.license or '-'}")


@models_group.command("clean")
def clean_command() -> None:
    """Remove partial downloads (they are also removed after a week)."""
    from ..models import manager

    removed = manager.clean()
    total = sum(size for _, size in removed)
    parts = [p for p, _ in removed if p.name.endswith(".part")]
    click.echo(
        f"Removed {len(parts)} partial download(s), {_gb(total)}." if removed else "No partial downloads."
    )
