"""The command line: bad arguments and configs end in one clear line; a run prints its summary."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
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
    assert "5 articles, 0 copy groups (0 copies), 1 stories, " in result.stdout
    assert f"report: {out / 'report.md'}" in result.stdout
    assert (out / "report.md").is_file()


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


def test_evaluate_facts_prints_json(tmp_path):
    import json

    sentences = tmp_path / "s.jsonl"
    sentences.write_text(
        "\n".join(
            json.dumps({"id": i, "text": t})
            for i, t in [
                ("a", "At least 145 people died in the attacks on Saturday."),
                ("b", "At least 145 people were killed in Saturday's attacks."),
                ("c", "At least 120 people died in the attacks on Saturday."),
                ("d", "The central bank kept interest rates unchanged."),
            ]
        ),
        encoding="utf-8",
    )
    pairs = tmp_path / "p.csv"
    pairs.write_text("id1,id2,label\na,b,1\na,c,0\na,d,0\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate-facts", "--sentences", str(sentences), "--pairs", str(pairs), "--json", "--config", str(CONFIG)])
    assert result.exit_code == 0, result.output
    score = json.loads(result.output.strip().splitlines()[-1])
    assert set(score) == {"accuracy", "precision", "recall", "f1"}
    assert score["accuracy"] == 1.0


def test_evaluate_needs_a_usable_labels_file(tmp_path):
    labels = tmp_path / "labels.csv"
    labels.write_text("name,cluster\nx,1\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--input", str(SEEDS), "--labels", str(labels)])
    assert result.exit_code == 2
    assert "need an `id` column" in result.output
