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
    assert "5 articles, 0 copy groups (0 copies), 1 stories" in result.stdout
    assert f"report: {out / 'report.md'}" in result.stdout
    assert (out / "report.md").is_file()
