"""Atomic writes of the output folder: every file is written aside, then moved into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import polars as pl


def write_outputs(out_dir: str | Path, tables: dict[str, pl.DataFrame], texts: dict[str, str]) -> list[Path]:
    """Write tables as Parquet and texts as UTF-8; nothing in out_dir changes until all are written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        staged: list[tuple[Path, Path]] = []
        for name, df in tables.items():
            path = staging / f"{name}.parquet"
            df.write_parquet(path)
            staged.append((path, out / path.name))
        for name, text in texts.items():
            path = staging / name
            path.write_text(text, encoding="utf-8")
            staged.append((path, out / name))
        for path, _ in staged:
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        for path, target in staged:
            os.replace(path, target)  # atomic on one filesystem
        return [target for _, target in staged]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_table(out_dir: str | Path, name: str) -> pl.DataFrame:
    """Read one output table by name ('articles', 'stories', 'facts', 'rejects')."""
    return pl.read_parquet(Path(out_dir) / f"{name}.parquet")
