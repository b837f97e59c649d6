"""The command line: bad arguments and configs end in one clear line; a run prints its summary."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import SEEDS
from newsdedup.config import DEFAULT_CONFIG as CONFIG
from newsdedup.cli import app

runner = CliRunner()


def test_missing_input_folder_is_one_line(tmp_path):
    result = runner.invoke(app, ["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "input folder not found" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_bad_config_is_one_line(tmp_path):
    config = tmp_path / "bad.toml"
    config.write_text("[syndication]\nmin_jaccard = 1.5\n", encoding="utf-8")
    result = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(tmp_path / "o"), "--config", str(config)])
    assert result.exit_code == 2
    assert "syndication.min_jaccard" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_an_output_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "afile").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(tmp_path / "afile")])
    assert result.exit_code == 2
    assert result.output.strip() == f"newsdedup: output is not a folder: {tmp_path / 'afile'}"


def test_a_busy_output_folder_is_one_line_before_prefect_starts(tmp_path):
    """Another run holds the folder: one line and exit 2 at once, not a flow run failing with a traceback."""
    import time

    from newsdedup.store import run_lock

    out = tmp_path / "out"
    started = time.monotonic()
    with run_lock(out):
        result = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(out), "--full"])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "is in use by another run (pid" in result.output
    assert time.monotonic() - started < 10  # no Prefect server was started


@pytest.mark.parametrize(("line", "key"), [('cron = "61 * * * *"', "schedule.cron"), ('cron = "*/10 * * *"', "schedule.cron")])
def test_serve_with_a_cron_prefect_cannot_read_is_one_line(tmp_path, monkeypatch, line, key):
    config = tmp_path / "bad.toml"
    config.write_text(f"[schedule]\n{line}\n", encoding="utf-8")
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")  # never reached: the check comes first
    result = runner.invoke(app, ["serve", "--config", str(config)])
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1 and key in result.output, result.output
    assert result.output.startswith(f"newsdedup: {config}: schedule.cron: "), result.output  # which file to fix


@pytest.mark.parametrize("command", ["serve", "run"])
def test_a_prefect_server_that_does_not_answer_is_one_line(tmp_path, monkeypatch, command):
    monkeypatch.setenv("PREFECT_API_URL", f"http://127.0.0.1:{_closed_port()}/api")  # not started yet, or a typo
    args = ["run", "--input", str(SEEDS), "--output", str(tmp_path / "out")] if command == "run" else ["serve"]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [result.output.strip()] and "no Prefect server answers at" in result.output


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again when the test connects


def test_run_prints_summary_and_report_path(tmp_path):
    """The installed command, in its own process, on its own temporary Prefect server."""
    shutil.copytree(SEEDS, tmp_path / "in")
    out = tmp_path / "out"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": ""}
    result = subprocess.run(
        [sys.executable, "-m", "newsdedup", "run", "--input", str(tmp_path / "in"), "--output", str(out), "--config", str(CONFIG)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert (
        "5 articles, 0 copy groups (0 copies), 1 story, 38 added facts, 1 conflicting figure (4 more worded differently), "
        "0 rejects; this run: 5 new, 0 removed articles, 0 story merges" in result.stdout
    )
    assert "this run: 5 new" in result.stdout
    assert f"report: {out / 'report.md'}" in result.stdout
    assert (out / "report.md").is_file() and (out / "report.html").is_file()
    again = subprocess.run(
        [sys.executable, "-m", "newsdedup", "run", "--input", str(tmp_path / "in"), "--output", str(out), "--config", str(CONFIG)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert again.returncode == 0 and "nothing new" in again.stdout
    # an output deleted since is written again, though the input has not changed
    (out / "report.html").unlink()
    (out / "facts.parquet").unlink()
    third = subprocess.run(
        [sys.executable, "-m", "newsdedup", "run", "--input", str(tmp_path / "in"), "--output", str(out), "--config", str(CONFIG)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert third.returncode == 0, third.stderr[-2000:]
    assert "facts.parquet, report.html missing" in third.stdout and "38 added facts" in third.stdout
    assert (out / "report.html").is_file() and (out / "facts.parquet").is_file()
    # outputs written by another version of newsdedup are written again by this one (a report's layout changed)
    meta = out / "state" / "meta.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text(encoding="utf-8")), "code": "an older newsdedup"}), encoding="utf-8")
    (out / "report.md").write_text("an older layout\n", encoding="utf-8")
    fourth = subprocess.run(
        [sys.executable, "-m", "newsdedup", "run", "--input", str(tmp_path / "in"), "--output", str(out), "--config", str(CONFIG)],
        capture_output=True, text=True, env=env, timeout=600,
    )
    assert fourth.returncode == 0, fourth.stderr[-2000:]
    assert "written by another version of newsdedup: writing the outputs again" in fourth.stdout
    assert (out / "report.md").read_text(encoding="utf-8").startswith("# newsdedup report")


def test_evaluate_scores_both_levels(tmp_path):
    import json

    labels = tmp_path / "labels.csv"
    ids = sorted(p.stem for p in SEEDS.iterdir())
    labels.write_text("id,syndicate_id,story_id\n" + "".join(f"{i},{i},balochistan\n" for i in ids), encoding="utf-8")
    out = tmp_path / "scores.json"
    result = runner.invoke(app, ["evaluate", "--input", str(SEEDS), "--labels", str(labels), "--config", str(CONFIG), "--json", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads(out.read_text())
    assert scores["copies"]["ari"] == 1.0 and scores["copies"]["n_pred_clusters"] == 5
    assert scores["stories"]["bcubed"]["f1"] == 1.0


def _fact_files(tmp_path, texts: dict[str, str], pairs_csv: str) -> tuple[Path, Path]:
    """The sentences (JSONL) and labelled pairs (CSV) that evaluate-facts reads."""
    import json

    sentences, pairs = tmp_path / "s.jsonl", tmp_path / "p.csv"
    sentences.write_text("\n".join(json.dumps({"id": i, "text": t}) for i, t in texts.items()), encoding="utf-8")
    pairs.write_text(pairs_csv, encoding="utf-8")
    return sentences, pairs


def test_evaluate_facts_prints_json(tmp_path):
    import json

    sentences, pairs = _fact_files(tmp_path, {
        "a": "At least 145 people died in the attacks on Saturday.",
        "b": "At least 145 people were killed in Saturday's attacks.",
        "c": "At least 120 people died in the attacks on Saturday.",
        "d": "The central bank kept interest rates unchanged.",
    }, "id1,id2,label\na,b,1\na,c,0\na,d,0\n")
    result = runner.invoke(app, ["evaluate-facts", "--sentences", str(sentences), "--pairs", str(pairs), "--json", "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    score = json.loads(result.output.strip().splitlines()[-1])
    assert set(score) == {"accuracy", "precision", "recall", "f1"}
    assert score["accuracy"] == 1.0


def test_evaluate_facts_says_what_the_checks_cost_even_when_nothing(tmp_path):
    sentences, pairs = _fact_files(tmp_path, {
        "a": "At least 145 people died in the attacks on Saturday.",
        "b": "At least 145 people were killed in Saturday's attacks.",
    }, "id1,id2,label\na,b,1\n")
    result = runner.invoke(app, ["evaluate-facts", "--sentences", str(sentences), "--pairs", str(pairs), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "labelled the same fact: 1; kept apart by the figure and shared-words checks whatever their similarity: 0 "
        "(0 state different figures, 0 share too few words), so recall is at most 1.0000; on the pairs both checks "
        "allow (1): precision 1.0000, recall 1.0000, F1 1.0000"
    )


def test_evaluate_facts_shows_the_worst_wrong_decisions_and_why(tmp_path):
    # a/b labelled the same (a loose label, as MSRP's can be): the figure check keeps them apart; a/c labelled
    # different although they say the same; a/d right
    sentences, pairs = _fact_files(tmp_path, {
        "a": "At least 145 people died in the attacks on Saturday.",
        "b": "At least 120 people died in the attacks on Saturday.",
        "c": "At least 145 people were killed in Saturday's attacks.",
        "d": "The central bank kept interest rates unchanged.",
    }, "id1,id2,label\na,b,1\na,c,0\na,d,0\n")
    result = runner.invoke(app, ["evaluate-facts", "--sentences", str(sentences), "--pairs", str(pairs), "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("3 pairs: accuracy 0.3333")
    # what the checks cost: the one pair labelled the same is one the figure check keeps apart
    assert lines[1] == (
        "labelled the same fact: 1; kept apart by the figure and shared-words checks whatever their similarity: 1 "
        "(1 state different figures, 0 share too few words), so recall is at most 0.0000; on the pairs both checks "
        "allow (1): precision 0.0000, recall 0.0000, F1 0.0000"
    )
    assert lines[2] == "worst said to be the same fact, labelled different:"
    assert lines[3].startswith("  a / c: cosine 0.") and ">= 0.72" in lines[3]
    assert lines[6] == "worst labelled the same fact, kept apart:"
    assert lines[7] == "  a / b: each states a number the other lacks (145 / 120)"
    assert lines[8].strip() == "At least 145 people died in the attacks on Saturday."


def test_evaluate_needs_a_usable_labels_file(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("name,cluster\nx,1\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--input", str(SEEDS), "--labels", str(labels)])
    assert result.exit_code == 2
    assert "need an `id` column" in result.output


def test_evaluate_and_tune_refuse_labels_naming_no_article_and_unwritable_outputs_before_any_work(tmp_path):
    """A walk-through's finding: labels whose ids name no article (ids written with '.txt') gave a table of perfect
    scores over 0 articles, and `tune` an IndexError; a --json or --out that cannot be written failed with a
    traceback after the whole run."""
    labels = tmp_path / "labels.csv"
    ids = sorted(p.name for p in SEEDS.iterdir())  # 'x.txt', not the article id 'x'
    labels.write_text("id,story_id\n" + "".join(f"{i},s\n" for i in ids), encoding="utf-8")
    for command in (["evaluate"], ["tune", "--out", str(tmp_path / "t.toml")]):
        result = runner.invoke(app, [*command, "--input", str(SEEDS), "--labels", str(labels), "--config", str(CONFIG)])
        assert result.exit_code == 2, result.output
        assert f"none of the 5 ids in {labels} (such as '{ids[0]}') is an article of {SEEDS} (such as '{Path(ids[0]).stem}'" in result.output
    good = tmp_path / "good.csv"
    good.write_text("id,story_id\n" + "".join(f"{Path(i).stem},s\n" for i in ids), encoding="utf-8")
    for command in (["evaluate", "--json", str(labels / "x.json")], ["evaluate", "--json", str(tmp_path)]):
        result = runner.invoke(app, [*command, "--input", str(SEEDS), "--labels", str(good), "--config", str(CONFIG)])
        assert result.exit_code == 2 and "--json" in result.output and "Traceback" not in result.output, result.output
    result = runner.invoke(app, ["tune", "--input", str(SEEDS), "--labels", str(good), "--fact-pairs", str(good)])
    assert result.exit_code == 2 and "--fact-sentences and --fact-pairs go together" in result.output


def test_evaluate_facts_says_what_is_wrong_with_a_pairs_file(tmp_path):
    texts = {"a": "At least 145 people died.", "b": "At least 145 people were killed."}
    for csv, said in (("left,right,label\na,b,1\n", "needs the columns id1, id2 and label"),
                      ("id1,id2,label\na,b,yes\n", "a label is 1 (same fact) or 0 (not), not 'yes' (a / b)"),
                      ("id1,id2,label\na,b,1\nb,a,\n", "a label is 1 (same fact) or 0 (not), not empty (b / a)")):
        sentences, pairs = _fact_files(tmp_path, texts, csv)
        result = runner.invoke(app, ["evaluate-facts", "--sentences", str(sentences), "--pairs", str(pairs), "--config", str(CONFIG)])
        assert result.exit_code == 2 and said in result.output and "Traceback" not in result.output, result.output


def test_labels_with_a_cluster_id_column_are_story_labels(tmp_path):
    """The labelled story sets give `id,cluster_id`: evaluate and tune read them as story labels."""
    from newsdedup.cli import _read_labels

    labels = tmp_path / "labels.csv"
    labels.write_text("id,cluster_id\nx,1\ny,1\n", encoding="utf-8")
    assert _read_labels(labels).columns == ["id", "story_id"]
    labels.write_text("id,story_id,cluster_id\nx,1,2\n", encoding="utf-8")  # a story_id given wins
    assert _read_labels(labels)["story_id"].to_list() == ["1"]


@pytest.fixture(scope="module")
def results(tmp_path_factory, real_embedder, real_models):
    """An output folder made by the library stages on the seeds plus one unusable file."""
    from newsdedup.config import load_config
    from newsdedup.facts import resolve_stories
    from newsdedup.ingest import read_inputs
    from newsdedup.report import build_outputs
    from newsdedup.stories import assign_stories
    from newsdedup.store import write_outputs
    from newsdedup.syndication import find_syndicates

    root = tmp_path_factory.mktemp("views")
    shutil.copytree(SEEDS, root / "in")
    (root / "in" / "empty.txt").write_bytes(b"")
    settings = load_config(CONFIG)
    docs, rejects = read_inputs(root / "in", settings.ingest)
    docs, pairs = find_syndicates(docs, settings.syndication)
    docs = assign_stories(docs, real_embedder, settings.stories)
    tables, texts, _ = build_outputs(docs, resolve_stories(docs, real_models.facts, settings.facts), rejects, pairs)
    write_outputs(root / "out", tables, texts)
    return root / "out"


def test_stories_view_lists_the_story(results):
    import polars as pl

    story_id = pl.read_parquet(results / "stories.parquet")["story_id"][0]
    result = runner.invoke(app, ["stories", "--output", str(results)])
    assert result.exit_code == 0, result.output
    assert "1 story in" in result.output
    # piped, a story is one line with its whole id, its counts and the start of its title
    line = next(line for line in result.output.splitlines() if story_id in line)
    assert "Pakistan military responds to Baloch rebel" in line and "2026-02-01" in line  # a real headline
    assert "conflicts" in result.output and line.rstrip().endswith(" 1")  # its one conflicting figure
    # five seeds, no copies: five versions (distinct texts), not "5 groups" beside the summary's "0 copy groups"
    assert "versions" in result.output and "groups" not in result.output and re.search(r" 5 +5 ", line)


def test_stories_view_dates_a_story_as_its_sources_did(results, tmp_path):
    """Articles of a New York evening (Monday 02:00 in UTC) make a story of that Sunday."""
    import shutil
    from datetime import datetime, timedelta, timezone

    import polars as pl

    out = tmp_path / "out"
    shutil.copytree(results, out)
    articles = pl.read_parquet(out / "articles.parquet").with_columns(
        published=pl.lit(datetime(2026, 2, 2, 2, 0, tzinfo=timezone.utc)), utc_offset=pl.lit(timedelta(hours=-5))
    )
    articles.write_parquet(out / "articles.parquet")
    result = runner.invoke(app, ["stories", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "2026-02-01" in result.output and "2026-02-02" not in result.output
    later = pl.when(pl.col("article_id") == articles["article_id"][0]).then(pl.lit(datetime(2027, 3, 4, 12, tzinfo=timezone.utc)))
    articles.with_columns(published=later.otherwise(pl.col("published"))).write_parquet(out / "articles.parquet")
    result = runner.invoke(app, ["stories", "--output", str(out)])
    assert "2026-02-01..2027-03-04" in result.output  # a span across years gives the whole last date


def test_stories_view_says_unknown_for_a_story_whose_sources_are_not_known(results, tmp_path):
    """An editor's walk-through: `stories` said "-" where `show` and the reports say "unknown"."""
    import shutil

    import polars as pl

    out = tmp_path / "out"
    shutil.copytree(results, out)
    stories = pl.read_parquet(out / "stories.parquet")
    stories.with_columns(sources=pl.lit([], dtype=stories.schema["sources"])).write_parquet(out / "stories.parquet")
    result = runner.invoke(app, ["stories", "--output", str(out)], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if stories["story_id"][0] in line)
    assert " unknown " in line and " - " not in line


def test_show_view_prints_one_story_by_prefix(results):
    import polars as pl

    story_id = pl.read_parquet(results / "stories.parquet")["story_id"][0]
    result = runner.invoke(app, ["show", story_id[:10], "--output", str(results)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for expected in ("Most complete version", "001_72621f2fa7bf588d", "Conflicting figures", "Shahid Rind"):
        assert expected in result.output
    missing = runner.invoke(app, ["show", "story_nope", "--output", str(results)])
    assert missing.exit_code == 2 and "no story, article or copy group 'story_nope'" in missing.output
    # an article's id shows the story holding it (a walk-through's finding: "no story matching")
    by_article = runner.invoke(app, ["show", "001_72621f2fa7bf588d", "--output", str(results)], env={"COLUMNS": "200"})
    assert by_article.exit_code == 0 and "Most complete version" in by_article.output
    bare = runner.invoke(app, ["show", story_id.removeprefix("story_"), "--output", str(results)], env={"COLUMNS": "200"})
    assert bare.exit_code == 0 and "Most complete version" in bare.output, bare.output  # the hex part alone


def test_stories_view_says_when_limit_leaves_stories_out_and_show_names_an_ambiguous_prefix(results, tmp_path):
    """A walk-through's finding: `stories -n 1` was titled "2 stories" over one row; `show story_` said "2 stories
    matching" without naming them."""
    import shutil

    import polars as pl

    out = tmp_path / "out"
    shutil.copytree(results, out)
    stories = pl.read_parquet(out / "stories.parquet")
    stories = pl.concat([stories, stories.with_columns(story_id=pl.lit("story_000000000000"))])
    stories.write_parquet(out / "stories.parquet")
    result = runner.invoke(app, ["stories", "-n", "1", "--output", str(out)])
    assert result.exit_code == 0 and "1 of 2 stories in" in result.output and "more with --limit" in result.output
    result = runner.invoke(app, ["show", "story_", "--output", str(out)])
    assert result.exit_code == 2 and "2 stories match 'story_'" in result.output and "story_000000000000" in result.output


def test_help_takes_h_and_every_config_option_says_what_it_is():
    assert runner.invoke(app, ["-h"]).exit_code == 0
    for command in ("run", "check", "remove", "evaluate", "evaluate-facts", "serve"):
        result = runner.invoke(app, [command, "-h"], env={"COLUMNS": "200"})
        assert result.exit_code == 0 and "TOML config file" in result.output, command


def test_a_config_that_is_a_folder_and_a_serve_without_its_input_are_one_line(tmp_path, monkeypatch):
    result = runner.invoke(app, ["run", "--input", str(SEEDS), "--output", str(tmp_path / "o"), "--config", str(tmp_path)])
    assert result.exit_code == 2 and f"config is a folder, not a file: {tmp_path}" in result.output
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    (tmp_path / "afile").write_text("", encoding="utf-8")
    result = runner.invoke(app, ["serve", "--input", str(tmp_path / "afile"), "--output", str(tmp_path / "o")])
    assert result.exit_code == 2 and "input is a file, not a folder" in result.output  # before asking for the server
    # a folder not there yet (a share mounted later) is a warning: the server is asked for next (none answers here)
    result = runner.invoke(app, ["serve", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "o")])
    assert "warning: input folder not found" in result.output and "no Prefect server answers" in result.output


def test_rejects_view_gives_file_and_reason(results, tmp_path_factory):
    import polars as pl

    result = runner.invoke(app, ["rejects", "--output", str(results)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "empty.txt" in result.output and "empty file" in result.output
    none = tmp_path_factory.mktemp("no_rejects")
    shutil.copytree(results, none, dirs_exist_ok=True)
    pl.read_parquet(results / "rejects.parquet").clear().write_parquet(none / "rejects.parquet")
    quiet = runner.invoke(app, ["rejects", "--output", str(none)], env={"COLUMNS": "80"})
    assert quiet.exit_code == 0 and quiet.output == f"no rejected inputs in {none}\n"


def test_views_print_brackets_in_the_data_as_they_are(results, tmp_path):
    """"[/t]" in a title crashed `stories` and `rejects` (rich read it as markup); "[video]" vanished from a title."""
    import polars as pl

    out = tmp_path / "out"
    shutil.copytree(results, out)
    stories = pl.read_parquet(out / "stories.parquet")
    stories.with_columns(title=pl.lit("Police say [video] shows [/t] the attack")).write_parquet(out / "stories.parquet")
    rejects = pl.read_parquet(out / "rejects.parquet")
    rejects.with_columns(path=pl.lit("[draft] story [/id].txt")).write_parquet(out / "rejects.parquet")
    listed = runner.invoke(app, ["stories", "--output", str(out)], env={"COLUMNS": "200"})
    assert listed.exit_code == 0, listed.output
    assert "Police say [video] shows [/t] the attack" in listed.output
    rejected = runner.invoke(app, ["rejects", "--output", str(out)], env={"COLUMNS": "200"})
    assert rejected.exit_code == 0, rejected.output
    assert "[draft] story [/id].txt" in rejected.output


def test_rejects_view_prints_a_file_name_with_a_line_break_on_one_line(results, tmp_path):
    import polars as pl

    out = tmp_path / "out"
    shutil.copytree(results, out)
    rejects = pl.read_parquet(out / "rejects.parquet")
    rejects.with_columns(path=pl.lit("bad\nname.json")).write_parquet(out / "rejects.parquet")
    rejected = runner.invoke(app, ["rejects", "--output", str(out)], env={"COLUMNS": "200"})
    assert rejected.exit_code == 0, rejected.output
    assert "bad name.json" in rejected.output


def test_views_on_a_folder_without_results_are_one_line(tmp_path):
    result = runner.invoke(app, ["stories", "--output", str(tmp_path)])
    assert result.exit_code == 2 and "run `newsdedup run` first" in result.output


def test_views_on_results_of_an_older_version_are_one_line(results, tmp_path):
    import polars as pl

    old = tmp_path / "old"
    shutil.copytree(results, old)
    conflicts = pl.read_parquet(old / "conflicts.parquet").drop("numbers_differ")
    conflicts.write_parquet(old / "conflicts.parquet")
    story_id = pl.read_parquet(old / "stories.parquet")["story_id"][0]
    result = runner.invoke(app, ["show", story_id, "--output", str(old)])
    assert result.exit_code == 2 and "'numbers_differ' (written by an older newsdedup)" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_missing_facts_weights_stop_every_command_in_one_line(tmp_path):
    """facts.weights naming no file: run, check and evaluate-facts stop before any work, with one line."""
    bad = tmp_path / "bad.toml"
    bad.write_text(CONFIG.read_text(encoding="utf-8").replace('weights = ""', 'weights = "nope"'), encoding="utf-8")
    sentences, pairs = _fact_files(tmp_path, {"a": "One two three.", "b": "One two three."}, "id1,id2,label\na,b,1\n")
    for args in (["run", "--input", str(SEEDS), "--output", str(tmp_path / "out")],
                 ["check", "--output", str(tmp_path / "out")],
                 ["evaluate-facts", "--sentences", str(sentences), "--pairs", str(pairs)]):
        result = runner.invoke(app, [*args, "--config", str(bad)])
        assert result.exit_code == 2, (args, result.output)
        assert "no weights called 'nope'" in result.output and len(result.output.strip().splitlines()) == 1, result.output
        assert not (tmp_path / "out").exists()


def test_outputs_of_unreadable_state_meta_are_written_again(tmp_path):
    from newsdedup.state import CODE_FINGERPRINT, written_by_other_code

    meta = tmp_path / "state" / "meta.json"
    assert not written_by_other_code(tmp_path)  # no state: a first run, not a rewrite
    meta.parent.mkdir()
    meta.write_text(json.dumps({"code": CODE_FINGERPRINT}), encoding="utf-8")
    assert not written_by_other_code(tmp_path)
    meta.write_text("{not json", encoding="utf-8")
    assert written_by_other_code(tmp_path)
