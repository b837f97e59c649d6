"""The newsdedup Prefect flow: ingest -> syndicated copies -> stories -> facts -> write, continuing from the state."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE
from prefect.states import Failed

from newsdedup.config import Settings, load_config
from newsdedup.embed import check_models, embedders
from newsdedup.facts import Resolution
from newsdedup.incremental import (
    Changes, RunRefused, check_folders, ingest_changes, save_run, start_run, update_facts, update_stories,
    update_syndicates,
)
from newsdedup.report import Summary, largest_stories, run_summary_markdown
from newsdedup.state import Plan, State, StateError
from newsdedup.store import Busy, NotWritable, read_table, run_lock


def stage(name: str):
    """A Prefect task for one pipeline stage, with no input hashing or result persistence."""
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


@stage("ingest")
def ingest(
    state: State, input_dir: Path, plan: Plan, settings: Settings, previous: pl.DataFrame | None
) -> tuple[pl.DataFrame, Changes]:
    return ingest_changes(state, input_dir, plan, settings, previous)


@stage("syndicated-copies")
def syndicate(state: State, new_docs: pl.DataFrame, settings: Settings) -> pl.DataFrame:
    return update_syndicates(state, new_docs, settings)


@stage("stories")
def cluster(state: State, documents: pl.DataFrame, embedder, settings: Settings, changes: Changes) -> pl.DataFrame:
    return update_stories(state, documents, embedder, settings, changes)


@stage("facts")
def facts(state: State, documents: pl.DataFrame, embedder, settings: Settings, changes: Changes) -> Resolution:
    return update_facts(state, documents, embedder, settings, changes)


@stage("write")
def write(out_dir: Path, state: State) -> Summary:
    try:
        return save_run(out_dir, state)
    except NotWritable as exc:  # a full disk: the task fails with the reason in one line, not a traceback
        return Failed(message=str(exc), data=exc)


@stage("publish-artifacts")
def publish(summary: Summary, timings: dict[str, float], output_dir: Path) -> None:
    """Show what this run did in the Prefect UI: a Markdown summary and a table of the largest stories."""
    stories = read_table(output_dir, "stories")
    create_markdown_artifact(
        key="newsdedup-summary", markdown=run_summary_markdown(summary, timings, output_dir), description=summary.line()
    )
    create_table_artifact(key="newsdedup-largest-stories", table=largest_stories(stories), description="Largest stories")


@flow(name="newsdedup", log_prints=True)
def dedup_flow(
    input_dir: str = "data/raw",
    output_dir: str = "data/clusters",
    config_path: str | None = None,
    full: bool = False,
    wait_seconds: float = 0.0,
) -> Summary:
    """Process what is new or changed in input_dir since the last run (everything with full=True).

    A run that must not go ahead (a missing or emptied input folder, a damaged state, an output folder in use or not
    writable) ends Failed with its reason in one line, and the outputs as they were; calling the flow raises it."""
    try:
        return _run(Path(input_dir), Path(output_dir), config_path, full, wait_seconds)
    except (RunRefused, StateError, Busy, NotWritable) as exc:
        return Failed(message=str(exc), data=exc)


def _run(inp: Path, out: Path, config_path: str | None, full: bool, wait_seconds: float) -> Summary:
    settings = load_config(config_path)
    check_models(settings)  # a missing model or weights file fails the run before any stage
    check_folders(inp, out)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name], clock = now - clock, now

    with run_lock(out, wait_seconds):
        start = start_run(inp, out, settings, full)
        if start.quiet is not None:
            get_run_logger().info("newsdedup: nothing new in %s since the last run; %s", inp, start.quiet.line())
            return start.quiet
        if start.rebuild:  # a long run: say why
            get_run_logger().info("newsdedup: rebuilding everything from %s: %s", inp, start.rebuild)
        state = start.state
        new_docs, changes = ingest(state, inp, start.plan, settings, start.previous)
        lap("ingest")
        documents = syndicate(state, new_docs, settings)
        lap("syndicated copies")
        models = embedders(settings)
        documents = cluster(state, documents, models.stories, settings, changes)
        lap("stories")
        facts(state, documents, models.facts, settings, changes)
        lap("facts")
        # a write that failed (a full disk) raises its NotWritable here: the flow ends Failed with that line
        summary = changes.summary(write(out, state, return_state=True).result())
        lap("write")
    publish(summary, timings, out)
    get_run_logger().info("newsdedup: %s", summary.line())
    return summary
