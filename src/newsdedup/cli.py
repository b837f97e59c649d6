"""The `newsdedup` command: parses arguments, runs the flow or the library, turns errors into one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import typer

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Find syndicated copies and stories in news feeds.")


@app.callback()
def _commands() -> None:
    """Find syndicated copies and stories in news feeds; pick the most complete version; list what others add."""


def prefect_offline_defaults() -> None:
    """Keep Prefect on loopback and quiet: no analytics, a local home, a patient temporary server."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_HOME", str(Path.home() / ".cache" / "newsdedup" / "prefect"))
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def fail(message: str) -> None:
    """Print one line to stderr and exit with status 2."""
    typer.echo(f"newsdedup: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def run(
    input: Path = typer.Option(Path("data/raw"), "--input", "-i", help="Folder of article files (read recursively)."),
    output: Path = typer.Option(Path("data/clusters"), "--output", "-o", help="Folder for tables and reports."),
    config: Path = typer.Option(Path("config/default.toml"), "--config", "-c", help="TOML config file."),
) -> None:
    """Run the whole pipeline as a Prefect flow on INPUT and write tables and report to OUTPUT."""
    from newsdedup.config import ConfigError, load_config

    if not input.is_dir():
        fail(f"input folder not found: {input}")
    try:
        load_config(config)  # fail fast, before Prefect starts
    except ConfigError as exc:
        fail(str(exc))
    prefect_offline_defaults()
    from flows.dedup import dedup_flow

    from newsdedup.embed import ModelNotFound

    try:
        summary = dedup_flow(str(input), str(output), str(config))
    except ModelNotFound as exc:
        fail(str(exc))
    typer.echo(summary.line())
    typer.echo(f"report: {output / 'report.md'}")


def main() -> None:
    """Entry point for `python -m newsdedup`."""
    app(prog_name="newsdedup")


if __name__ == "__main__":
    sys.exit(main())
