"""The progress hook: silent by default, and a reporter sees every unit of work."""

from __future__ import annotations

from newsdedup.config import load_config
from newsdedup.ingest import read_inputs
from newsdedup.progress import reporting, track

from conftest import SEEDS


class Recorder:
    def __init__(self) -> None:
        self.events: list[tuple[str, str, int]] = []

    def start(self, label, total):
        self.events.append(("start", label, total))
        return lambda n=1: self.events.append(("advance", label, n))

    def stop(self, label):
        self.events.append(("stop", label, 0))


def test_track_without_a_reporter_is_silent():
    with track("work", 3) as advance:
        advance(3)  # nothing to assert but that it does not fail


def test_ingest_reports_each_file():
    recorder = Recorder()
    with reporting(recorder):
        read_inputs(SEEDS, load_config().ingest)
    assert recorder.events[0] == ("start", "reading files", 5)
    assert sum(n for kind, _, n in recorder.events if kind == "advance") == 5
    assert recorder.events[-1][0] == "stop"


def test_reporter_is_restored_after_the_block():
    recorder = Recorder()
    with reporting(recorder):
        pass
    with track("after", 2) as advance:
        advance(2)
    assert recorder.events == []
