"""The Prefect flow end to end, with the real model, on the seeds plus hand-made syndicated copies."""

from __future__ import annotations

import shutil

import polars as pl
import pytest

from conftest import COPIES, SEEDS

pytestmark = pytest.mark.usefixtures("prefect_harness")


@pytest.fixture(scope="module")
def flow_run(tmp_path_factory, prefect_harness):
    """Run the flow once on seeds + copies + a few bad files; return (input dir, output dir, summary)."""
    from flows.dedup import dedup_flow

    root = tmp_path_factory.mktemp("flow")
    inp, out = root / "raw", root / "clusters"
    shutil.copytree(SEEDS, inp / "seeds")
    shutil.copytree(COPIES, inp / "copies", ignore=shutil.ignore_patterns("*.md", "*.csv"))
    (inp / "bad").mkdir()
    (inp / "bad" / "empty.txt").write_bytes(b"")
    (inp / "bad" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (inp / "bad" / "broken.json").write_text('{"title": "x", "text": ', encoding="utf-8")
    summary = dedup_flow(str(inp), str(out), None)
    return inp, out, summary


def test_flow_writes_every_output(flow_run):
    _, out, _ = flow_run
    for name in ("articles.parquet", "stories.parquet", "facts.parquet", "rejects.parquet", "report.md"):
        assert (out / name).is_file(), name
    assert not [p for p in out.iterdir() if p.name.startswith(".staging")]


def test_every_input_is_an_article_or_a_reject(flow_run):
    inp, out, summary = flow_run
    articles = pl.read_parquet(out / "articles.parquet")
    rejects = pl.read_parquet(out / "rejects.parquet")
    seen = set(articles["path"].to_list()) | {p.split(":")[0] for p in rejects["path"].to_list()}
    files = {p.relative_to(inp).as_posix() for p in inp.rglob("*") if p.is_file()}
    assert files == seen
    assert set(rejects["path"].to_list()) == {"bad/empty.txt", "bad/image.txt", "bad/broken.json"}
    assert summary.rejects == 3


def test_copies_join_their_seed_and_seeds_stay_apart(flow_run):
    _, out, _ = flow_run
    articles = pl.read_parquet(out / "articles.parquet")
    syn = dict(zip(articles["path"].to_list(), articles["syndicate_id"].to_list()))
    seeds = [p for p in syn if p.startswith("seeds/")]
    assert len(seeds) == 5
    assert len({syn[p] for p in seeds}) == 5, "two independent write-ups were merged as copies"
    labels = pl.read_csv(COPIES / "labels.csv")
    for file, seed in labels.iter_rows():
        seed_path = next(p for p in seeds if p.split("/")[1].startswith(str(seed).zfill(3)))
        assert syn[f"copies/{file}"] == syn[seed_path], f"{file} should be a copy of {seed_path}"


def test_one_story_with_001_as_most_complete(flow_run):
    _, out, summary = flow_run
    stories = pl.read_parquet(out / "stories.parquet")
    articles = pl.read_parquet(out / "articles.parquet")
    assert stories.height == 1 and summary.stories == 1
    story = stories.row(0, named=True)
    assert story["n_articles"] == articles.height
    canonical = articles.filter(pl.col("is_canonical"))
    assert canonical.height == 1
    # the long 001 report or one of its copies that carries as much
    assert story["canonical_article_id"].startswith("seeds/001") or "001" in canonical["path"][0]
    assert story["canonical_reason"].startswith("covers ")


def test_added_facts_on_the_seeds(flow_run):
    _, out, _ = flow_run
    facts = pl.read_parquet(out / "facts.parquet")
    texts = " || ".join(facts["text"].to_list())
    assert "Operation Herof" in texts
    assert "84 personnel" in texts
    assert "Shahid Rind" in texts
    for fact in facts.iter_rows(named=True):
        assert fact["article_ids"], fact
        assert len(fact["article_ids"]) == len(set(fact["article_ids"]))
    assert facts["fact_id"].n_unique() == facts.height


def test_report_names_the_story_and_the_rejects(flow_run):
    _, out, _ = flow_run
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "Most complete version" in report
    assert "Shahid Rind" in report
    assert "bad/broken.json" in report and "invalid JSON" in report


def test_flow_publishes_prefect_artifacts(flow_run):
    import asyncio

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    async def latest(key):
        async with get_client() as client:
            found = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
            return found[-1] if found else None

    summary = asyncio.run(latest("newsdedup-summary"))
    table = asyncio.run(latest("newsdedup-largest-stories"))
    assert summary is not None and "conflicting figures" in summary.data and "| ingest |" in summary.data
    assert table is not None and "story_" in str(table.data)


def test_flow_continues_from_its_state(flow_run, tmp_path):
    """A second run on the same folders adds only the new file and keeps every id."""
    from flows.dedup import dedup_flow

    inp, out, _ = flow_run
    before = pl.read_parquet(out / "articles.parquet").select("article_id", "syndicate_id", "story_id")
    extra = inp / "late" / "copy.txt"
    extra.parent.mkdir()
    extra.write_text("BREAKING\n\n" + (SEEDS / "004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8"), encoding="utf-8")
    try:
        summary = dedup_flow(str(inp), str(out), None)
    finally:
        extra.unlink()
        extra.parent.rmdir()
    after = pl.read_parquet(out / "articles.parquet").select("article_id", "syndicate_id", "story_id")
    assert summary.new == 1 and after.height == before.height + 1
    assert after.join(before, on="article_id").filter(
        (pl.col("syndicate_id") != pl.col("syndicate_id_right")) | (pl.col("story_id") != pl.col("story_id_right"))
    ).height == 0
    late = after.filter(pl.col("article_id") == "late/copy").row(0, named=True)
    assert late["syndicate_id"] == before.filter(pl.col("article_id") == "seeds/004_aa58e34a18a8b4a3")["syndicate_id"][0]


def test_flow_refuses_a_folder_another_run_holds(flow_run):
    from flows.dedup import dedup_flow
    from newsdedup.store import Busy, run_lock

    inp, out, _ = flow_run
    with run_lock(out), pytest.raises(Busy):
        dedup_flow(str(inp), str(out), None)


def _copy_of_run(flow_run, tmp_path):
    inp, out, _ = flow_run
    shutil.copytree(inp, tmp_path / "raw")
    shutil.copytree(out, tmp_path / "clusters")
    return tmp_path / "raw", tmp_path / "clusters"


def _outputs(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != ".lock"}


def test_a_missing_or_emptied_input_folder_fails_the_run_and_removes_nothing(flow_run, tmp_path):
    """A scheduled run on an unmounted share would take every input for deleted and empty the outputs."""
    from flows.dedup import dedup_flow
    from newsdedup.incremental import RunRefused

    inp, out = _copy_of_run(flow_run, tmp_path)
    before = _outputs(out)
    with pytest.raises(RunRefused, match="input folder not found"):
        dedup_flow(str(tmp_path / "unmounted"), str(out), None)
    shutil.rmtree(inp)
    inp.mkdir()
    with pytest.raises(RunRefused, match=r"holds no input files, but the last run read \d+: nothing removed .* --full"):
        dedup_flow(str(inp), str(out), None)
    other = tmp_path / "other.toml"  # other settings rebuild from the inputs: an emptied folder is refused all the same
    other.write_text("[stories]\ndistance_threshold = 1.0\n", encoding="utf-8")
    with pytest.raises(RunRefused, match="holds no input files"):
        dedup_flow(str(inp), str(out), str(other))
    assert _outputs(out) == before
    summary = dedup_flow(str(inp), str(out), None, full=True)  # on purpose: start again from the empty folder
    assert summary.articles == 0


def test_a_full_disk_fails_the_run_in_one_line_and_the_next_run_recovers(flow_run, tmp_path, monkeypatch):
    """Saving the state on a full disk ended the run in a traceback (numpy's "262144 requested and 65504 written")."""
    import errno

    import newsdedup.incremental
    from flows.dedup import dedup_flow
    from newsdedup.store import NotWritable

    inp, out = _copy_of_run(flow_run, tmp_path)
    shutil.copy(COPIES / "001_trimmed.txt", inp / "late.txt")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(newsdedup.incremental, "save_state", full)
        with pytest.raises(NotWritable, match=r"could not write the results to .*: the disk is full; the results saved before stand"):
            dedup_flow(str(inp), str(out), None)
    summary = dedup_flow(str(inp), str(out), None)  # space again: the run is done over from the last saved state
    assert summary.new == 1 and "late" in pl.read_parquet(out / "articles.parquet")["article_id"].to_list()


def test_a_damaged_state_fails_the_run_in_one_line_and_full_rebuilds(flow_run, tmp_path):
    from flows.dedup import dedup_flow
    from newsdedup.state import StateError

    inp, out = _copy_of_run(flow_run, tmp_path)
    (out / "state" / "signatures.npy").write_bytes(b"garbage")
    (inp / "late.txt").write_text((SEEDS / "004_aa58e34a18a8b4a3.txt").read_text(encoding="utf-8"), encoding="utf-8")
    before = _outputs(out)
    with pytest.raises(StateError, match=r"signatures\.npy.*run with --full"):
        dedup_flow(str(inp), str(out), None)
    assert _outputs(out) == before
    assert dedup_flow(str(inp), str(out), None, full=True).articles == flow_run[2].articles + 1


def test_an_output_folder_inside_the_input_folder_is_no_input(tmp_path):
    """report.html would be read as an article (and its state files as rejects), and nothing would stay 'nothing new'."""
    from flows.dedup import dedup_flow

    inp = tmp_path / "raw"
    shutil.copytree(SEEDS, inp)
    out = inp / "clusters"
    first = dedup_flow(str(inp), str(out), None)
    second = dedup_flow(str(inp), str(out), None)
    assert first.articles == second.articles == 5 and second.new == 0
    assert first.rejects == second.rejects == 0


def test_show_says_what_each_copy_changes_from_the_run_state(flow_run):
    """`newsdedup show` reads the copies' texts from the run's state, as report.md does: what each copy changes."""
    from typer.testing import CliRunner

    from newsdedup.cli import app

    _, out, _ = flow_run
    story_id = pl.read_parquet(out / "stories.parquet")["story_id"][0]
    shown = CliRunner().invoke(app, ["show", story_id, "--output", str(out)], env={"COLUMNS": "250"})
    assert shown.exit_code == 0, shown.output
    copy_lines = [line for line in shown.output.splitlines() if "copy" in line and "Jaccard" in line]
    assert copy_lines and any("headline changed" in line or "trimmed to" in line or "words added" in line
                              for line in shown.output.splitlines())


def test_a_full_rebuild_keeps_the_items_that_rolled_off_a_feed(tmp_path):
    """A scheduled run after a fetcher rewrote wire.jsonl keeps the item that left it, and so does --full."""
    import json

    from flows.dedup import dedup_flow

    inp, out = tmp_path / "raw", tmp_path / "clusters"
    inp.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))

    def fetch(numbers):
        items = [{"id": f"wire-{n}", "text": seeds[n].read_text(encoding="utf-8")} for n in numbers]
        (inp / "wire.jsonl").write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")

    fetch([0, 1])
    dedup_flow(str(inp), str(out), None)
    fetch([2, 1])
    summary = dedup_flow(str(inp), str(out), None)
    assert summary.new == 1 and summary.removed == 0 and summary.rolled_off == 1
    assert "this run: 1 new, 0 removed articles, 1 kept after leaving their feed, 0 story merges" in summary.line()
    edited = seeds[1].read_text(encoding="utf-8") + "\n\nA late paragraph: the railway reopened on Monday."
    (inp / "wire.jsonl").write_text("".join(json.dumps(i) + "\n" for i in [
        {"id": "wire-2", "text": seeds[2].read_text(encoding="utf-8")}, {"id": "wire-1", "text": edited}]), encoding="utf-8")
    summary = dedup_flow(str(inp), str(out), None)  # wire-1 corrected: one changed article, neither new nor removed
    assert "this run: 0 new, 1 changed, 0 removed articles, 0 story merges" in summary.line()
    for full in (False, True):
        if full:
            dedup_flow(str(inp), str(out), None, full=True)
        articles = pl.read_parquet(out / "articles.parquet")
        assert sorted(articles["article_id"].to_list()) == ["wire-0", "wire-1", "wire-2"]
        notes = dict(zip(articles["article_id"].to_list(), articles["notes"].to_list()))
        assert "no longer in wire.jsonl: kept as last read" in notes["wire-0"] and notes["wire-1"] == ["no date given"]
