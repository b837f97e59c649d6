"""The newsdedup Prefect flow: ingest -> syndicated copies -> stories -> facts -> write."""

from __future__ import annotations

import time
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.cache_policies import NO_CACHE

from newsdedup.config import Settings, load_config
from newsdedup.embed import SentenceTransformerEmbedder
from newsdedup.facts import resolve_stories
from newsdedup.ingest import read_inputs
from newsdedup.report import Summary, build_outputs, largest_stories, run_summary_markdown
from newsdedup.stories import assign_stories
from newsdedup.store import read_table, write_outputs
from newsdedup.syndication import find_syndicates

# Tables and models are passed in memory; hashing them for Prefect's cache would cost more than the stage.
def stage(name: str):
    """A Prefect task for one pipeline stage, with no input hashing or result persistence."""
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


@stage("ingest")
def ingest(input_dir: Path, settings: Settings) -> tuple[pl.DataFrame, pl.DataFrame]:
    return read_inputs(input_dir, settings.ingest)


@stage("syndicated-copies")
def syndicate(documents: pl.DataFrame, settings: Settings) -> tuple[pl.DataFrame, pl.DataFrame]:
    return find_syndicates(documents, settings.syndication)


@stage("stories")
def cluster(documents: pl.DataFrame, embedder: SentenceTransformerEmbedder, settings: Settings) -> pl.DataFrame:
    return assign_stories(documents, embedder, settings.stories)


@stage("facts")
def facts(documents: pl.DataFrame, embedder: SentenceTransformerEmbedder, settings: Settings):
    return resolve_stories(documents, embedder, settings.facts)


@stage("write")
def write(out_dir: Path, documents, resolution, rejects, pairs) -> Summary:
    tables, texts, summary = build_outputs(documents, resolution, rejects, pairs)
    write_outputs(out_dir, tables, texts)
    return summary


@stage("publish-artifacts")
def publish(summary: Summary, timings: dict[str, float], output_dir: Path) -> None:
    """Show what this run did in the Prefect UI: a Markdown summary and a table of the largest stories."""
    stories = read_table(output_dir, "stories")
    create_markdown_artifact(key="newsdedup-summary", markdown=run_summary_markdown(summary, timings, output_dir), description=summary.line())
    create_table_artifact(key="newsdedup-largest-stories", table=largest_stories(stories), description="Largest stories of this run")


@flow(name="newsdedup", log_prints=True)
def dedup_flow(input_dir: str = "data/raw", output_dir: str = "data/clusters", config_path: str | None = None) -> Summary:
    """Run every stage over input_dir and write the tables and report to output_dir."""
    settings = load_config(config_path)
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name], clock = now - clock, now

    documents, rejects = ingest(Path(input_dir), settings)
    lap("ingest")
    documents, pairs = syndicate(documents, settings)
    lap("syndicated copies")
    embedder = SentenceTransformerEmbedder(
        settings.stories.model, settings.stories.batch_size, settings.stories.max_seq_length
    )
    documents = cluster(documents, embedder, settings)
    lap("stories")
    resolution = facts(documents, embedder, settings)
    lap("facts")
    summary = write(Path(output_dir), documents, resolution, rejects, pairs)
    lap("write")
    publish(summary, timings, Path(output_dir))
    get_run_logger().info("newsdedup: %s", summary.line())
    return summary
