"""Table contracts: the columns and dtypes of every table the pipeline reads or writes, written down once."""

from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

UTC_TIME = pl.Datetime("us", "UTC")

# One row per usable input article, as ingest produces it.
DOCUMENTS: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "path": pl.String(),
    "title": pl.String(),
    "source": pl.String(),
    "published": UTC_TIME,
    "utc_offset": pl.Duration("us"),  # the zone the source gave the time in (-05:00); null: none given (UTC)
    "url": pl.String(),
    "dateline": pl.String(),
    "text": pl.String(),
    "n_words": pl.Int64(),
    "notes": pl.List(pl.String()),  # what ingest could not use: why an undated article is ("date 'x' not understood");
    # and for an item its feed no longer holds, ROLLED_OFF; or whose feed cannot be read now, UNREADABLE
}
# The note of an article its feed or JSONL file, still there, no longer holds (kept as last read).
ROLLED_OFF = "no longer in {file}: kept as last read"
# The note of an item of a feed or JSONL file that is there but cannot be read now (half-written, grown too large):
# kept as last read, with the items that had left it, until the file is read whole again.
UNREADABLE = "{file} could not be read: kept as last read"


def local_time(row: dict) -> datetime | None:
    """When an article came out, in the zone its source gave (a feed's "Sun, 01 Feb 2026 21:00:00 -0500" is that
    Sunday evening, not Monday in UTC): the day an editor and the article's own "today" go by."""
    published, offset = row.get("published"), row.get("utc_offset")
    if published is None or not offset:
        return published
    return published.astimezone(timezone(offset))


# The path of an article `newsdedup check --add` added ("check:story.txt", "check:/in/feed.rss:3"): no input holds it,
# and no input's path (relative to the input folder) starts so. Before state version 35 it was "check/story.txt".
DESK_PLACE = "check:"
OLD_DESK_PLACE = "check/"


def added_by_desk(path: pl.Expr) -> pl.Expr:
    """Which documents (by their path column) the desk added."""
    return path.str.starts_with(DESK_PLACE)


def rolled_off_note(file: str) -> str:
    return ROLLED_OFF.format(file=file)


def unreadable_note(file: str) -> str:
    return UNREADABLE.format(file=file)


def is_rolled_off_note(note: str) -> bool:
    """A note that an item is kept as last read: it left its file (ROLLED_OFF), or its file cannot be read now
    (UNREADABLE)."""
    return any(note.startswith(head) and note.endswith(tail) for head, tail in (form.split("{file}") for form in (ROLLED_OFF, UNREADABLE)))

# One row per input that could not be used.
REJECTS: dict[str, pl.DataType] = {"path": pl.String(), "reason": pl.String()}

# Output tables.
ARTICLES: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "path": pl.String(),
    "title": pl.String(),
    "source": pl.String(),
    "published": UTC_TIME,
    "utc_offset": pl.Duration("us"),
    "n_words": pl.Int64(),
    "syndicate_id": pl.String(),
    "story_id": pl.String(),
    "is_canonical": pl.Boolean(),
    "url": pl.String(),
    "dateline": pl.String(),
    "notes": pl.List(pl.String()),
}

STORIES: dict[str, pl.DataType] = {
    "story_id": pl.String(),
    "title": pl.String(),
    "canonical_article_id": pl.String(),
    "canonical_reason": pl.String(),
    "n_articles": pl.Int64(),
    "n_syndicates": pl.Int64(),
    "sources": pl.List(pl.String()),
    "first_published": UTC_TIME,
    "last_published": UTC_TIME,
}

# detail_figures: empty for a fact the most complete version lacks; for a sentence of a fact it does state, the
# figures that sentence gives and it lacks, as written ("6.32 billion" where it says "$6.3 billion"), the reason
# it is listed. differs_from: the most complete version's figures for a count this sentence gives another number
# for, as read ("at least 145 people" beside "Over 120 people were killed"); the same counts are in CONFLICTS.
FACTS: dict[str, pl.DataType] = {
    "story_id": pl.String(),
    "fact_id": pl.String(),
    "text": pl.String(),
    "article_ids": pl.List(pl.String()),
    "sources": pl.List(pl.String()),
    "detail_figures": pl.List(pl.String()),
    "differs_from": pl.List(pl.String()),
}

# numbers_differ: the versions give different numbers ("at least 145" / "more than 120" people); false when
# they give one number worded differently ("92" / "at least 92" militants). sentences: for each of `values`, in
# order, a sentence giving it, so a reader sees what each figure counts; value_article_ids: for each of `values`,
# the articles giving it (who says 145, who says 120).
CONFLICTS: dict[str, pl.DataType] = {
    "story_id": pl.String(),
    "about": pl.String(),
    "values": pl.List(pl.String()),
    "article_ids": pl.List(pl.String()),
    "numbers_differ": pl.Boolean(),
    "sentences": pl.List(pl.String()),
    "value_article_ids": pl.List(pl.List(pl.String())),
}


# A story's section of report.md or report.html as a run rendered it, by a key of everything it was made from (the
# state keeps them, so a run renders again only the stories whose rows changed: html_report.Sections).
SECTIONS: dict[str, pl.DataType] = {"key": pl.String(), "text": pl.String()}


class ContractError(ValueError):
    """A table does not have the columns or dtypes its contract names."""


def rows_by(table: pl.DataFrame, column: str) -> dict[str, list[dict]]:
    """The rows of a table as dicts, grouped by one column's value, in table order (one pass over it)."""
    out: dict[str, list[dict]] = {}
    for row in table.iter_rows(named=True):
        out.setdefault(row[column], []).append(row)
    return out


def conflicts_by_kind(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """A story's conflict rows under the reports' headings: different numbers first, then one number worded
    differently; a kind without rows is left out."""
    kinds = (("Conflicting figures", True), ("Same figure, worded differently", False))
    out = [(heading, [r for r in rows if bool(r["numbers_differ"]) is differ]) for heading, differ in kinds]
    return [(heading, mine) for heading, mine in out if mine]


def numbers_differing(rows: list[dict]) -> int:
    """conflict_counts' first figure for a story's conflicts rows: the figures whose numbers differ."""
    return sum(bool(row["numbers_differ"]) for row in rows)


def conflict_counts(conflicts: pl.DataFrame) -> tuple[int, int]:
    """(figures whose numbers differ, figures that give one number worded differently) in a conflicts table."""
    differ = int(conflicts["numbers_differ"].fill_null(False).sum())
    return differ, conflicts.height - differ


def pairs_by_articles(pairs: pl.DataFrame) -> dict[frozenset, dict]:
    """Verified copy pairs by their two article ids, either way round."""
    return {frozenset((r["article_id"], r["copy_of"])): r for r in pairs.iter_rows(named=True)}


def empty(contract: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty table with exactly the contract's columns."""
    return pl.DataFrame(schema=contract)


def conform(df: pl.DataFrame, contract: dict[str, pl.DataType], name: str) -> pl.DataFrame:
    """Check that df carries every contract column with its dtype, and return it in contract order."""
    missing = [col for col in contract if col not in df.columns]
    if missing:
        raise ContractError(f"{name}: missing columns {missing}")
    wrong = [
        f"{col} is {df.schema[col]}, expected {dtype}"
        for col, dtype in contract.items()
        if df.schema[col] != dtype and not (df.height == 0 and df.schema[col] == pl.Null)
    ]
    if wrong:
        raise ContractError(f"{name}: " + "; ".join(wrong))
    return df.select(list(contract)).cast(contract)
