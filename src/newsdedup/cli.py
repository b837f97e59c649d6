"""The `newsdedup` command: parses arguments, runs the flow or the library, turns errors into one line."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from newsdedup.config import DEFAULT_CONFIG

if TYPE_CHECKING:
    import polars as pl
    from rich.console import Console

    from newsdedup.check import Desk
    from newsdedup.config import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Find syndicated copies and stories in news feeds.",
                  context_settings={"help_option_names": ["-h", "--help"]})
CONFIG_HELP = "TOML config file (default: the checkout's config/default.toml)."


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


def _console() -> Console:
    """Where the views print: a terminal's width (or COLUMNS), else 140 columns when piped to a file or a command,
    so that a story or a reject stays on one line there (rich would take 80)."""
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 140)


def fail(message: str) -> None:
    """Print one line to stderr and exit with status 2."""
    typer.echo(f"newsdedup: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def run(
    input: Path = typer.Option(Path("data/raw"), "--input", "-i", help="Folder of article files (read recursively)."),
    output: Path = typer.Option(Path("data/clusters"), "--output", "-o", help="Folder for tables and reports."),
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help=CONFIG_HELP),
    full: bool = typer.Option(False, "--full", help="Rebuild from scratch instead of continuing from the saved state."),
    wait: float = typer.Option(0.0, "--wait", min=0, help="Seconds to wait for another run on OUTPUT to finish."),
) -> None:
    """Run the pipeline as a Prefect flow: what is new or changed in INPUT since the last run, into OUTPUT."""
    from newsdedup.incremental import RunRefused, check_folders
    from newsdedup.state import StateError

    try:
        check_folders(input, output)
    except RunRefused as exc:
        fail(str(exc))
    settings = _settings(config)  # fail fast, before Prefect starts
    _check_models(settings)
    if not full:
        from newsdedup.incremental import outputs_stale
        from newsdedup.state import load_manifest, plan_run, rebuild_reason

        try:
            manifest = load_manifest(output, settings)
        except StateError as exc:
            fail(str(exc))
        if manifest is not None and plan_run(input, manifest, skip=(output,)).nothing_new:
            why = outputs_stale(output)
            if why is None:
                typer.echo(f"nothing new in {input} since the last run ({manifest.height} inputs unchanged)")
                typer.echo(_report_line(output))
                return
            typer.echo(f"nothing new in {input}, but {why}: writing the outputs again")
        elif manifest is None and (why := rebuild_reason(output, settings)):
            typer.echo(f"rebuilding everything from {input}: {why}")  # a long run, said before it starts
    from newsdedup.embed import ModelNotFound
    from newsdedup.store import Busy, NotWritable, wait_until_free

    try:  # a busy or unusable output folder is one line, before Prefect starts
        wait_until_free(output, wait)
    except (Busy, NotWritable) as exc:
        fail(str(exc))
    _api_answers()  # a server given that is down: one line, not Prefect's traceback
    prefect_offline_defaults()
    from flows.dedup import dedup_flow

    from newsdedup.progress import RichReporter, reporting

    # Progress bars only on a terminal; scheduled runs and pipes stay quiet.
    bars = RichReporter() if sys.stderr.isatty() else None
    try:
        if bars is None:
            summary = dedup_flow(str(input), str(output), str(config), full, wait)
        else:
            with bars, reporting(bars):
                summary = dedup_flow(str(input), str(output), str(config), full, wait)
    except (ModelNotFound, Busy, NotWritable, RunRefused, StateError) as exc:
        fail(str(exc))
    typer.echo(summary.line())
    typer.echo(_report_line(output))


def _report_line(output: Path) -> str:
    return f"report: {output / 'report.md'} (and {output / 'report.html'}, the story browser)"


def _input_folder(input: Path) -> None:
    """Fail in one line unless INPUT is a folder, as `run` does."""
    from newsdedup.incremental import RunRefused, check_input

    try:
        check_input(input)
    except RunRefused as exc:
        fail(str(exc))


def _settings(config: Path):
    from newsdedup.config import ConfigError, load_config

    try:
        return load_config(config)
    except ConfigError as exc:
        fail(str(exc))


def _embedder(settings):
    from newsdedup.embed import SentenceTransformerEmbedder

    cfg = settings.stories
    return SentenceTransformerEmbedder.from_config(cfg)


def _check_models(settings) -> None:
    """A missing model or weights file stops the command here, in one line, before any work."""
    from newsdedup.embed import ModelNotFound, check_models

    try:
        check_models(settings)
    except ModelNotFound as exc:
        fail(str(exc))


def _embedders(settings):
    """Both models; fine-tuned facts weights are loaded now, so that a file that does not fit stops in one line."""
    from newsdedup.embed import ModelNotFound, embedders

    _check_models(settings)
    models = embedders(settings)
    if settings.facts.weights:
        try:
            models.facts._load()
        except ModelNotFound as exc:
            fail(str(exc))
    return models


def _read_labels(path: Path):
    import polars as pl

    if not path.is_file():
        fail(f"labels file not found: {path}")
    try:
        labels = pl.read_csv(path, infer_schema=False)
    except Exception as exc:  # polars raises several error types for a bad CSV
        fail(f"cannot read labels {path}: {exc}".splitlines()[0])
    if "cluster_id" in labels.columns and "story_id" not in labels.columns:  # the labelled story sets' own name
        labels = labels.rename({"cluster_id": "story_id"})
    if "id" not in labels.columns or not {"syndicate_id", "story_id"} & set(labels.columns):
        fail(f"labels {path} need an `id` column and `syndicate_id` and/or `story_id` (or `cluster_id`)")
    return labels


def _labelled_documents(input: Path, settings, truth, labels: Path):
    """The articles of INPUT, read (ingest only), once the labels are known to name some of them: none named is one
    line with an id of each side, not a table of perfect scores over no article; some missing is a note."""
    from newsdedup.ingest import read_inputs

    _input_folder(input)
    documents, rejects = read_inputs(input, settings.ingest)
    ids = set(documents["article_id"].to_list())
    labelled = [str(i) for i in truth["id"].to_list()]
    missing = [i for i in labelled if i not in ids]
    if labelled and len(missing) == len(labelled):
        example = f" (such as {min(ids)!r}: a file's name without its extension, or a feed item's own id)" if ids else ""
        fail(f"none of the {len(labelled)} ids in {labels} (such as {missing[0]!r}) is an article of {input}{example}")
    if missing:
        typer.echo(f"note: {len(missing)} labelled ids are not among the articles read from {input}, such as "
                   f"{missing[0]!r} (rejected at ingest, or not there)", err=True)
    return documents, rejects


def _writable_file(path: Path | None, what: str) -> None:
    """Fail now, in one line, when a file a command writes at its end could not be written there."""
    if path is None:
        return
    folder = path.parent
    while not folder.exists() and folder != folder.parent:  # folders a command would make (tune's --out)
        folder = folder.parent
    if path.is_dir():
        fail(f"{what} {path} is a folder: give a file name")
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        fail(f"{what} {path} cannot be written: {folder} is not a writable folder")


def _cluster(input: Path, settings, truth, labels: Path):
    """Ingest, copy groups and stories, without Prefect (scoring needs no outputs written)."""
    from newsdedup.stories import assign_stories
    from newsdedup.syndication import find_syndicates

    documents, rejects = _labelled_documents(input, settings, truth, labels)
    documents, _ = find_syndicates(documents, settings.syndication)
    return assign_stories(documents, _embedder(settings), settings.stories), rejects


def _print_level(score) -> None:
    from rich.table import Table

    table = Table(title=f"{score.level}: {score.n_items} articles, {score.n_true_clusters} true / {score.n_pred_clusters} found clusters")
    for col in ("measure", "precision", "recall", "F1"):
        table.add_column(col)
    table.add_row("pairwise", *(f"{v:.4f}" for v in (score.pairwise.precision, score.pairwise.recall, score.pairwise.f1)))
    table.add_row("B-cubed", *(f"{v:.4f}" for v in (score.bcubed.precision, score.bcubed.recall, score.bcubed.f1)))
    table.add_row("ARI", f"{score.ari:.4f}", "", "")
    console = _console()
    console.print(table)
    for case in score.worst_merges + score.worst_splits:
        what = "wrongly merged" if case.kind == "merged" else "wrongly split"
        # titles are data: "[video]" is no markup
        console.print(f"  {what}: {case.size} articles in {case.parts} groups: " + " | ".join(t[:70] for t in case.titles[:4]),
                      markup=False)


@app.command()
def evaluate(
    input: Path = typer.Option(..., "--input", "-i", help="Folder of labelled articles."),
    labels: Path = typer.Option(..., "--labels", "-l", help="CSV: id plus syndicate_id and/or story_id (or cluster_id)."),
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help=CONFIG_HELP),
    json_out: Path = typer.Option(None, "--json", help="Also write the scores as JSON to this file."),
) -> None:
    """Run the pipeline on INPUT and score copy groups and stories against LABELS."""
    import json

    from newsdedup.evaluate import score_against_labels

    settings = _settings(config)
    truth = _read_labels(labels)
    _writable_file(json_out, "--json")
    articles, _ = _cluster(input, settings, truth, labels)
    scores, _ = score_against_labels(articles, truth)
    for score in scores:
        _print_level(score)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps({s.level: s.as_dict() for s in scores}, indent=2), encoding="utf-8")


def _read_fact_pairs(sentences: Path, pairs: Path) -> tuple[list[str], list[str], "np.ndarray"]:
    left, right, truth, _ = _read_fact_table(sentences, pairs)
    return left, right, truth


def _read_fact_table(sentences: Path, pairs: Path) -> tuple[list[str], list[str], "np.ndarray", list[tuple[str, str]]]:
    """The labelled pairs' texts, labels and ids, or one line naming what is wrong with the files."""
    import json

    import numpy as np
    import polars as pl

    for path in (sentences, pairs):
        if not path.is_file():
            fail(f"file not found: {path}")
    text = {}
    for n, line in enumerate(sentences.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                record = json.loads(line)
                text[str(record["id"])] = record["text"]
            except (json.JSONDecodeError, KeyError, TypeError):
                fail(f"{sentences}:{n}: expected a JSON object with id and text")
    try:
        table = pl.read_csv(pairs, infer_schema=False)
    except Exception as exc:  # polars raises several error types for a bad CSV
        fail(f"cannot read pairs {pairs}: {exc}".splitlines()[0])
    lacking = [c for c in ("id1", "id2", "label") if c not in table.columns]
    if lacking:
        fail(f"{pairs} needs the columns id1, id2 and label (1 = same fact, 0 = not); it has no {', '.join(lacking)}")
    odd = table.filter(~pl.col("label").str.strip_chars().is_in(["0", "1"]).fill_null(False))  # an empty one too
    if odd.height:
        label = odd["label"][0]
        fail(f"{pairs}: a label is 1 (same fact) or 0 (not), not {'empty' if label is None else repr(label)} "
             f"({odd['id1'][0]} / {odd['id2'][0]})")
    unknown = set(table["id1"].to_list() + table["id2"].to_list()) - text.keys()
    if unknown:
        fail(f"{pairs}: {len(unknown)} sentence ids not in {sentences}, e.g. {sorted(unknown)[0]}")
    left = [text[i] for i in table["id1"].to_list()]
    right = [text[i] for i in table["id2"].to_list()]
    ids = list(zip(table["id1"].to_list(), table["id2"].to_list()))
    return left, right, (table["label"].str.strip_chars() == "1").to_numpy(), ids


@app.command("evaluate-facts")
def evaluate_facts(
    sentences: Path = typer.Option(..., "--sentences", help="JSONL of {id, text}."),
    pairs: Path = typer.Option(..., "--pairs", help="CSV of id1,id2,label (1 = same fact)."),
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help=CONFIG_HELP),
    json_out: bool = typer.Option(False, "--json", help="Print one JSON object instead of a line."),
    errors: int = typer.Option(5, "--errors", min=0, help="How many of the worst wrong decisions of each kind to show."),
) -> None:
    """Score the 'these two sentences state the same fact' decision on labelled pairs, and show the worst
    wrong decisions with why they were made."""
    import json
    from dataclasses import asdict

    import numpy as np

    from newsdedup.evaluate import binary_scores, worst_decisions
    from newsdedup.facts import as_sentence, failed_check, judge_pairs, why_apart
    from newsdedup.normalize import clip

    settings = _settings(config)
    left, right, truth, ids = _read_fact_table(sentences, pairs)
    sims, allowed, decided = judge_pairs(left, right, _embedders(settings).facts, settings.facts)
    score = binary_scores(truth, decided)
    if json_out:
        typer.echo(json.dumps(asdict(score)))
        return
    typer.echo(
        f"{len(truth)} pairs: accuracy {score.accuracy:.4f}, precision {score.precision:.4f}, "
        f"recall {score.recall:.4f}, F1 {score.f1:.4f}"
    )
    labelled_same = int(truth.sum())
    barred = [failed_check(as_sentence(left[i]), as_sentence(right[i]), settings.facts) for i in np.flatnonzero(truth & ~allowed)]
    ceiling = f"{1 - len(barred) / labelled_same:.4f}" if labelled_same else "-"
    line = (
        f"labelled the same fact: {labelled_same}; kept apart by the figure and shared-words checks whatever their "
        f"similarity: {len(barred)} ({barred.count('figures')} state different figures, {barred.count('words')} share "
        f"too few words), so recall is at most {ceiling}"
    )
    if allowed.any():
        within = binary_scores(truth[allowed], decided[allowed])
        line += (f"; on the pairs both checks allow ({int(allowed.sum())}): precision {within.precision:.4f}, "
                 f"recall {within.recall:.4f}, F1 {within.f1:.4f}")
    typer.echo(line)
    false_pos, false_neg = worst_decisions(truth, decided, sims, errors)
    threshold = settings.facts.same_fact_similarity
    for title, rows in (("said to be the same fact, labelled different", false_pos),
                        ("labelled the same fact, kept apart", false_neg)):
        if rows:
            typer.echo(f"worst {title}:")
        for i in rows:
            why = why_apart(as_sentence(left[i]), as_sentence(right[i]), settings.facts) if truth[i] else None
            reason = why or (f"cosine {sims[i]:.2f} < {threshold}" if truth[i] else f"cosine {sims[i]:.2f} >= {threshold}")
            typer.echo(f"  {ids[i][0]} / {ids[i][1]}: {reason}")
            typer.echo(f"    {clip(left[i], 110)}\n    {clip(right[i], 110)}")


@app.command()
def tune(
    input: Path = typer.Option(..., "--input", "-i", help="Folder of labelled articles."),
    labels: Path = typer.Option(..., "--labels", "-l", help="CSV: id plus syndicate_id and/or story_id (or cluster_id)."),
    out: Path = typer.Option(Path("config/tuned.toml"), "--out", "-o", help="Where to write the tuned config."),
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help="Starting config."),
    fact_sentences: Path = typer.Option(None, "--fact-sentences", help="Optional JSONL {id, text} to tune fact similarity."),
    fact_pairs: Path = typer.Option(None, "--fact-pairs", help="Optional CSV id1,id2,label to tune fact similarity."),
) -> None:
    """Search the thresholds that matter on labelled data and write a config; show default vs tuned."""
    from newsdedup.tune import to_toml, tune_all

    if (fact_sentences is None) != (fact_pairs is None):
        fail("--fact-sentences and --fact-pairs go together: the sentences and the labelled pairs of them")
    settings = _settings(config)
    truth = _read_labels(labels)
    _writable_file(out, "--out")
    fact_data = _read_fact_pairs(fact_sentences, fact_pairs) if fact_sentences and fact_pairs else None
    documents, _ = _labelled_documents(input, settings, truth, labels)
    tuned, lines = tune_all(documents, truth, _embedders(settings), settings, fact_data)
    for line in lines:
        typer.echo(line)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(to_toml(tuned, settings), encoding="utf-8")
    typer.echo(f"wrote {out}")


def _outputs(output: Path, *names: str):
    """Read output tables by name, or stop with one line when the folder holds no results, or results
    written by an older newsdedup (a column of the table's contract missing)."""
    from newsdedup.schema import ARTICLES, CONFLICTS, FACTS, REJECTS, STORIES
    from newsdedup.store import read_table

    missing = [n for n in names if not (output / f"{n}.parquet").is_file()]
    if missing:
        fail(f"no results in {output} ({missing[0]}.parquet missing): run `newsdedup run` first")
    contracts = {"articles": ARTICLES, "stories": STORIES, "facts": FACTS, "conflicts": CONFLICTS, "rejects": REJECTS}
    tables = [read_table(output, n) for n in names]
    for name, table in zip(names, tables):
        lacking = [c for c in contracts.get(name, {}) if c not in table.columns]
        if lacking:
            fail(f"{name}.parquet in {output} has no column {lacking[0]!r} (written by an older newsdedup): "
                 "run `newsdedup run` again")
    return tables


OUTPUT_OPTION = typer.Option(Path("data/clusters"), "--output", "-o", help="Output folder of a run.")


@app.command()
def stories(
    output: Path = OUTPUT_OPTION,
    limit: int = typer.Option(50, "--limit", "-n", min=1, help="Show at most this many stories."),
) -> None:
    """List the stories of a run, biggest first, with how many figures their versions give differently."""
    import polars as pl
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table, articles = _outputs(output, "stories", "articles")
    # the days its articles came out as their sources dated them (a New York evening is not the next day in UTC)
    local_day = (pl.col("published") + pl.col("utc_offset").fill_null(pl.duration(seconds=0))).dt.date()
    spans = articles.group_by("story_id").agg(local_day.min().alias("first"), local_day.max().alias("last"))
    days = {story: (first, last) for story, first, last in spans.iter_rows()}
    differ = {}
    if (output / "conflicts.parquet").is_file():  # outputs of an older run may lack it: no column then
        (conflicts,) = _outputs(output, "conflicts")
        differ = dict(conflicts.group_by("story_id").agg(pl.col("numbers_differ").fill_null(False).sum()).iter_rows())
    rows = []
    for row in table.head(limit).iter_rows(named=True):
        first, last = days.get(row["story_id"], (None, None))
        dates = "undated" if first is None else f"{first:%Y-%m-%d}"
        if first is not None and last != first:
            dates += f"..{last:%m-%d}" if last.year == first.year else f"..{last:%Y-%m-%d}"  # 2026-02-01..02-03
        rows.append((row, dates, str(differ.get(row["story_id"]) or "")))
    console = _console()
    shown = f"{len(rows)} of " if len(rows) < table.height else ""  # the rest: --limit
    title = f"{shown}{table.height} {'story' if table.height == 1 else 'stories'} in {output}"
    view = Table(title=Text(title + (" (more with --limit)" if shown else "")), box=box.SIMPLE_HEAD, pad_edge=False)
    # a line a story: ids, counts and dates whole, sources and the title cut to fit (`show` has them whole),
    # sources left out below 110 columns, conflicting figures shown when a story has some; rich counts a column's
    # padding in its width
    widths = {"story": 20, "articles": 10, "versions": 10, "sources": 18,
              "dates": max(len("dates"), *(len(d) for _, d, _ in rows)) + 2 if rows else 7}
    if any(n for _, _, n in rows):
        widths["conflicts"] = len("conflicts") + 2
    if console.width < 110:
        del widths["sources"]
    title_width = max(16, console.width - sum(widths.values()) - len(widths) - 2)  # and a rule between columns
    view.add_column("story", no_wrap=True, width=widths["story"])
    view.add_column("title", overflow="ellipsis", no_wrap=True, width=title_width)
    view.add_column("articles", justify="right", no_wrap=True, width=widths["articles"])
    view.add_column("versions", justify="right", no_wrap=True, width=widths["versions"])  # distinct texts
    if "sources" in widths:
        view.add_column("sources", overflow="ellipsis", no_wrap=True, width=widths["sources"])
    view.add_column("dates", no_wrap=True, width=widths["dates"])
    if "conflicts" in widths:
        view.add_column("conflicts", justify="right", no_wrap=True, width=widths["conflicts"])  # conflicting figures
    for row, dates, n in rows:
        cells = [Text(row["story_id"]), Text(row["title"] or ""), str(row["n_articles"]), str(row["n_syndicates"])]
        if "sources" in widths:
            cells.append(Text(", ".join(row["sources"]) or "unknown"))  # ids, titles and sources as they are: no markup; as show says
        view.add_row(*cells, dates, *([n] if "conflicts" in widths else []))
    console.print(view)


@app.command()
def show(
    story_id: str = typer.Argument(..., help="A story id (or a unique prefix of one), or an article's or a copy group's id."),
    output: Path = OUTPUT_OPTION,
) -> None:
    """Show one story: its most complete version, copies and what each changes, conflicting figures and added facts."""
    import polars as pl
    from rich.markdown import Markdown

    from newsdedup.report import story_markdown
    from newsdedup.schema import pairs_by_articles
    from newsdedup.state import saved_state_dir

    stories_t, articles, facts, conflicts, pairs = _outputs(output, "stories", "articles", "facts", "conflicts", "copy_pairs")
    # the id as the reports print it, or its hex part alone ("30a6a550f840" for story_30a6a550f840)
    matches = stories_t.filter(pl.col("story_id").str.starts_with(story_id) | pl.col("story_id").str.starts_with(f"story_{story_id}"))
    if matches.height == 0:  # an article's id or a copy group's: the story holding it
        holding = articles.filter((pl.col("article_id") == story_id) | (pl.col("syndicate_id") == story_id))["story_id"].unique()
        matches = stories_t.filter(pl.col("story_id").is_in(holding.implode()))
    if matches.height != 1:
        some = ", ".join(matches["story_id"].head(5).to_list()) + (", ..." if matches.height > 5 else "")
        fail(f"no story, article or copy group {story_id!r} in {output}" if matches.height == 0
             else f"{matches.height} stories match {story_id!r} in {output}: {some}")
    story = matches.row(0, named=True)
    sid = story["story_id"]
    mine = pl.col("story_id") == sid
    members = articles.filter(mine)
    texts = saved_state_dir(output) / "documents.parquet"
    if texts.is_file():  # the texts tell what each copy changes and who a fact's "he" is, as report.md does
        members = members.join(
            pl.scan_parquet(texts).select("article_id", "text")
            .filter(pl.col("article_id").is_in(members["article_id"].implode())).collect(),
            on="article_id", how="left",
        )
    section = story_markdown(
        story,
        members.to_dicts(),
        facts.filter(mine).to_dicts(),
        conflicts.filter(mine).to_dicts(),
        pairs_by_articles(pairs),
    )
    _console().print(Markdown("\n".join(section)))


@app.command()
def rejects(output: Path = OUTPUT_OPTION) -> None:
    """List the inputs a run could not use, with the reason for each."""
    from rich.table import Table
    from rich.text import Text

    from newsdedup.normalize import one_line

    (table,) = _outputs(output, "rejects")
    if table.height == 0:  # a title over an empty table wraps to the table's width
        typer.echo(f"no rejected inputs in {output}")
        return
    view = Table(title=Text(f"{table.height} rejected inputs in {output}"))
    view.add_column("file", overflow="fold")
    view.add_column("reason", overflow="fold")
    for path, reason in table.iter_rows():
        view.add_row(Text(one_line(path)), Text(reason))  # as they are: "[draft] story.txt" is no markup
    _console().print(view)


@app.command()
def serve(
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help=CONFIG_HELP),
    input: Path = typer.Option(None, "--input", "-i", help="Folder to watch (default: schedule.input)."),
    output: Path = typer.Option(None, "--output", "-o", help="Output folder (default: schedule.output)."),
) -> None:
    """Serve the ingest flow as a Prefect deployment on the configured cron schedule (needs PREFECT_API_URL)."""
    from newsdedup.incremental import RunRefused, check_folders

    settings = _settings(config)
    folder = input or Path(settings.schedule.input)
    try:  # each scheduled run would fail on them, in the Prefect UI: said now, in one line
        check_folders(folder, output or Path(settings.schedule.output))
    except RunRefused as exc:
        if folder.exists():
            fail(str(exc))
        # a share mounted after the server starts: the runs fail (one line each in the UI) until it is there
        typer.echo(f"newsdedup: warning: {exc}; each scheduled run fails until it is there", err=True)
    if not os.environ.get("PREFECT_API_URL"):
        fail("PREFECT_API_URL is not set: start `prefect server start` first (`make serve` does both)")
    level = os.environ.get("PREFECT_LOGGING_LEVEL")
    prefect_offline_defaults()
    from flows.dedup import dedup_flow

    sched = settings.schedule
    schedule = _cron_schedule(sched.cron, sched.timezone, config)
    _api_answers()
    # the runs (processes of their own) log at INFO unless told otherwise: each run's summary reaches the Prefect UI
    os.environ["PREFECT_LOGGING_LEVEL"] = level or "INFO"
    dedup_flow.serve(
        name=sched.deployment,
        schedules=[schedule],
        parameters={
            "input_dir": str((input or Path(sched.input)).resolve()),
            "output_dir": str((output or Path(sched.output)).resolve()),
            "config_path": str(config.resolve()),
            "wait_seconds": 60.0,
        },
        # one run at a time: a scheduled run due while a long one runs waits for it (queued on the server), not on
        # the output folder's lock, which fails it after wait_seconds
        global_limit=1,
        print_starting_message=True,
    )


def _api_answers() -> None:
    """Fail in one line when PREFECT_API_URL names a Prefect server that does not answer (not started yet, a typo),
    before Prefect prints hundreds of lines of traceback."""
    import httpx

    url = os.environ.get("PREFECT_API_URL", "").rstrip("/")
    if not url:
        return
    try:  # any answer will do (one behind a login says 401): Prefect itself then speaks for the server
        httpx.get(f"{url}/health", timeout=10, verify=False)
    except httpx.TransportError as exc:
        fail(f"no Prefect server answers at PREFECT_API_URL={url} ({type(exc).__name__}): start it first, or unset it "
             "for a temporary one (`make serve` starts one)")


def _cron_schedule(cron: str, timezone: str, config: Path):
    """Prefect's cron schedule in the config's zone, checked by Prefect's own parser: a cron such as '61 * * * *' is
    one line naming the key, not a traceback from the deployment's registration."""
    from pydantic import ValidationError

    from prefect.client.schemas.schedules import CronSchedule

    try:
        return CronSchedule(cron=cron, timezone=timezone)
    except ValidationError as exc:
        error = exc.errors()[0]
        fail(f"{config}: schedule.{error['loc'][0]}: {str(error['msg']).removeprefix('Value error, ')}")


def _incoming(names: list[str]):
    """Incoming articles: the named files ('-' = one article on stdin), or a stream of paths on stdin."""
    import tempfile

    if not names:
        names = (line.strip() for line in sys.stdin)  # a desk tool pipes paths as they arrive
    read_stdin = False
    for name in names:
        if not name:
            continue
        if name == "-" and read_stdin:
            yield name, None  # stdin holds one article, read already
            continue
        if name == "-":
            read_stdin = True
            data = sys.stdin.buffer.read()
            head = data.lstrip()[:1]
            ext = ".json" if head in (b"{", b"[") else ".html" if head == b"<" else ".txt"
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / f"stdin{ext}"
                path.write_bytes(data)
                yield name, path
        else:
            yield name, Path(name)


@app.command()
def check(
    files: list[str] = typer.Argument(None, help="Article files; '-' reads one article from stdin; none: paths from stdin."),
    output: Path = OUTPUT_OPTION,
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help=CONFIG_HELP),
    json_out: bool = typer.Option(False, "--json", help="One JSON object per article."),
    add: bool = typer.Option(False, "--add", help="Also add the articles to the state and outputs."),
    wait: float = typer.Option(None, "--wait", min=0, show_default=False,
                               help="With --add: seconds to wait for a run on OUTPUT to finish (default 60)."),
) -> None:
    """Is each incoming article a copy, an update, a new write-up of a known story, or new?

    The articles of one call are a batch: each is also compared with those before it that the state does not hold
    (a copy of one, or another write-up of its new story, says "checked above")."""
    import json

    import polars as pl

    from newsdedup.check import HELD, REJECTED, Desk, Verdict, desk_article
    from newsdedup.ingest import linked_input, named_by_file, not_a_file, read_files
    from newsdedup.normalize import one_line
    from newsdedup.state import StateError, load_steady_state

    if not files and sys.stdin.isatty():  # it would wait for paths typed one per line
        fail("nothing to check: name article files, '-' for one on stdin, or pipe their paths (one per line)")
    settings = _settings(config)
    models = _embedders(settings)  # before the state: a missing weights file is not "no saved state"
    try:
        state, stamp = load_steady_state(output, settings, map_sentences=True)  # not tables of two saves mixed
    except StateError as exc:
        fail(str(exc))
    if state is None:
        _no_state(output, settings, "check")
    desk = Desk(state, settings, models)
    added: dict[str, dict] = {}
    shown_as: dict[str, str] = {}  # each article id printed: the input it came from, to tell a second input of that id
    pending: list[tuple[dict, str | None]] = []  # --json --add: the objects, printed once the add says which went in,
    # each with the id it is held under if it is (its own, or the one it is held as or the same as)
    n_rejected = n_given = 0

    def answer(shown: dict, line: str, under: str | None = None) -> None:  # one JSON object (every one with the same keys), or a line
        if json_out and add:
            pending.append((shown, under))
        else:
            typer.echo(json.dumps(shown, default=str) if json_out else line)
            sys.stdout.flush()

    if wait is not None and not add:
        typer.echo("newsdedup: --wait applies only with --add (checking alone takes no lock): ignored", err=True)
    for name, path in _incoming(files or []):
        n_given += 1
        if path is None:
            docs, rejects = None, [(name, "stdin was read already: '-' may be given once")]
        elif os.path.isdir(path):
            docs, rejects = None, [(name, "a folder, not an article file (give its files, or their paths on stdin)")]
        elif not os.path.isfile(path):  # a broken link, a pipe, a folder not entered: said as run says it
            shut = os.path.isdir(path.parent) and not os.access(path.parent, os.X_OK)  # listed, not entered
            why = not_a_file(path) if shut or os.path.lexists(path) else "file not found"
            docs, rejects = None, [(name, why)]
        else:
            if linked_input(path.parent, path) is not None:  # a link to a file beside it: read there (not "a link
                path = Path(os.path.realpath(path))         # to another input"); any other link as itself, by its name
            docs, found = read_files(path.parent, [path], settings.ingest)
            # a feed's items in the feed's order (read_files sorts by id): a batch compares each with those before it,
            # and the wire's original above the paper's trim is the original, the trim its copy
            docs = docs.with_columns(pl.col("path").str.extract(r":(\d+)$").cast(pl.Int64).alias("_item")).sort(
                "_item", nulls_last=False, maintain_order=True).drop("_item")
            # 'feed.rss:3' for the third item of a feed
            rejects = [(name + where[len(path.name) :], reason) for where, reason in found.iter_rows()]
        n_rejected += len(rejects)
        for shown, reason in rejects:
            answer({"path": shown, **Verdict(REJECTED, shown, None).as_dict(), "reason": reason}
                   | ({"not_added": reason, "stored": None} if add else {}), f"{one_line(shown)}: REJECTED: {reason}")
        for doc in docs.iter_rows(named=True) if docs is not None else []:
            where = name + doc["path"][len(path.name) :]  # the input as given, 'feed.rss:3' for a feed's third item
            # a second input of an id printed already ("a/story.txt", "b/story.txt") says which file it is, and one
            # named after its file is checked under the id --add gives it: another article, not a version of the first
            clash = shown_as.setdefault(doc["article_id"], where) != where
            if add or (clash and named_by_file(doc["article_id"], doc["path"])):  # checked under the id it is added with
                doc = desk_article(doc, path.name if name == "-" else name, path.name)
            verdict = desk.check(doc, batch=True)
            same_as = desk.given_as(doc)
            held = _not_added(doc, verdict, desk.docs.get(doc["article_id"]), added.get(doc["article_id"]), same_as,
                              added) if add else None
            # why it is not added: in its JSON object, or a line on stderr beside the verdict line
            under = verdict.of["article_id"] if verdict.verdict == HELD else same_as or doc["article_id"]
            line = verdict.line()
            if clash:
                line = f"{doc['article_id']} ({one_line(where)})" + line[len(doc["article_id"]) :]
            answer({"path": where, **verdict.as_dict(), "reason": None} | ({"not_added": held, "stored": None} if add else {}),
                   line, under)
            if held and not json_out:
                typer.echo(f"{doc['article_id']}: not added: {held}", err=True)
            if add and not held:
                added[doc["article_id"]] = doc
    if not n_given:  # a feed batch with no new paths: said, not an empty answer
        typer.echo("nothing checked: no paths on stdin", err=True)
    refused, error, holding = (_add_checked(output, settings, desk, stamp, added, 60.0 if wait is None else wait)
                               if add and added else ({}, None, desk.state.documents))
    if error:  # nothing went in: each article checked says so
        refused = {article_id: f"the add failed: {error}" for article_id in added}
    stored = _stored(holding, [under for _, under in pending if under is not None])
    for shown, under in pending:  # those it meant to add: did it, and where is it now?
        if shown["not_added"] is None:
            shown["not_added"] = refused.get(shown["article_id"])
        shown["stored"] = stored.get(under)
        typer.echo(json.dumps(shown, default=str))
    if not json_out:
        for article_id, why in refused.items():
            typer.echo(f"{article_id}: not added: {why}", err=True)
    if error:
        fail(error)
    if n_rejected:
        raise typer.Exit(1)  # a script sees that an input could not be checked


def _no_state(output: Path, settings: Settings, verb: str) -> None:
    """Fail: no state in output that these settings can use; say why and what to do."""
    from newsdedup.state import rebuild_reason

    why = rebuild_reason(output, settings)  # a state is there, of another version or config: say which setting
    if why is None:
        fail(f"no saved state in {output}: run `newsdedup run` first")
    fail(f"the saved state in {output} cannot be used: {why}; "
         + (f"{verb} with the config it was made with, or run `newsdedup run` with this one" if why.kind == "settings"
            else "run `newsdedup run` (it rebuilds the state once)"))


def _not_added(
    doc: dict, verdict, held: dict | None, given_before: dict | None, given_as: str | None, added: dict[str, dict]
) -> str | None:
    """Why `check --add` does not add a checked article (held: the held article of its id; given_before: the article
    of its id this call adds already; given_as: the id of the same article given earlier in this call under another
    id, as a held one under another id is not added; added: what this call adds so far), or None."""
    from newsdedup.check import HELD
    from newsdedup.schema import DESK_PLACE

    if held is not None:
        if held["text"] == doc["text"]:
            return "already held"
        if held["path"].startswith(DESK_PLACE):
            return "another version of it, added at the desk, is held (the desk adds articles, it replaces none)"
        return "another version of it is held (a run on the input it came from replaces it)"
    if verdict.verdict == HELD:  # word for word, under another id
        return f"already held as {verdict.of['article_id']}"
    if given_as is not None and given_as in added:
        return f"the same article came earlier in this call as {given_as}, and that one is added"
    if given_before is None:
        return None
    return ("it came earlier in this call, and that one is added" if given_before["text"] == doc["text"]
            else "another version of it came earlier in this call, and that one is added")


def _stored(documents, article_ids: list[str]) -> dict[str, dict]:
    """check --add --json's `stored`: where each article is held once the add is done (its copy group and story)."""
    import polars as pl

    found = documents.filter(pl.col("article_id").is_in(article_ids)).select("article_id", "syndicate_id", "story_id")
    return {row["article_id"]: row for row in found.iter_rows(named=True)}


def _add_checked(
    output: Path, settings: Settings, desk: Desk, stamp: str | None, added: dict[str, dict], wait: float
) -> tuple[dict[str, str], str | None, pl.DataFrame]:
    """check --add: the checked articles into the state and the outputs, under the run lock. The state the desk
    loaded is used only while no run or other desk saved one since (`stamp`: the token of the save it loaded); else the
    saved one is loaded and added to, so neither's articles are lost. Returns why articles were not added after all
    (by id: held by the state saved meanwhile), the error that stopped the add, if one did (nothing went in), and the
    articles held after it."""
    import polars as pl

    from newsdedup.html_report import plural
    from newsdedup.incremental import Changes, add_documents, save_run
    from newsdedup.schema import DOCUMENTS
    from newsdedup.state import StateError, load_state, saved_token
    from newsdedup.store import Busy, NotWritable, run_lock

    state = desk.state
    refused: dict[str, str] = {}
    try:
        with run_lock(output, wait):
            if saved_token(output) != stamp:
                state = load_state(output, settings, map_sentences=True)
                if state is None:
                    return {}, f"the state in {output} was rebuilt with other settings while checking: check again", desk.state.documents
                held = set(state.documents["article_id"].to_list())
                refused = {article_id: "already held" for article_id in added if article_id in held}
                added = {a: doc for a, doc in added.items() if a not in refused}
                if not added:
                    return refused, None, state.documents
            state.run += 1
            new_docs = pl.DataFrame(list(added.values()), schema=DOCUMENTS)
            add_documents(state, new_docs, settings, desk.models, Changes(added=new_docs.height))
            summary = save_run(output, state)
    except (Busy, NotWritable, StateError) as exc:
        return {}, str(exc), desk.state.documents
    typer.echo(f"added {plural(new_docs.height, 'article')}: {summary.line()}", err=True)
    return refused, None, state.documents


@app.command()
def remove(
    ids: list[str] = typer.Argument(..., help="Ids of articles to remove (as `check` and the articles table show them)."),
    output: Path = OUTPUT_OPTION,
    config: Path = typer.Option(DEFAULT_CONFIG, "--config", "-c", help=CONFIG_HELP),
    wait: float = typer.Option(60.0, "--wait", min=0, help="Seconds to wait for a run on OUTPUT to finish."),
    json_out: bool = typer.Option(False, "--json", help="One JSON object per id (article_id, removed, reason); the "
                                  "summary goes to stderr."),
) -> None:
    """Remove articles no input holds (added by `check --add`, or kept after leaving their feed) from the state and
    the outputs; their stories are resolved again. An input's article goes when it goes from the input."""
    import json

    from newsdedup.html_report import plural
    from newsdedup.incremental import remove_articles, save_run
    from newsdedup.normalize import one_line
    from newsdedup.state import StateError, load_state
    from newsdedup.store import Busy, NotWritable, run_lock

    settings = _settings(config)
    models = _embedders(settings)
    try:
        with run_lock(output, wait):
            state = load_state(output, settings, map_sentences=True)
            if state is None:
                _no_state(output, settings, "remove")
            state.run += 1
            changes, refused = remove_articles(state, ids, settings, models)
            if changes.removed:
                summary = changes.summary(save_run(output, state))
    except (Busy, NotWritable, StateError) as exc:
        fail(str(exc))
    for article_id in ids if json_out else []:  # once saved, an object per id as given (a script zips them)
        typer.echo(json.dumps({"article_id": article_id, "removed": article_id not in refused,
                               "reason": refused.get(article_id)}))
    for article_id, why in refused.items() if not json_out else []:
        typer.echo(f"{one_line(article_id)}: not removed: {why}", err=True)
    if changes.removed:
        typer.echo(f"removed {plural(changes.removed, 'article')}: {summary.line()}", err=json_out)
    if refused:
        raise typer.Exit(1)  # a script sees that an id was left


def main() -> None:
    """Entry point for `python -m newsdedup`."""
    app(prog_name="newsdedup")


if __name__ == "__main__":
    sys.exit(main())
