"""A progress hook: stages say how much work is done; the caller decides whether and how to show it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol


class Reporter(Protocol):
    """Shows progress: start(label, total) returns a function that advances by n."""

    def start(self, label: str, total: int) -> Callable[[int], None]: ...

    def stop(self, label: str) -> None: ...


_reporter: Reporter | None = None  # module-wide, so that stages run in worker threads report too


@contextmanager
def reporting(reporter: Reporter | None) -> Iterator[None]:
    """Use reporter for the stages run inside this block."""
    global _reporter
    previous, _reporter = _reporter, reporter
    try:
        yield
    finally:
        _reporter = previous


@contextmanager
def track(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """Report progress of one piece of work; a no-op when nobody listens."""
    reporter = _reporter
    if reporter is None or total <= 0:
        yield lambda n=1: None
        return
    advance = reporter.start(label, total)
    try:
        yield advance
    finally:
        reporter.stop(label)


class RichReporter:
    """Progress bars on a terminal, through rich."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.stop()

    def start(self, label: str, total: int) -> Callable[[int], None]:
        task = self.tasks[label] = self.progress.add_task(label, total=total)
        return lambda n=1: self.progress.advance(task, n)

    def stop(self, label: str) -> None:
        self.progress.remove_task(self.tasks.pop(label))
