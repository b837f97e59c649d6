"""What every benchmark script needs: offline model loading, the command line it was run with, the config, memory readings."""

from __future__ import annotations

import os
import resource
import shlex
import sys


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
