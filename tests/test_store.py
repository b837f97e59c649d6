"""Atomic output writes: all files appear together, and a failure leaves the previous outputs intact."""

from __future__ import annotations

import polars as pl
import pytest

from newsdedup.store import read_table, write_outputs


def test_writes_tables_and_texts(tmp_path):
    written = write_outputs(tmp_path, {"t": pl.DataFrame({"a": [1, 2]})}, {"report.md": "# hi\n"})
    assert sorted(p.name for p in written) == ["report.md", "t.parquet"]
    assert read_table(tmp_path, "t")["a"].to_list() == [1, 2]
    assert (tmp_path / "report.md").read_text() == "# hi\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_failed_write_leaves_the_previous_outputs(tmp_path):
    write_outputs(tmp_path, {"t": pl.DataFrame({"a": [1]})}, {"report.md": "old"})

    class Broken(pl.DataFrame):
        def write_parquet(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError):
        write_outputs(tmp_path, {"t": pl.DataFrame({"a": [2]}), "u": Broken({"a": [3]})}, {"report.md": "new"})
    assert read_table(tmp_path, "t")["a"].to_list() == [1]
    assert (tmp_path / "report.md").read_text() == "old"
    assert not (tmp_path / "u.parquet").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
