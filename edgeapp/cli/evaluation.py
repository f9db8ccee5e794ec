"""`edgeapp eval` (run the local model and a cloud endpoint over labelled sets, write a report),
`edgeapp calibrate` (fit how the confidence signals combine, pick the threshold) and `edgeapp
feedback` (mark an answer good or bad). The work is in edgeapp/evaluation/; the models, numpy and
scikit-learn load when a command runs, not when `edgeapp --help` lists these."""

from __future__ import annotations

from pathlib import Path

import click

from .. import config
from ..errors import EdgeappError


def _print_summary(results: dict[str, dict], report_path: Path) -> None:
    from ..evaluation.report import fmt

    for name, r in results.items():
        click.echo(
            f"{name}: n={r['n']} local {fmt(r['local_accuracy'])} cloud {fmt(r['cloud_accuracy'])}"
            + (f" ({r['cloud_errors']} cloud errors, not counted)" if r.get("cloud_errors") else "")
        )
        for sig, s in r["signals"].items():
            click.echo(f"  {sig:24} AUROC {fmt(s['auroc'])}  ECE {fmt(s['ece'])}  APGR {fmt(s['apgr'])}")
    click.echo(f"report: {report_path}")


def _fail_when_the_cloud_answered_nothing(results: dict[str, dict]) -> None:
    failed = [name for name, r in results.items() if r["n"] == 0 and r.get("cloud_errors")]
    if failed:
        raise EdgeappError(
            f"The cloud answered none of the questions of {', '.join(failed)}: "
            f"{results[failed[0]]['first_cloud_error']} The local answers are cached: fix the endpoint "
            "(--cloud-url, --cloud-model, the key) and run the same command again."
        )


def _warn(text: str) -> None:
    click.echo(text, err=True)


@click.command("eval")
@click.argument(
    "datasets", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("-n", "--limit", type=int, default=None, help="Questions per dataset (default: all).")
@click.option("--offset", type=int, default=0, help="Skip this many questions first.")
@click.option(
    "--local-model", "local_path", type=click.Path(dir_okay=False), help="GGUF (default: local.model_path)."
)
@click.option("--cloud-url", help="OpenAI-compatible base URL (default: cloud.base_url).")
@click.option("--cloud-model", help="Cloud model name (default: cloud.model).")
@click.option(
    "--raw/--no-raw", default=False, help="Also ask the cloud unscrubbed, to measure what scrubbing costs."
)
@click.option(
    "--raw-n", type=int, default=None, help="With --raw: only the first N questions (default: all)."
)
@click.option(
    "--max-tokens",
    type=int,
    default=512,
    show_default=True,
    help="Token limit for every answer; an answer cut at the limit is usually wrong, so keep it roomy.",
)
@click.option(
    "--temperature",
    type=float,
    default=0.0,
    show_default=True,
    help="Cloud sampling temperature (0: deterministic, so reruns and the cache agree; "
    "-1: provider default).",
)
@click.option(
    "--calibration-set",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled set to fit the calibrated confidence on (never the rows reported).",
)
@click.option("--calibration-n", type=int, default=200, show_default=True)
@click.option(
    "--calibration-cloud/--no-calibration-cloud",
    default=True,
    show_default=True,
    help="Also ask the cloud on the calibration set (needed for a threshold picked there by drop=; "
    "without it the calibration set costs local answers only).",
)
@click.option(
    "--method",
    "methods",
    multiple=True,
    type=click.Choice(["compress", "exclude", "align", "shepherd"]),
    help="Also measure a collaboration method as the escalation leg (repeatable).",
)
@click.option(
    "--method-n",
    type=int,
    default=None,
    help="Measure the methods on the N least confident questions only (those a router escalates).",
)
@click.option(
    "--from-cache",
    "offline",
    is_flag=True,
    help="Call no model: rebuild the report from the questions already in the cache.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Response cache (default: OUT/cache.jsonl); several reports may share one.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("eval-report"),
    show_default=True,
    help="Report folder; its cache.jsonl makes reruns free.",
)
def eval_command(
    datasets: tuple[Path, ...],
    limit: int | None,
    offset: int,
    local_path: str | None,
    cloud_url: str | None,
    cloud_model: str | None,
    raw: bool,
    raw_n: int | None,
    max_tokens: int,
    temperature: float,
    calibration_set: Path | None,
    calibration_n: int,
    calibration_cloud: bool,
    methods: tuple[str, ...],
    method_n: int | None,
    offline: bool,
    cache_path: Path | None,
    out_dir: Path,
) -> None:
    """Run the local model and a cloud endpoint over labelled sets and write a report."""
    from ..evaluation import pipeline

    plan = pipeline.EvalPlan(
        datasets=list(datasets),
        out_dir=out_dir,
        limit=limit,
        offset=offset,
        local_path=local_path,
        cloud_url=cloud_url,
        cloud_model=cloud_model,
        raw=raw,
        raw_n=raw_n,
        max_tokens=max_tokens,
        temperature=temperature,
        calibration_set=calibration_set,
        calibration_n=calibration_n,
        calibration_cloud=calibration_cloud,
        methods=methods,
        method_n=method_n,
        offline=offline,
        cache_path=cache_path,
    )
    outcome = pipeline.run(plan, config.load(), _warn)
    _print_summary(outcome.results, outcome.report)
    _fail_when_the_cloud_answered_nothing(outcome.results)


@click.command("calibrate")
@click.option(
    "--from-eval",
    "eval_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="An eval report folder: fits on every local answer it recorded (calibration set and "
    "evaluated rows).",
)
@click.option("--from-history", is_flag=True, help="Fit on your own turns marked with `edgeapp feedback`.")
@click.option(
    "--target",
    default="cloud-share=0.3",
    show_default=True,
    help="drop=N | cloud-share=X | budget=B,volume=V",
)
@click.option(
    "--kind",
    type=click.Choice(["logistic", "isotonic"]),
    default="logistic",
    show_default=True,
    help="logistic: several signals combined; isotonic: a monotone map of the best single signal.",
)
@click.option(
    "--objective",
    type=click.Choice(["auto", "local", "gain"]),
    default="auto",
    show_default=True,
    help="local: the score is P(local answer right); gain: (1 + P(local right) - P(cloud right)) / 2, "
    "what escalating gains (needs judged cloud answers); auto: gain when there are at least 20 "
    "judged cloud answers, right and wrong, else local.",
)
@click.option("--dry-run", is_flag=True, help="Show the result without saving it.")
def calibrate_command(
    eval_dir: Path | None, from_history: bool, target: str, kind: str, objective: str, dry_run: bool
) -> None:
    """Fit how the confidence signals combine, and pick the threshold for a target."""
    from ..evaluation import fitting
    from ..evaluation.routing import parse_target
    from ..ledger import Ledger

    parse_target(target)  # a bad target is said before anything is read
    if eval_dir:
        rows = fitting.rows_from_eval(eval_dir)
    elif from_history:
        rows = fitting.rows_from_history(Ledger())
    else:
        raise EdgeappError("Say what to fit on: --from-eval DIR or --from-history.")
    fit = fitting.fit_for_target(rows, target, kind, objective)
    fitted, threshold = fit.calibration, fit.calibration.threshold
    what = "escalation-gain score" if fit.objective == "gain" else "P(local right)"
    click.echo(
        f"fitted ({kind}, {what}) on {rows.source}: AUROC {fitted.report['auroc']:.3f}, ECE "
        f"{fitted.report['ece']:.3f} (5-fold, out of fold; ECE is against the local answer's correctness)"
    )
    click.echo(f"threshold {threshold:.3f}: {fit.why}")
    if dry_run:
        return
    path = fitted.save()
    settings = config.load()
    settings.set("router.threshold", round(threshold, 4))
    settings.save()
    click.echo(f"saved {path}; router.threshold = {threshold:.4f}. The next turn uses it.")


@click.command("feedback")
@click.argument("turn", type=int)
@click.argument("verdict", type=click.Choice(["good", "bad", "clear"]))
def feedback_command(turn: int, verdict: str) -> None:
    """Mark a turn's answer good or bad (see `edgeapp log` for turn numbers)."""
    from sqlite_utils.db import NotFoundError

    from ..ledger import Ledger

    ledger = Ledger()
    try:
        ledger.get_turn(turn)
    except NotFoundError:
        raise EdgeappError(f"There is no turn #{turn}; `edgeapp log` lists them.") from None
    ledger.set_feedback(turn, None if verdict == "clear" else verdict)
    click.echo(f"turn #{turn} marked {verdict}.")
