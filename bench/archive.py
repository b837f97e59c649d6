"""How long a scheduled run takes to learn that nothing in a large input folder changed.

A cron run every few minutes over an archive that only grows spends most of a quiet run looking at files it has
seen. This builds a folder of N synthetic article files (random words, no publisher's text; kept between runs under
--dir), then times `state.plan_run` with nothing changed, three ways:
- `hashes only`: a manifest without stats (what newsdedup kept before session 16): every file is read and hashed;
- `stats`: the manifest a run keeps now: a settled file whose stat is unchanged is not read;
- each with the page cache warm, and cold (the kernel's caches dropped first; needs root, else skipped and said so).
Then it changes 1 % of the files and checks that both ways find the same ones.

    .venv/bin/python bench/archive.py --files 100000 [--dir /tmp/newsdedup_archive] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import time
from pathlib import Path

import polars as pl

from newsdedup.state import SETTLED_NS, plan_run

WORDS = (
    "the a of to in and said officials police province attack security forces killed district minister government "
    "on saturday people army report militants city capital residents hospital train road bridge flood storm"
).split()


def build(folder: Path, n: int, seed: int = 7) -> None:
    """N files of 500-900 words in folders of 1,000 (as a fetcher files them by day), unless already there."""
    marker = folder / f".built-{n}-{seed}"
    if marker.exists():
        return
    rng = random.Random(seed)
    for i in range(n):
        sub = folder / f"day{i // 1000:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        body = " ".join(rng.choice(WORDS) for _ in range(rng.randint(500, 900)))
        (sub / f"item{i:07d}.txt").write_text(f"date 2026-02-01\n\nHeadline {i}\n\n{body}\n", encoding="utf-8")
    marker.touch()


def drop_caches() -> bool:
    """Empty the kernel's page cache (root only), so that reading a file means reading the disk."""
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def timed(root: Path, manifest: pl.DataFrame, cold: bool, repeat: int) -> list[float] | None:
    out = []
    for _ in range(repeat):
        if cold and not drop_caches():
            return None
        start = time.perf_counter()
        plan = plan_run(root, manifest)
        out.append(time.perf_counter() - start)
        assert plan.nothing_new
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newsdedup_archive"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    root = args.dir / f"n{args.files}"
    start = time.perf_counter()
    build(root, args.files)
    print(f"{args.files:,} files under {root} ({time.perf_counter() - start:.1f} s to build or find)")
    time.sleep(SETTLED_NS / 1e9)  # every file has settled: its stat can be kept
    first = plan_run(root, pl.DataFrame(schema={"path": pl.String(), "sha1": pl.String()}))
    with_stats = first.manifest()
    if with_stats["size"].null_count():  # written just now by build(): look again once settled
        with_stats = plan_run(root, with_stats).manifest()
    hashes_only = with_stats.select("path", "sha1")
    results: dict[str, object] = {"files": args.files}
    for name, manifest in (("hashes only", hashes_only), ("stats", with_stats)):
        for cold in (False, True):
            times = timed(root, manifest, cold, args.repeat)
            key = f"{name}, {'cold' if cold else 'warm'} cache"
            if times is None:
                print(f"{key:28s} skipped: dropping the page cache needs root")
                continue
            results[key] = times
            print(f"{key:28s} median {statistics.median(times):6.2f} s  ({', '.join(f'{t:.2f}' for t in times)})")

    rng = random.Random(11)
    files = sorted(first.files.values())
    changed = rng.sample(files, max(1, len(files) // 100))
    for path in changed:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("A late paragraph.\n")
    found = {
        name: plan_run(root, manifest).todo for name, manifest in (("hashes only", hashes_only), ("stats", with_stats))
    }
    want = sorted(str(p.relative_to(root)) for p in changed)
    same = found["hashes only"] == found["stats"] == want
    print(f"{len(changed):,} files changed: both ways find the same {len(want):,}: {same}")
    results["changed_found_alike"] = same
    for path in changed:  # put them back, so that the folder can be reused
        text = path.read_text(encoding="utf-8")
        path.write_text(text.removesuffix("A late paragraph.\n"), encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not same:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
