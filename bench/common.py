"""What every benchmark script needs: offline model loading, the command line it was run with, the config, memory readings."""

from __future__ import annotations

import json
import os
import resource
import shlex
import sys
from pathlib import Path


def offline() -> None:
    """Nothing is downloaded: the model is the packaged one, and its tokenizer stays on one thread."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def command_line(script: str, argv: list[str] | None) -> str:
    """The command as typed (argv None) or as called from Python with explicit arguments."""
    return shlex.join([sys.executable, *sys.argv]) if argv is None else shlex.join([script, *argv])


def load_settings(label: str, path):
    """The config, or None after one line on stderr naming what is wrong with it."""
    from newsdedup.config import ConfigError, load_config

    try:
        return load_config(path)
    except ConfigError as exc:
        print(f"{label}: {exc}", file=sys.stderr)
        return None


def peak_rss_mb() -> float:
    """Process peak resident set size so far, in MB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def rss_now_mb(unknown: float | None = None) -> float | None:
    """Current resident set size in MB (Linux only; `unknown` elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return unknown


def basil_resolution(settings, basil: Path, tmp: Path):
    """ingest -> copies -> stories -> facts on basil_story (``basil``: its folder under ../shared/eval), the input
    written to ``tmp`` with the fields an outlet's feed would give. Returns the documents and the facts stage's
    Resolution (each story's most complete version, its added facts and conflicting figures)."""
    from newsdedup.embed import embedders
    from newsdedup.facts import resolve_stories
    from newsdedup.ingest import read_inputs
    from newsdedup.stories import assign_stories
    from newsdedup.syndication import find_syndicates

    folder = tmp / "basil"
    folder.mkdir(parents=True)
    with open(basil / "articles.jsonl", encoding="utf-8") as src, \
            open(folder / "articles.jsonl", "w", encoding="utf-8") as dst:
        for line in src:
            if line.strip():
                rec = json.loads(line)
                dst.write(json.dumps({k: rec.get(k) for k in ("id", "title", "text", "source", "published", "url")}) + "\n")
    documents, _ = read_inputs(folder, settings.ingest)
    documents, _ = find_syndicates(documents, settings.syndication)
    models = embedders(settings)
    documents = assign_stories(documents, models.stories, settings.stories)
    return documents, resolve_stories(documents, models.facts, settings.facts)


def basil_start(label: str, script: str, argv: list[str] | None, labels: Path, config: Path, basil: Path):
    """The opening of a benchmark on basil_story with a labels file: print the command and the labels, then the
    config's settings; None (after one line on stderr) when basil_story is absent or the config is wrong."""
    command = command_line(script, argv)
    print(f"command: {command}")
    print(f"labels: {labels}")
    if not basil.is_dir():
        print(f"{label}: ../shared/eval/basil_story ({basil}) is absent; nothing measured", file=sys.stderr)
        return None
    settings = load_settings(label, config)
    return None if settings is None else (command, settings)
