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


def test_a_second_run_on_the_same_folder_stops_with_a_clear_message(tmp_path):
    from newsdedup.store import Busy, run_lock

    with run_lock(tmp_path):
        with pytest.raises(Busy, match="in use by another run .pid"):
            with run_lock(tmp_path):
                pass
    with run_lock(tmp_path):  # free again once the first has finished
        pass


def test_a_waiting_run_goes_ahead_when_the_first_finishes(tmp_path):
    import threading
    import time

    from newsdedup.store import run_lock

    order = []

    def first():
        with run_lock(tmp_path):
            order.append("first")
            time.sleep(0.6)

    thread = threading.Thread(target=first)
    thread.start()
    time.sleep(0.2)
    with run_lock(tmp_path, wait_seconds=5):
        order.append("second")
    thread.join()
    assert order == ["first", "second"]


def test_an_output_folder_that_cannot_be_written_is_said_before_the_run_and_frees_the_lock(tmp_path, monkeypatch):
    """The lock file opens (it is there already), but nothing new can be made beside it: say so before the run's work."""
    import tempfile

    from newsdedup.store import NotWritable, run_lock, wait_until_free

    out = tmp_path / "out"
    wait_until_free(out)  # makes the folder and its lock file

    def refused(*args, **kwargs):
        raise PermissionError(1, "Operation not permitted")

    with monkeypatch.context() as patched:
        patched.setattr(tempfile, "mkstemp", refused)
        with pytest.raises(NotWritable, match=r"cannot write to .*out: Operation not permitted"):
            wait_until_free(out)
        with pytest.raises(NotWritable):
            with run_lock(out):
                pass
    with run_lock(out):  # the lock was let go
        pass


def test_story_pages_are_written_when_changed_and_removed_when_gone(tmp_path):
    out = tmp_path / "out"
    write_outputs(out, {}, {"report.html": "index", "stories/story-a.html": "A", "stories/story-b.html": "B"})
    a, b = out / "stories" / "story-a.html", out / "stories" / "story-b.html"
    (out / "stories" / "notes.html").write_text("an editor's own file", encoding="utf-8")
    a_inode = a.stat().st_ino
    write_outputs(out, {}, {"report.html": "index 2", "stories/story-a.html": "A", "stories/story-c.html": "C"})
    assert a.stat().st_ino == a_inode  # unchanged: not written again
    assert not b.exists() and (out / "stories" / "story-c.html").read_text(encoding="utf-8") == "C"
    write_outputs(out, {}, {"report.html": "index 3", "stories/story-a.html": "A, updated"})
    assert a.read_text(encoding="utf-8") == "A, updated" and a.stat().st_ino != a_inode
    write_outputs(out, {}, {"report.md": "no report.html this time"})  # pages stay: report.html was not written
    assert a.exists()
    write_outputs(out, {}, {"report.html": "one page again"})
    assert [p.name for p in (out / "stories").iterdir()] == ["notes.html"]  # only the report's own pages go


def test_a_linked_story_folder_is_never_written_through(tmp_path):
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "story-x.html").write_text("not ours", encoding="utf-8")
    out.mkdir()
    (out / "stories").symlink_to(elsewhere)
    write_outputs(out, {}, {"report.html": "index", "stories/story-a.html": "A"})
    assert not (out / "stories").is_symlink() and (out / "stories" / "story-a.html").read_text(encoding="utf-8") == "A"
    assert [p.name for p in elsewhere.iterdir()] == ["story-x.html"]


def test_the_outputs_record_the_run_they_come_from_once_all_are_in_place_and_a_killed_writers_staging_goes(tmp_path):
    from newsdedup.store import WRITTEN, written_token

    out = tmp_path / "out"
    write_outputs(out, {"t": pl.DataFrame({"a": [1]})}, {"report.md": "one"}, token="3")
    assert written_token(out) == "3"
    (out / ".staging-killed").mkdir()  # a writer killed while staging
    (out / ".staging-killed" / "t.parquet").write_bytes(b"half")

    class Broken(pl.DataFrame):
        def write_parquet(self, *args, **kwargs):
            raise OSError("disk full")

    with pytest.raises(OSError):
        write_outputs(out, {"t": Broken({"a": [2]})}, {"report.md": "two"}, token="4")
    assert written_token(out) == "3" and not (out / ".staging-killed").exists()  # nothing replaced: still the first save's
    (out / WRITTEN).unlink()  # as a writer killed while replacing leaves it
    assert written_token(out) is None


def test_errors_writing_the_results_are_one_line(tmp_path):
    """A full disk, a folder that cannot be renamed: NotWritable naming why; any other error keeps its traceback."""
    import errno

    from newsdedup.store import NotWritable, writing

    with pytest.raises(NotWritable, match=r"could not write the results to .*: the disk is full; the results saved before"):
        with writing(tmp_path):
            raise OSError(errno.ENOSPC, "No space left on device")
    with pytest.raises(NotWritable, match=r": the disk is full"):
        with writing(tmp_path):
            raise pl.exceptions.ComputeError("failed to write: No space left on device (os error 28)")
    with pytest.raises(NotWritable, match=r": Operation not permitted \(state\); "):
        with writing(tmp_path):
            raise PermissionError(errno.EPERM, "Operation not permitted", str(tmp_path / "state"))
    with pytest.raises(pl.exceptions.SchemaError):
        with writing(tmp_path):
            raise pl.exceptions.SchemaError("a bug, not the disk")
