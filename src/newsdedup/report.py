"""Output tables (articles, stories, facts, rejects) and the Markdown report editors read."""

from __future__ import annotations

import re
from dataclasses import dataclass

import polars as pl

from newsdedup.facts import Resolution, figure_text, pasted_from, sentence_key
from newsdedup.html_report import (
    UNKNOWN_OUTLET, Sections, adding_versions, by_outlet, compare_cache_clear, compare_copy, copy_groups, copy_role, copy_source, difference_words, fact_note,
    original_reason, outlet, pair_rows_by_story, plural, render_html_pages, story_days, story_section, story_size, when_published,
)
from newsdedup.normalize import clip, last_dash, names, outlet_in_title, split_sentences, stop_words
from newsdedup.schema import (
    ARTICLES, CONFLICTS, FACTS, REJECTS, STORIES, conflict_counts, conflicts_by_kind, conform, numbers_differing, pairs_by_articles, rows_by,
)


def code(text: object) -> str:
    """text as one Markdown code span, whatever it holds: an id or a path may hold a line break (shown as a space; it
    ended the span and the line) or backticks (the span is fenced by a longer run)."""
    shown = _one_line(text)
    fence = "`" * (max((len(run) for run in re.findall(r"`+", shown)), default=0) + 1)
    pad = " " if shown.startswith("`") or shown.endswith("`") else ""
    return f"{fence}{pad}{shown}{pad}{fence}"


def cell(text: object) -> str:
    """text as one Markdown table cell: on one line, its "|" escaped (also inside a code span)."""
    return _one_line(text).replace("|", "\\|")


def _one_line(text: object) -> str:
    """text with its line breaks made spaces (a Markdown span or table cell ends at one)."""
    return re.sub(r"\s*[\r\n]+\s*", " ", str(text))


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one}" if n == 1 else f"{n} {many or one + 's'}"


@dataclass(frozen=True)
class Summary:
    """Counts a run ends with."""

    articles: int
    copy_groups: int
    copies: int
    stories: int
    facts: int
    conflicts: int  # figures whose numbers differ between versions
    rejects: int
    new: int | None = None  # articles this run added (None: not an incremental run)
    removed: int = 0
    merges: int = 0
    reworded: int = 0  # one number worded differently ("92" / "at least 92")
    rolled_off: int = 0  # articles this run kept though their feed no longer holds them
    changed: int = 0  # articles this run read again in a new version (counted in neither new nor removed)
    rebuilt: bool = False  # the run rebuilt the state whole (--full, another config or version): no counts of change

    def line(self) -> str:
        reworded = f" ({self.reworded} more worded differently)" if self.reworded else ""
        text = (
            f"{_count(self.articles, 'article')}, {_count(self.copy_groups, 'copy group')} "
            f"({_count(self.copies, 'copy', 'copies')}), {_count(self.stories, 'story', 'stories')}, "
            f"{_count(self.facts, 'added fact')}, {_count(self.conflicts, 'conflicting figure')}{reworded}, "
            f"{_count(self.rejects, 'reject')}"
        )
        if self.new is not None and self.rebuilt:  # every article is "new" to a new state: no news
            text += "; this run: rebuilt whole from the inputs and the saved state"
        elif self.new is not None:
            kept = f", {self.rolled_off} kept after leaving their feed" if self.rolled_off else ""
            changed = f"{self.changed} changed, " if self.changed else ""
            text += f"; this run: {self.new} new, {changed}{self.removed} removed articles{kept}, {_count(self.merges, 'story merge')}"
        return text


def articles_table(documents: pl.DataFrame, canon: pl.DataFrame) -> pl.DataFrame:
    """One row per article with its copy group, story and whether it is the story's most complete version."""
    flagged = documents.with_columns(
        is_canonical=pl.col("article_id").is_in(canon["canonical_article_id"].implode()).fill_null(False)
    )
    return conform(flagged, ARTICLES, "articles").sort("article_id")


# A wire's version prefixes ("UPDATE 2-", "REFILE-UPDATE 1-", "CORRECTED-") and an outlet's suffix (" | Daily
# Meridian", " | Reuters | Business"): the article's headline keeps them, the story's title goes without.
_VERSION_PREFIX = re.compile(r"^(?:(?:UPDATED?|REFILE|CORRECTED|RPT|WRAPUP|BREAKING|EXCLUSIVE)(?:\s*\d+)?\s*[-:]\s*)+(?=\S)")
_PIPE = re.compile(r"\s+\|\s+")


def clean_headline(title: str, source: str | None = None) -> str:
    """A headline without a wire's version prefix or an outlet's suffix: the part after the last " | " goes while it
    is a name (four words at most) no longer than what comes before it ("Markets | Stocks fall as oil jumps" keeps
    its section label); the part after a last dash goes when it is the article's source or looks like an outlet's name
    ("... - Northern Star", "... - Reuters", normalize.outlet_in_title)."""
    title = _VERSION_PREFIX.sub("", title)
    parts = _PIPE.split(title)
    while len(parts) > 1 and len(parts[-1].split()) <= min(4, len(" ".join(parts[:-1]).split())):
        parts.pop()
    title = " | ".join(parts) or title
    head, _, tail = last_dash(title)
    head, tail = head.rstrip(), tail.strip()
    last = title.rpartition(" | ")[2]  # a section label kept before it ("Markets | Stocks fall - Reuters")
    if tail and head and (tail.casefold() == (source or "").strip().casefold() or outlet_in_title(last) == tail):
        return head
    return title


def has_headline(row: dict) -> bool:
    """The article came with a headline: its title is not the start of its text, as the first sentence that
    ingest puts in a missing headline's place is (normalize.display_title)."""
    title, text = row["title"] or "", row.get("text") or ""
    return bool(title) and not text.startswith(title.removesuffix("\u2026"))


def story_title(members: list[dict], canonical_id: str) -> str:
    """A story's title: the most complete version's headline; when it has none (ingest put its first sentence in
    its place), or shouts it in capitals (an outlet's copy), the headline of a member of its copy group, else of the
    first published member; without a wire's "UPDATE 2-" or an outlet's " | Name" (clean_headline)."""
    canon = next(r for r in members if r["article_id"] == canonical_id)
    real = [(clean_headline(r["title"], r.get("source")), r) for r in members if has_headline(r)]
    if not real:
        return canon["title"]
    return min(real, key=lambda tr: (
        tr[0].isupper(), tr[1]["syndicate_id"] != canon["syndicate_id"], tr[1] is not canon, tr[1]["published"] is None,
        tr[1]["published"].timestamp() if tr[1]["published"] else 0, tr[1]["article_id"],
    ))[0]


def stories_table(documents: pl.DataFrame, canon: pl.DataFrame) -> pl.DataFrame:
    """One row per story: its title (story_title), sizes, sources and dates."""
    # only stories whose most complete version came without a headline, or shouts it, look at their other members
    # (the rest take that version's headline, cleaned)
    rows = documents.select("article_id", "story_id", "syndicate_id", "title", "source", "text", "published")
    leads = canon.select("story_id", pl.col("canonical_article_id").alias("article_id")).join(rows.drop("story_id"), on="article_id")
    titles: dict[str, str] = {}
    unsure: dict[str, str] = {}  # story -> its most complete version
    for lead in leads.iter_rows(named=True):
        cleaned = clean_headline(lead["title"], lead["source"]) if has_headline(lead) else ""
        if cleaned and not cleaned.isupper():
            titles[lead["story_id"]] = cleaned
        else:
            unsure[lead["story_id"]] = lead["article_id"]
    if unsure:
        members = rows_by(rows.filter(pl.col("story_id").is_in(list(unsure))), "story_id")
        titles.update({story: story_title(members[story], canonical) for story, canonical in unsure.items()})
    titles_frame = pl.DataFrame(
        {"story_id": list(titles), "title": list(titles.values())}, schema={"story_id": pl.String(), "title": pl.String()}
    )
    stats = documents.group_by("story_id").agg(
        pl.len().cast(pl.Int64).alias("n_articles"),
        pl.col("syndicate_id").n_unique().cast(pl.Int64).alias("n_syndicates"),
        pl.col("source").drop_nulls().unique().sort().alias("sources"),
        pl.col("published").min().alias("first_published"),
        pl.col("published").max().alias("last_published"),
    )
    table = canon.join(titles_frame, on="story_id").join(stats, on="story_id")
    return conform(table, STORIES, "stories").sort(
        ["n_articles", "last_published", "story_id"], descending=[True, True, False], nulls_last=True
    )


def summarize(
    articles: pl.DataFrame, stories: pl.DataFrame, facts: pl.DataFrame, conflicts: pl.DataFrame, rejects: pl.DataFrame
) -> Summary:
    """The counts printed at the end of a run."""
    sizes = articles.group_by("syndicate_id").len().filter(pl.col("len") > 1)
    differ, reworded = conflict_counts(conflicts)
    return Summary(
        articles=articles.height,
        copy_groups=sizes.height,
        copies=int(sizes["len"].sum() - sizes.height) if sizes.height else 0,
        stories=stories.height,
        facts=facts.height,
        conflicts=differ,
        rejects=rejects.height,
        reworded=reworded,
    )


def _who(row: dict) -> str:
    dateline = f", dateline {row['dateline']}" if row.get("dateline") else ""
    return f"{outlet(row)}, {when_published(row)}{dateline}, {code(row['article_id'])}"


def _givers(article_ids: list[str], info: dict[str, dict]) -> str:
    """Who gives a figure, by outlet: "Asia Herald: 031_ferry_b; Dhaka Ledger: 030_ferry_a, 032_ferry_a_copy"."""
    return "; ".join(", ".join(ids) if name == UNKNOWN_OUTLET else f"{name}: {', '.join(ids)}" for name, ids in by_outlet(article_ids, info))


def _also_in(holder: str, others: list[str], info: dict[str, dict]) -> str:
    """Where else a fact is, in few words: the other write-ups by id, the holder's own copy group counted ("also in
    002_..., and 3 more copies of this text"); long id lists made a fifth of report.md."""
    group = info[holder]["syndicate_id"] if holder in info else None
    copies = [a for a in others if a in info and info[a]["syndicate_id"] == group]
    rest = [a for a in others if a not in copies]
    parts = ([", ".join(rest)] if rest else []) + (
        [f"{len(copies)} more {'copy' if len(copies) == 1 else 'copies'} of this text"] if copies else []
    )
    return f" _(also in {', and '.join(parts)})_" if parts else ""


def _conflicting(conflicts: list[dict]) -> str:
    """'; 2 conflicting figures' for a story whose versions give a count differently, else nothing."""
    differ = numbers_differing(conflicts)
    return f"; **{plural(differ, 'conflicting figure')}**" if differ else ""


def story_markdown(
    story: dict, members: list[dict], facts: list[dict], conflicts: list[dict], pairs: dict[frozenset, dict]
) -> list[str]:
    """One story's section: most complete version and why, copy groups, conflicting figures, added facts.

    members, facts, conflicts: the story's rows of those tables (schema.rows_by); pairs: the verified copy
    pairs by their two article ids (schema.pairs_by_articles).
    """
    members = sorted(members, key=lambda r: r["article_id"])
    info = {r["article_id"]: r for r in members}
    canon = info[story["canonical_article_id"]]
    dates = story_days(members)
    out = [
        f"## {story['title']}",
        "",
        f"{code(story['story_id'])}: {story_size(story['n_articles'], story['n_syndicates'])}; "
        f"sources: {', '.join(story['sources']) or 'unknown'}; {dates}{_conflicting(conflicts)}.",
        "",
        f"**Most complete version:** {canon['title']} ({_who(canon)}): {story['canonical_reason']}.",
        "",
    ]
    groups = copy_groups(members)
    if groups:
        out += ["### Copy groups", ""]
        for group in groups:
            lead = group[0]  # in group_order
            others = [m for m in members if m["syndicate_id"] != lead["syndicate_id"]]  # where added text may come from
            out.append(
                f"- original ({original_reason(group, lead)}): {lead['title']} ({_who(lead)}, {lead['n_words']} words)"
            )
            for i, row in enumerate(group[1:], start=1):
                a = row["article_id"]
                source = copy_source(row, group[:i], lead, pairs)
                pair = pairs.get(frozenset((a, source["article_id"])))
                how = f"Jaccard {pair['jaccard']:.2f}, containment {pair['containment']:.2f}" if pair else "joined through another copy"
                of = "" if source is lead else f" of {code(source['article_id'])}"
                changed, diff = "", None
                if info[a].get("text") is not None and source.get("text") is not None:  # the texts are at hand
                    diff = compare_copy(info[a], source)
                    changes = difference_words(diff, pasted_from(diff.extra, others))
                    changed = f"; {', '.join(changes)}" if changes else "; same text"
                out.append(f"  - {copy_role(diff)}{of}: {info[a]['title']} ({_who(info[a])}, {info[a]['n_words']} words; {how}){changed}")
        out.append("")
    for heading, rows in conflicts_by_kind(conflicts):
        out += [f"### {heading}", ""]
        for row in rows:
            shown = [figure_text(v) for v in row["values"]]
            holders = row.get("value_article_ids") or []
            # who gives which value is said under it; only a table written before that says who gives any
            where = "" if len(holders) == len(shown) else f" (in {_givers(row['article_ids'], info)})"
            out.append(f"- {row['about']}: {' / '.join(shown)}{where}")
            holders = holders if where == "" else [[] for _ in shown]
            out += [f"  - {value}" + (f" ({_givers(ids, info)})" if ids else "") + f": \"{clip(said, 200)}\""
                    for value, said, ids in zip(shown, row.get("sentences") or [], holders)]
        out.append("")
    if facts:
        out += ["### Facts the other versions add", ""]
        # each fact once, under the first version report.html shows it in (adding_versions), the others after it
        shown, _ = adding_versions(members, story["canonical_article_id"], facts)
        order = [row["article_id"] for row, _ in shown]
        by_variant: dict[str, list[dict]] = {}
        for fact in facts:
            holder = next((a for a in order if a in fact["article_ids"]), fact["article_ids"][0])
            by_variant.setdefault(holder, []).append(fact)
        for article_id in sorted(by_variant, key=lambda a: (order.index(a) if a in order else len(order), a)):
            listed = by_variant[article_id]
            # the copies of this text holding every fact listed under it are said once, not under each fact
            group = info[article_id]["syndicate_id"]
            every = set.intersection(*(set(f["article_ids"]) for f in listed)) - {article_id}
            common = {a for a in every if a in info and info[a]["syndicate_id"] == group}
            said_once = (f" _(each fact below is also in {len(common)} more {'copy' if len(common) == 1 else 'copies'} of this "
                         "text)_") if common and len(listed) > 1 else ""
            common = common if said_once else set()
            out += [f"**{info[article_id]['title']}** ({_who(info[article_id])}){said_once}", ""]
            leaning = any(leans(f["text"]) for f in listed)  # most lists have none: no split
            keys = {sentence_key(f["text"]) for f in listed}
            before = _sentence_before(info[article_id].get("text"), keys) if leaning else {}
            quoted = _quotation_before(info[article_id].get("text"), [f["text"] for f in listed], keys)
            for fact in listed:
                also = _also_in(article_id, [a for a in fact["article_ids"] if a != article_id and a not in common], info)
                context = _context(fact["text"], before, quoted)
                out.append(f"- {fact['text']}{also}{detail_note(fact)}{context}")
            out.append("")
    return [no_html(line) for line in out]


# A sentence that leans on the one before it for whom it is about: "He added that ...", "'I think it would be
# better if he went,' he said.", "The Arizona Republican said ...".
_LEANS = re.compile(
    r"^[\"\u201c\u2018']?(?:(?:But|And|So|Yet|Still)\s+)?(?:He|She|They|His|Her|Their|Him|Them)\b"
    r"|^(?:But\s+)?[Tt]he\s+(?:[A-Z][\w.-]*\s+){0,2}(?i:republican|democrat|senator|lawmaker|official|spokesman|spokeswoman"
    r"|minister|governor|congressman|congresswoman|group|company|agency|ministry)\b(?!['\u2019]s\b|\s+(?:of|for|in)\b)"
    r"\s+(?:\w+\s+){0,2}?(?:said|says|added|told|wrote|noted|argued|insisted|called|urged|warned|announced|denied|claimed)\b"
    r"|[,\u201d\u2019\"'!?]\s*(?:he|she|they)\s+(?:said|says|added|told|wrote|noted|argued|continued|insisted)\b[^.!?]*[.!?]?$"
)


# ... or names nobody and tells of a person all the same: "A video circulating online showed him saying ...".
_PERSON = re.compile(r"\b(?:he|him|his|she|her)\b", re.I)
# A quotation that says nothing of who speaks: the sentence is all quotation, open to its end or closed there ('"In
# fact, in his decades of service, Special Agent Strzok has proved himself ...' after '"This decision ...," Goelman
# said.'); not one that words follow ('"It was a prank," the mayor reiterated.', '"Hamilton" opened on Broadway')
_ALL_QUOTATION = re.compile(r"^[\"\u201c][^\"\u201c\u201d]*(?:[\"\u201d][^\w]*)?$")


_FIRST_WORD = re.compile(r"[^\W\d_][\w'\u2019-]*")


def leans(text: str) -> bool:
    """Whether an added fact leans on the sentence before it for whom it is about (_LEANS), is a quotation saying
    nothing of who speaks, or names nobody and tells of someone by a pronoun (a capitalised word opening it may be a
    name: "Jackson told the judge that he ...")."""
    if _LEANS.search(text) or _ALL_QUOTATION.match(text):
        return True
    if not _PERSON.search(text) or names(text):
        return False
    first = _FIRST_WORD.search(text)
    return first is None or first.group(0) == "I" or first.group(0).lower() in stop_words()


def _sentence_before(text: str | None, listed: set[str]) -> dict[str, str]:
    """For each listed sentence of an article's text (by sentence key), the sentence before it there, unless that
    one is listed too (the list then shows it as well)."""
    if not text:
        return {}
    sentences = split_sentences(text)
    keys = [sentence_key(t) for t in sentences]
    return {key: sentences[i - 1] for i, key in enumerate(keys) if i and key in listed and keys[i - 1] not in listed}


def _open_quotation(head: str) -> int | None:
    """Where a quotation that `head` (a paragraph's text before a sentence) leaves open begins, or None: the last
    unmatched opening curly mark, or, in a text without curly marks, the last straight one after an odd number of
    them (inches, 3", are no quotation mark)."""
    if "\u201c" in head or "\u201d" in head:  # a text with curly marks writes its quotations so: a straight one is no quote
        depth, start = 0, None
        for mark in _CURLY_QUOTE.finditer(head):
            if mark.group() == "\u201c":
                depth, start = depth + 1, mark.start() if depth == 0 else start
            elif depth:
                depth -= 1
        return start if depth else None
    marks = [m.start() for m in _STRAIGHT_QUOTE.finditer(head)]
    return marks[-1] if len(marks) % 2 else None


_STRAIGHT_QUOTE = re.compile(r'(?<![\d\'])"')  # not inches or a height: 3" of rain, 6'5"
_CURLY_QUOTE = re.compile("[\u201c\u201d]")


def _quotation_before(text: str | None, facts: list[str], listed: set[str]) -> dict[str, str]:
    """For each added fact of an article said inside a quotation opened before it in its paragraph ('"And I'm
    serious. Everything will be put into writing.'), the quotation's start, from the sentence saying who speaks
    ('"I will no longer speak to the press," he told reporters Wednesday. "And I'm serious.'), unless the sentence
    just before the fact is listed too (the list shows it)."""
    out: dict[str, str] = {}
    for fact in facts:
        at = text.find(fact) if text else -1
        if at <= 0:
            continue
        para_start = text.rfind("\n", 0, at) + 1
        head = text[para_start:at]
        opened = _open_quotation(head)
        if opened is None:
            continue
        # the paragraph's sentences before the fact (the whole paragraph is split, as the facts stage split it: cached)
        end_at = text.find("\n", at)
        para = text[para_start : len(text) if end_at < 0 else end_at]
        sentences, starts, seen = [], [], 0
        for sentence in split_sentences(para):
            seen = para.find(sentence, seen)
            if seen < 0 or seen >= len(head):
                break
            sentences.append(sentence)
            starts.append(seen)
            seen += len(sentence)
        if not sentences or sentence_key(sentences[-1]) in listed:
            continue
        # the sentence holding the opening mark ...
        first = max((i for i, at_ in enumerate(starts) if at_ <= opened), default=0)
        shown = sentences[first:]
        if not head[starts[first] : opened].strip():
            # ... and the one before it, when the mark opens it: who speaks is said there
            if first:
                shown = sentences[first - 1 :]
            elif para_start > 1:
                shown = split_sentences(text[text.rfind("\n", 0, para_start - 1) + 1 : para_start - 1])[-1:] + shown
        out[sentence_key(fact)] = " ".join(shown)
    return out


def _context(text: str, before: dict[str, str], quoted: dict[str, str] | None = None) -> str:
    """For an added fact that leans on the sentence before it in its article, that sentence, so the reader knows who
    speaks: ' _(after: "Speaking on ABC's 'This Week,' Sen. John McCain ...")_', or for one said inside a quotation,
    the quotation's start (_quotation_before); report.html shows the text itself."""
    key = sentence_key(text)
    prior = (quoted or {}).get(key)
    if not prior:
        prior = before.get(key)
        if not prior or not leans(text):
            return ""
    shown = clip(prior, 200)
    # a sentence that is itself a quotation ('"I feel very badly," he said.') keeps its own marks, without ours
    return f" _(after: {shown})_" if shown[:1] in "\"\u201c" else f' _(after: "{shown}")_'


def detail_note(fact: dict) -> str:
    """What a reader of an added fact should know (Markdown, or ""): that the most complete version gives another
    figure for a count it gives, or, for a fact that version states, the figure this sentence adds to it."""
    note = fact_note(fact)
    return f" _({note})_" if note else ""


def render_markdown(
    articles: pl.DataFrame,
    stories: pl.DataFrame,
    facts: pl.DataFrame,
    conflicts: pl.DataFrame,
    rejects: pl.DataFrame,
    pairs: pl.DataFrame,
    documents: pl.DataFrame | None = None,
    sections: Sections | None = None,
) -> str:
    """A readable report: every story with its most complete version, copy groups, added facts, conflicts.
    documents: the run's documents, whose texts tell what each copy changes (left out without them); sections:
    stories rendered before, kept by the state."""
    summary = summarize(articles, stories, facts, conflicts, rejects)
    out = ["# newsdedup report", "", summary.line() + ".", ""]
    if documents is not None:
        articles = articles.join(documents.select("article_id", "text"), on="article_id", how="left")
    members, facts_by, conflicts_by = rows_by(articles, "story_id"), rows_by(facts, "story_id"), rows_by(conflicts, "story_id")
    pair_of = pairs_by_articles(pairs)
    pair_rows = pair_rows_by_story(pairs, members) if sections is not None else {}
    for story in stories.iter_rows(named=True):
        sid = story["story_id"]
        parts = (story, members[sid], facts_by.get(sid, []), conflicts_by.get(sid, []))
        out.append(story_section(sections, "md", parts, pair_rows, lambda: "\n".join(story_markdown(*parts, pair_of))))
    if rejects.height:
        out += ["## Rejected inputs", "", "| file | reason |", "|---|---|"]
        out += [no_html(f"| {cell(code(r['path']))} | {cell(r['reason'])} |") for r in rejects.sort("path").iter_rows(named=True)]
        out.append("")
    return "\n".join(out)


# "<" opening a tag in an article's words ("<img src=x onerror=...>", "</div>"): Markdown passes raw HTML on to a
# viewer. Escaped outside code spans (where it is shown as written, and a backslash would be too): "a < b" stays.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_BACKTICKS = re.compile(r"(?<!\\)`+|(?<=\\)``+")  # a run of them (after a backslash, from its second on)


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Where a line's code spans are, as CommonMark pairs backticks: a run opens one that the next run of the same
    length closes; a run with none after it is text ("```<img ...>` ..." opens no span)."""
    runs = [(m.start() + (line[m.start()] != "`"), m.end()) for m in _BACKTICKS.finditer(line)]
    following: dict[int, int] = {}  # each run's next run of its length, found from the end
    after: list[int | None] = [None] * len(runs)
    for i in range(len(runs) - 1, -1, -1):
        length = runs[i][1] - runs[i][0]
        after[i] = following.get(length)
        following[length] = i
    spans, i = [], 0
    while i < len(runs):
        close = after[i]
        if close is None:
            i += 1
            continue
        spans.append((runs[i][0], runs[close][1]))
        i = close + 1
    return spans


def no_html(markdown: str) -> str:
    """Markdown (a line, or lines that hold no code span across them) whose text opens no HTML tag: each "<" that
    would, outside code spans, escaped ("\\<img ...>" shows "<img ...>")."""
    if "<" not in markdown:
        return markdown
    out, at = [], 0
    for start, end in _code_spans(markdown):
        out += [_TAG_OPEN.sub(r"\\<", markdown[at:start]), markdown[start:end]]
        at = end
    out.append(_TAG_OPEN.sub(r"\\<", markdown[at:]))
    return "".join(out)


def rejects_table(rejects: pl.DataFrame) -> pl.DataFrame:
    """Rejects in a stable order."""
    return conform(rejects, REJECTS, "rejects").sort("path")


def facts_table(facts: pl.DataFrame) -> pl.DataFrame:
    """Facts by story, each story's in the order its variants state them."""
    return conform(facts, FACTS, "facts").sort("story_id", maintain_order=True)


def build_outputs(
    documents: pl.DataFrame, resolution: Resolution, rejects: pl.DataFrame, pairs: pl.DataFrame, html: bool = True,
    sections: Sections | None = None,
) -> tuple[dict[str, pl.DataFrame], dict[str, str], Summary]:
    """Every output of a run: the tables by name, the text reports by file name, and the summary counts.
    html=False leaves out report.html and its story pages (render_html_pages makes them on its own); sections: the
    stories' sections rendered by an earlier run (the state's), taken where their rows are the same."""
    articles = articles_table(documents, resolution.canon)
    stories = stories_table(documents, resolution.canon)
    facts, rejects = facts_table(resolution.facts), rejects_table(rejects)
    conflicts = conform(resolution.conflicts, CONFLICTS, "conflicts")
    tables = {
        "articles": articles, "stories": stories, "facts": facts, "conflicts": conflicts,
        "rejects": rejects, "copy_pairs": pairs,
    }
    compare_cache_clear()  # an earlier run's texts: both reports of this one ask what each copy changes, from these
    texts = {"report.md": render_markdown(articles, stories, facts, conflicts, rejects, pairs, documents, sections)}
    if html:
        texts.update(render_html_pages(documents, stories, facts, conflicts, rejects, pairs, sections))
    return tables, texts, summarize(articles, stories, facts, conflicts, rejects)


def run_summary_markdown(summary: Summary, timings: dict[str, float], output_dir: object) -> str:
    """What one run did, for the Prefect UI: counts, stage timings, where the outputs are."""
    rows = "\n".join(f"| {stage} | {seconds:.1f} |" for stage, seconds in timings.items())
    return (
        f"# newsdedup run\n\n{summary.line()}.\n\n"
        f"| articles | copy groups | copies | stories | added facts | conflicting figures | worded differently | rejects |\n"
        f"|---|---|---|---|---|---|---|---|\n"
        f"| {summary.articles} | {summary.copy_groups} | {summary.copies} | {summary.stories} | {summary.facts} "
        f"| {summary.conflicts} | {summary.reworded} | {summary.rejects} |\n\n"
        f"| stage | seconds |\n|---|---|\n{rows}\n\nOutputs: {code(output_dir)} (report.md, report.html, tables).\n"
    )


def largest_stories(stories: pl.DataFrame, top: int = 20) -> list[dict]:
    """The biggest stories as plain rows (for a Prefect table artifact)."""
    return [
        {
            "story_id": r["story_id"],
            "title": r["title"],
            "articles": r["n_articles"],
            "copy_groups": r["n_syndicates"],
            "sources": ", ".join(r["sources"]),
            "first_published": r["first_published"].isoformat() if r["first_published"] else "",
        }
        for r in stories.head(top).iter_rows(named=True)
    ]
