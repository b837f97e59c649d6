"""Atomic writes of the output folder: every file is written aside, then moved into place."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import polars as pl


PAGES = "stories"  # the folder of report.html's story pages (html_report.story_page), beside it
_PAGE_NAME = re.compile(r"story-[A-Za-z0-9_-]+\.html\Z")


def _unchanged(target: Path, data: bytes) -> bool:
    try:
        return target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        return False


# Which saved state the outputs were written from (the token of its save): written last, after every output is in
# place, and removed before the first is replaced, so outputs half replaced, or replaced by a run stopped before it
# saved its state, do not match the state's own token (incremental.outputs_stale).
WRITTEN = ".written.json"


def written_token(out_dir: str | Path) -> str | None:
    """The token of the state the outputs in place were written from; None when unknown (being replaced, or older)."""
    try:
        token = json.loads((Path(out_dir) / WRITTEN).read_text(encoding="utf-8")).get("token")
    except (OSError, ValueError, AttributeError):
        return None
    return token if isinstance(token, str) else None


def write_outputs(
    out_dir: str | Path, tables: dict[str, pl.DataFrame], texts: dict[str, str], token: str | None = None
) -> list[Path]:
    """Write tables as Parquet and texts as UTF-8; nothing in out_dir changes until all are written; token: that of
    the state save they come from (state.save_state), recorded (WRITTEN) once they are all in place.

    Texts in the story pages' folder (PAGES) are written only when they changed (an archive has thousands, a run
    changes a few); when report.html is written, the pages it no longer links (stories merged or gone, or all of
    them when the report is one page again) are removed last. The staging folders of a writer killed before it
    finished are removed (the caller holds the output folder's lock)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for left in out.glob(".staging-*"):
        if left.is_dir() and not left.is_symlink():
            shutil.rmtree(left, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        staged: list[tuple[Path, Path]] = []
        for name, df in tables.items():
            path = staging / f"{name}.parquet"
            df.write_parquet(path)
            staged.append((path, out / path.name))
        pages = sorted(name for name in texts if name.startswith(PAGES + "/"))
        folder = out / PAGES
        if folder.is_symlink() or (folder.exists() and not folder.is_dir()):  # ours to make: never written through
            folder.unlink()
        if pages:
            (staging / PAGES).mkdir()
        for name in pages:  # first, so that report.html never links to a page not yet there
            data = texts[name].encode("utf-8")
            if not _unchanged(out / name, data):
                (staging / name).write_bytes(data)
                staged.append((staging / name, out / name))
        kept = set(pages)
        for name, text in texts.items():
            if name not in kept:
                path = staging / name
                path.write_text(text, encoding="utf-8")
                staged.append((path, out / name))
        for path, _ in staged:
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        if pages:
            folder.mkdir(exist_ok=True)
        (out / WRITTEN).unlink(missing_ok=True)
        for path, target in staged:
            os.replace(path, target)  # atomic on one filesystem
        if "report.html" in texts and folder.is_dir():  # only the pages a report wrote (story-*.html) are pruned
            for page in os.scandir(folder):
                if (_PAGE_NAME.match(page.name) and page.is_file(follow_symlinks=False)
                        and f"{PAGES}/{page.name}" not in kept):
                    os.unlink(page.path)
        if token is not None:
            (staging / WRITTEN).write_text(json.dumps({"token": token}), encoding="utf-8")
            os.replace(staging / WRITTEN, out / WRITTEN)
        return [target for _, target in staged]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


# What a run writes into the output folder, besides its state (incremental.save_run).
OUTPUT_FILES = (
    *(f"{name}.parquet" for name in ("articles", "stories", "facts", "conflicts", "rejects", "copy_pairs", "story_merges")),
    "report.md",
    "report.html",
)


def missing_outputs(out_dir: str | Path) -> list[str]:
    """The outputs of a run that are not in out_dir (deleted since, or never written)."""
    return [name for name in OUTPUT_FILES if not (Path(out_dir) / name).is_file()]


def read_table(out_dir: str | Path, name: str) -> pl.DataFrame:
    """Read one output table by name ('articles', 'stories', 'facts', 'rejects')."""
    return pl.read_parquet(Path(out_dir) / f"{name}.parquet")


class Busy(RuntimeError):
    """Another run holds the output folder."""


class NotWritable(RuntimeError):
    """The output folder cannot be made or written (read-only, immutable, no permission)."""


def _hold(out: Path, wait_seconds: float):
    """The output folder's lock file, locked; a second holder waits up to wait_seconds, then gets Busy; NotWritable
    when the folder cannot be written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle = open(out / ".lock", "a+")
    except OSError as exc:
        raise NotWritable(f"cannot write to {out}: {exc.strerror or exc}") from exc
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
                handle.close()
                waited = f" (waited {wait_seconds:g} s)" if wait_seconds else ""
                raise Busy(f"{out} is in use by another run ({holder}){waited}; try again when it has finished") from None
            time.sleep(0.2)
            continue
        try:  # a lock file that can be written in a folder that cannot (an immutable or read-only copy): say so now,
            # not after the run's work, when its outputs are staged
            fd, probe = tempfile.mkstemp(prefix=".probe-", dir=out)
            os.close(fd)
            os.unlink(probe)
        except OSError as exc:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
            raise NotWritable(f"cannot write to {out}: {exc.strerror or exc}") from exc
        return handle


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """Errors writing a run's results (a full disk, a state folder that cannot be renamed) as one NotWritable line.
    What was saved before stands: the outputs name the state they were written from, so the next run writes them
    again from the last state saved whole."""
    try:
        yield
    except (OSError, pl.exceptions.PolarsError) as exc:
        text = str(exc).strip()
        if isinstance(exc, pl.exceptions.PolarsError) and "os error" not in text.lower():
            raise  # no writing error: a bug, with its traceback
        if _disk_full(out, exc):
            why = "the disk is full"
        elif isinstance(exc, OSError) and exc.strerror:
            why = exc.strerror + (f" ({Path(exc.filename).name})" if exc.filename else "")
        else:
            why = (text.splitlines() or [type(exc).__name__])[0][:200]
        raise NotWritable(f"could not write the results to {out}: {why}; the results saved before stand, and the next "
                          "run writes these again") from exc


def _disk_full(out: Path, exc: BaseException) -> bool:
    """A write failed for want of space: ENOSPC, polars' "No space left on device", or numpy's short write ("262144
    requested and 65504 written") with under a megabyte left where the output goes."""
    said = str(exc).lower()
    if getattr(exc, "errno", None) == errno.ENOSPC or "no space left" in said or "disk quota" in said:
        return True
    if not re.search(r"\d+ requested and \d+ written", said):
        return False
    try:
        return shutil.disk_usage(out).free < 1 << 20
    except OSError:
        return False


def wait_until_free(out_dir: str | Path, wait_seconds: float = 0.0) -> None:
    """Raise Busy now, before a flow starts, when another run holds the output folder past wait_seconds (the run
    itself then takes the lock with run_lock)."""
    handle = _hold(Path(out_dir), wait_seconds)
    fcntl.flock(handle, fcntl.LOCK_UN)
    handle.close()


@contextmanager
def run_lock(out_dir: str | Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold the output folder for one run; a second run waits up to wait_seconds, then stops with Busy."""
    handle = _hold(Path(out_dir), wait_seconds)
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}")
        handle.flush()
        yield
    finally:
        handle.seek(0)
        handle.truncate()
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
