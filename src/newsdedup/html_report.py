"""The HTML report editors open to inspect clusters: self-contained files, no network, work from file://.

Up to ONE_PAGE_STORIES stories, report.html is one page: the story index with a filter, then every story in full. A
larger archive (a newsroom's few weeks of fifty feeds) would make that page hundreds of megabytes, more than a browser
opens; report.html then holds the index, and each story is a page of its own in stories/ (story_page).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

import numpy as np
import polars as pl

from newsdedup.facts import figure_text, figures_changed, has_time, pasted_from, publication_order, sentence_key
from newsdedup.normalize import (
    clip, counts, dateline_change, fold, is_boilerplate_line, numbers, paragraphs, split_sentences, unaccented, words,
)
from newsdedup.schema import (
    SECTIONS, conflict_counts, conflicts_by_kind, is_rolled_off_note, local_time, numbers_differing, pairs_by_articles,
    rows_by,
)
from newsdedup.store import PAGES


class Sections:
    """Story sections of the reports that an earlier run rendered, by a key of everything each is made from.

    Rendering a story (what each copy changes, the sentences an added fact leans on) is the costly part of the
    reports: every story of an archive of 20,000 articles takes minutes, and a scheduled run adding ten articles
    changes a few stories. The state keeps the sections; a run renders again only those whose rows changed.
    """

    def __init__(self, known: pl.DataFrame | None = None, code: str = "") -> None:
        """known: the sections kept (SECTIONS); code: a fingerprint of the code rendering them, part of every key, so
        that another version of newsdedup renders every story again."""
        self.known: dict[str, str] = dict(zip(known["key"].to_list(), known["text"].to_list())) if known is not None else {}
        self.code = code
        self.used: dict[str, str] = {}
        self.rendered = 0  # sections rendered by this run (not found among the known ones)

    def get(self, kind: str, parts: tuple, render: Callable[[], str]) -> str:
        """The section of this kind made from these parts (the story's rows: plain values, lists and dicts, in a
        stable order), rendered only when no earlier run rendered it from the same parts."""
        blob = json.dumps([self.code, kind, parts], default=str, ensure_ascii=False, separators=(",", ":"))
        key = hashlib.sha1(blob.encode("utf-8")).hexdigest()
        text = self.used.get(key)
        if text is None:
            text = self.known.get(key)
            if text is None:
                text = render()
                self.rendered += 1
            self.used[key] = text
        return text

    def table(self) -> pl.DataFrame:
        """The sections this run's reports hold (those of stories gone are dropped)."""
        return pl.DataFrame({"key": list(self.used), "text": list(self.used.values())}, schema=SECTIONS)


def pair_rows_by_story(pairs: pl.DataFrame, members: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """Each story's verified copy pairs as rows, in a stable order (part of its sections' keys); members: each story's
    article rows."""
    story_of = {r["article_id"]: sid for sid, rows in members.items() for r in rows}
    out: dict[str, list[dict]] = {}
    for row in pairs.sort(["article_id", "copy_of"]).iter_rows(named=True):
        story = story_of.get(row["article_id"])
        if story is not None:
            out.setdefault(story, []).append(row)
    return out


def story_section(sections: Sections | None, kind: str, parts: tuple, pair_rows: dict[str, list[dict]],
                  render: Callable[[], str]) -> str:
    """One story's section of a report: rendered, or the one kept for the same parts (story row, members, facts,
    conflicts) and copy pairs (pair_rows_by_story)."""
    if sections is None:
        return render()
    return sections.get(kind, (*parts, pair_rows.get(parts[0]["story_id"], [])), render)

_CSS = """
:root{--ink:#1d232a;--muted:#5b6570;--line:#dde2e7;--paper:#fff;--soft:#f5f7f9;--accent:#1f5fa8;
--mark:#fff0a8;--warn:#a24b00;--ok:#2f6b3a}
*{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--soft);color:var(--ink);
font:17px/1.6 -apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",Helvetica,Arial,sans-serif}
.wrap{max-width:52rem;margin:0 auto;padding:1.25rem 1rem 3rem}
h1,h2,h3,h4{line-height:1.25;margin:0 0 .5rem}
h1{font-size:1.6rem}
h2{font-size:1.3rem}
h3{font-size:1.05rem;margin-top:1.6rem;padding-bottom:.25rem;border-bottom:1px solid var(--line)}
h4{font-size:1rem;margin:0}
p{margin:.4rem 0}
a{color:var(--accent)}
code{font:.82em/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace;
background:var(--soft);padding:.05em .3em;border-radius:3px;overflow-wrap:anywhere}
.muted,.who{color:var(--muted);font-size:.9rem}
.summary{color:var(--muted);margin-bottom:1.25rem}
.card{background:var(--paper);border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin:0 0 1.25rem}
.filter label{display:block;font-weight:600;margin-bottom:.3rem}
.filter input{width:100%;font:inherit;padding:.5rem .7rem;border:1px solid #b8c0c8;border-radius:6px}
.filter input:focus{outline:2px solid var(--accent);outline-offset:1px}
table{width:100%;border-collapse:collapse;font-size:.92rem}
th,td{text-align:left;vertical-align:top;padding:.45rem .5rem;border-bottom:1px solid var(--line)}
th{font-size:.8rem;text-transform:uppercase;letter-spacing:.03em;color:var(--muted);font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.date{white-space:nowrap}
#index td a{font-weight:600;text-decoration:none}
#index td a:hover{text-decoration:underline}
#index td.flagged{color:var(--warn);font-weight:600}
.story>h2{margin-bottom:.2rem}
.canonical{border-left:4px solid var(--ok);background:#f3f8f4;padding:.75rem 1rem;border-radius:0 6px 6px 0;
margin-top:.9rem}
.canonical .label{font-size:.78rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--ok);
margin:0}
.headline{font-weight:600;margin:.15rem 0}
.why{margin-top:.5rem}
details{margin-top:.5rem}
summary{cursor:pointer;color:var(--accent);font-size:.92rem}
.text p{margin:.55rem 0}
.text p.quiet{color:#7a838c}
mark{background:var(--mark);color:var(--ink);padding:.05em .1em;border-radius:2px;border-bottom:2px solid #e8c94a;
box-decoration-break:clone;
-webkit-box-decoration-break:clone}
mark.detail{background:#fff8d9;border-bottom-style:dashed}
mark.differs{background:#fde4e1;border-bottom-color:#c0392b}
.note{font-size:.75rem;color:var(--muted)}
.also{font-size:.75rem;color:var(--muted);white-space:nowrap}
.group{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;margin:.7rem 0}
.group ul{list-style:none;margin:.4rem 0 0;padding:0}
.group li{border-top:1px dashed var(--line);padding:.5rem 0 .3rem}
.role{font-size:.75rem;font-weight:700;letter-spacing:.05em;text-transform:uppercase;color:var(--muted)}
.role code{text-transform:none;letter-spacing:0}
.tags{margin:.25rem 0}
.tag{display:inline-block;font-size:.78rem;line-height:1.3;padding:.1rem .45rem;margin:0 .3rem .25rem 0;
border-radius:999px;
background:#eef1f4;border:1px solid var(--line)}
.tag.changed{background:#fff3e6;border-color:#f0c99b;color:var(--warn)}
blockquote{margin:.3rem 0;padding:.2rem .7rem;border-left:3px solid #f0c99b;color:var(--muted);font-size:.92rem}
blockquote.gone{border-left-color:#c3cad1}
.variant{border-top:1px solid var(--line);padding-top:.8rem;margin-top:.8rem}
.variant:first-of-type{border-top:0;margin-top:0}
.legend{font-size:.85rem;color:var(--muted)}
.values{font-variant-numeric:tabular-nums}
@media (max-width:640px){
body{font-size:16px}
.wrap{padding:.75rem .6rem 2rem}
.card{padding:.8rem .85rem}
#index thead{display:none}
#index tr{display:block;padding:.5rem 0;border-bottom:1px solid var(--line)}
#index td{display:inline;border:0;padding:0;color:var(--muted)}
#index td:first-child{display:block;margin-bottom:.15rem}
#index td.num::after{content:" " attr(data-label)}
#index td:empty{display:none}
#index td.flagged{white-space:normal}
#index td:nth-child(n+3)::before{content:" \\00b7  "}
.conflicts thead{display:none}
.conflicts tr{display:block;padding:.4rem 0;border-bottom:1px solid var(--line)}
.conflicts td{display:block;border:0;padding:0}
.conflicts td:first-child{font-weight:600}
.conflicts td:last-child{font-size:.85rem}
}
""".strip()

# Narrows the index (and the story sections) to stories whose text holds every typed word.
_JS = """
(function(){
var box=document.getElementById('filter'),count=document.getElementById('shown'),none=document.getElementById('none');
var rows=[].slice.call(document.querySelectorAll('#index tbody tr')),seen={};
function hay(row){var id=row.getAttribute('data-story');
if(!(id in seen)){var s=document.getElementById(id);
seen[id]=(row.getAttribute('data-search')+' '+(s?s.textContent:'')).toLowerCase().replace(/\\s+/g,' ');}
return seen[id];}
function apply(){var terms=box.value.toLowerCase().split(/\\s+/).filter(Boolean),n=0;
rows.forEach(function(row){var h=hay(row),ok=terms.every(function(t){return h.indexOf(t)>=0;});
row.hidden=!ok;var s=document.getElementById(row.getAttribute('data-story'));if(s)s.hidden=!ok;if(ok)n++;});
count.textContent=n+' of '+rows.length+(rows.length===1?' story':' stories');none.hidden=n>0||rows.length===0;}
box.addEventListener('input',apply);apply();
})();
""".strip()


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


# The page may load nothing at all: only its own inline style and script run.
_CSP = f"default-src 'none'; style-src '{_sha256(_CSS)}'; script-src '{_sha256(_JS)}'; img-src data:"


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def day(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else "undated"


def when_published(row: dict) -> str:
    """An article's day, or "undated" with ingest's notes on why ("undated (dateline '...' gives no year)"), with
    its other notes (how its date was read), and that its feed no longer holds it ("2026-02-01, no longer in wire.xml: kept as last read")."""
    notes = row.get("notes") or []
    left = [n for n in notes if is_rolled_off_note(n)]
    why = [n for n in notes if n not in left]
    # a dated one's notes too: how its date was read ("date '03/02/2026' may give the day or the month first: ...")
    when = f"undated ({'; '.join(why)})" if row["published"] is None and why else day(local_time(row))
    if row["published"] is not None and why:
        when += f" ({'; '.join(why)})"
    return ", ".join([when, *left])


def story_days(members: list[dict]) -> str:
    """The days a story's articles came out, as their sources dated them: "2026-02-01", "2026-02-01 to 2026-02-03"."""
    days = sorted(day(when) for row in members if (when := local_time(row)) is not None)
    if not days:
        return "undated"
    return days[0] if days[0] == days[-1] else f"{days[0]} to {days[-1]}"


def _date_words(value: datetime | None) -> str:
    """A date in the forms an editor may type: 2026-02-01, 1 feb 2026, 1 february 2026."""
    if not value:
        return "undated"
    return f"{day(value)} {value.day} {value.strftime('%b %B %Y').lower()}"


UNKNOWN_OUTLET = "unknown outlet"


def outlet(row: dict) -> str:
    """The outlet's name, else the host of the article's URL."""
    if row.get("source"):
        return row["source"]
    host = urlsplit(row.get("url") or "").hostname
    return host.removeprefix("www.") if host else UNKNOWN_OUTLET


def by_outlet(article_ids: list[str], info: dict[str, dict]) -> list[tuple[str, list[str]]]:
    """Articles under their outlets, in the order the outlets first come: who gives a figure, in words an editor acts
    on ("Asia Herald: 031_ferry_b"), the ids kept to find each article."""
    out: dict[str, list[str]] = {}
    for a in article_ids:
        out.setdefault(outlet(info[a]) if a in info else UNKNOWN_OUTLET, []).append(a)
    return list(out.items())


def _who(row: dict) -> str:
    """Outlet, date, length and id of an article, as one muted line."""
    parts = [_e(outlet(row)), _e(when_published(row)), f"{row['n_words']} words"]
    if row.get("dateline"):
        parts.append(f"dateline {_e(row['dateline'])}")
    parts.append(f"<code>{_e(row['article_id'])}</code>")
    url = row.get("url") or ""
    if urlsplit(url).scheme in ("http", "https"):
        parts.append(f'<a href="{_e(url)}" rel="noopener noreferrer">original</a>')
    return " &middot; ".join(parts)


def group_order(rows: list[dict]) -> list[dict]:
    """A copy group's members in the order they were published: dated ones by their time (a wire story before
    its updates and the newspapers' copies), then the undated; at one time, the longest first, then by article id.
    Its first is shown as the original, and each copy against one of the members before it (copy_source)."""
    order = publication_order(rows)  # a day given alone ties with the times of that day: the longest first
    return sorted(rows, key=lambda r: (order[r["article_id"]] is None, order[r["article_id"]] or (0, 0.0), -r["n_words"], r["article_id"]))


def copy_groups(members: list[dict]) -> list[list[dict]]:
    """A story's copy groups of more than one member, the largest first, each in group_order: the order both
    reports show them in."""
    groups: dict[str, list[dict]] = {}
    for row in members:
        groups.setdefault(row["syndicate_id"], []).append(row)
    multi = [group_order(g) for g in groups.values() if len(g) > 1]
    return sorted(multi, key=lambda g: (-len(g), min(r["article_id"] for r in g)))


def original_reason(rows: list[dict], original: dict) -> str:
    """Why the first in group_order is shown as the group's original, in words: "first published" ("... of those
    dated" when some are not); when others were published at the same time (or on the same day, when only days are
    given) or nothing is dated, that it is the longest of those."""
    order = publication_order(rows)
    when = order[original["article_id"]]
    tied = [r for r in rows if r is not original and order[r["article_id"]] == when]
    if not tied:
        undated = sum(order[r["article_id"]] is None for r in rows)  # one of them may have come first
        return f"first published of those dated; {plural(undated, 'other')} undated" if undated else "first published"
    longest = "the longest" if all(r["n_words"] < original["n_words"] for r in tied) else "as long as the longest"
    if when is None:
        return f"{longest}; no version is dated"
    local = local_time(original)  # as its source dated it
    timed = has_time(local) and all(has_time(local_time(r)) for r in tied)  # else one of them gives its day alone
    same = f"at the same time ({local:%Y-%m-%d %H:%M})" if timed else f"the same day ({local:%Y-%m-%d})"
    return f"published {same} as {plural(len(tied), 'other')}: {longest} of them"


def copy_source(row: dict, earlier: list[dict], original: dict, pairs: dict[frozenset, dict]) -> dict:
    """The member of its copy group a copy reproduces: of the members before it in group_order (`earlier`) and
    verified as copies of it, the one holding most of its text (as the desk picks an original: shared phrases over
    the copy's, from the pair's containment and the two lengths), then the closest by Jaccard; so a wire's UPDATE 2
    is shown against UPDATE 1, and a newspaper's trimmed copy against the version it trimmed, and no two copies are
    each shown as the copy of the other. The group's original when none is."""

    def held(pair: dict, other: dict) -> float:
        return round(pair["containment"] * min(row["n_words"], other["n_words"]) / max(row["n_words"], 1), 2)

    found = [
        (held(pair, other), pair["jaccard"], other["article_id"] == original["article_id"], other)
        for other in earlier
        if (pair := pairs.get(frozenset((row["article_id"], other["article_id"]))))
    ]
    return max(found, key=lambda f: f[:3])[3] if found else original


def plural(n: int, word: str, words_: str | None = None) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {words_ or word + 's'}"


def story_size(n_articles: int, n_syndicates: int) -> str:
    """A story's articles and how many of them are copies: "5 articles, no copies", "7 articles, 4 of them copies"
    (a copy group of one article is no copy group to an editor)."""
    copies = n_articles - n_syndicates
    if n_articles == 1:
        return "1 article"
    if not copies:
        return f"{n_articles} articles, no copies"
    return f"{n_articles} articles, {copies} of them {'a copy' if copies == 1 else 'copies'}"


_TOKEN = re.compile(r"[a-z0-9]+")
_PHRASE = 5  # words in a phrase two texts must share for a word to count as shared, as in syndication
_SHORT_EDIT = 6  # differences shorter than this (in words) are rewording, not added text
_QUOTE_WORDS = 60


@dataclass(frozen=True)
class Run:
    """Consecutive words of one text that the other text does not have."""

    text: str
    n_words: int
    boilerplate: bool  # it lies in a line of publishing furniture
    whole_line: bool


@dataclass(frozen=True)
class Differences:
    """How a copy differs from the version it reproduces (copy_source)."""

    headline: str | None  # 'headline changed', or 'headline changed ("93" for "92")'; None when it is the same
    kept_share: float | None  # words of the copy over words of the original, when the copy is shorter
    extra: list[str]  # passages of the copy that are not in the original
    reworded: int  # words of the copy in small edits (a word or a phrase changed)
    boilerplate: list[str]  # lines of publishing furniture the original does not have
    missing: list[str]  # passages of the original that are not in the copy
    figures: list[str] = ()  # counts the copy gives another number for ("at least 23 people where the original ...")
    dateline: str | None = None  # 'dateline "KARACHI (Reuters)" added': a copy crediting another place or agency
    edits: list[Edit] = ()  # words changed, cut or added inside shared text: a correction's "not" cut (word_edits)
    ending_kept: bool = False  # a shorter copy that keeps the original's last words: cut inside, not trimmed from the bottom
    opening_cut: bool = False  # ... and lacks its first words: cut from the top (a lead paragraph dropped)

    @property
    def headline_changed(self) -> bool:
        return self.headline is not None


def _tokens(line: str) -> list[tuple[str, int, int]]:
    """The words of a line as normalize.words finds them, each with its character span in the line."""
    text = unaccented(fold(line).lower())
    if len(text) == len(line):  # nearly always: folding maps each character to one character
        return [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
    folded, where = [], []
    for i, ch in enumerate(line):
        for f in unaccented(fold(ch).lower()):
            folded.append(f)
            where.append(i)
    text = "".join(folded)
    return [(m.group(), where[m.start()], where[m.end() - 1] + 1) for m in _TOKEN.finditer(text)]


def _quote(line: str, toks: list[tuple[str, int, int]], start: int, end: int) -> str:
    """Words start..end-1 of a line as a readable quote, with ellipses where the line goes on."""
    if end - start > _QUOTE_WORDS:
        return _quote(line, toks, start, start + _QUOTE_WORDS).rstrip("…") + "…"
    lo, hi = toks[start][1], toks[end - 1][2]
    if start == 0:
        lo = 0
    while hi < len(line) and not line[hi].isspace() and not line[hi].isalnum():
        hi += 1  # closing punctuation and quotes
    if end == len(toks):
        hi = len(line)
    return ("…" if start > 0 else "") + line[lo:hi].strip() + ("…" if end < len(toks) else "")


@lru_cache(maxsize=4096)
def _line_words(text: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each paragraph of a text with its words (the words _tokens finds, without their spans); cached,
    because a group's original is compared with every copy, both ways."""
    out = []
    for line in paragraphs(text):
        folded = unaccented(fold(line).lower())
        found = _TOKEN.findall(folded) if len(folded) == len(line) else [w for w, _, _ in _tokens(line)]
        out.append((line, tuple(found)))
    return tuple(out)


_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd multiplier of the phrase hash (arithmetic wraps modulo 2**64)


@lru_cache(maxsize=4096)
def _phrase_codes(text: str, k: int) -> np.ndarray:
    """One 64-bit code per k-word phrase of a text, in text order (equal phrases, equal codes)."""
    flat = _line_words_flat(text)
    ids = np.fromiter(map(hash, flat), dtype=np.int64, count=len(flat)).view(np.uint64)
    n = len(flat) - k + 1
    codes = np.zeros(max(n, 0), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            codes = codes * _MIX + ids[j : j + n]
    return codes


@lru_cache(maxsize=4096)
def _sorted_codes(text: str, k: int) -> np.ndarray:
    return np.sort(_phrase_codes(text, k))


def _found_in(codes: np.ndarray, sorted_codes: np.ndarray) -> np.ndarray:
    """Which of a text's phrase codes the other text (its codes sorted) has."""
    if not len(sorted_codes):
        return np.zeros(len(codes), bool)
    return sorted_codes[np.minimum(np.searchsorted(sorted_codes, codes), len(sorted_codes) - 1)] == codes


def runs_not_in(text: str, other: str) -> list[Run]:
    """Passages of text whose words other does not have: words in no 5-word phrase the two share.

    Paragraphing, typography and dropped sentences do not count; an added paragraph or sentence does.
    """
    n_theirs = sum(len(line_words) for _, line_words in _line_words(other))
    lines = _line_words(text)
    n_ours = sum(len(line_words) for _, line_words in lines)
    k = max(1, min(_PHRASE, n_theirs, n_ours))
    # a word is covered when one of the k-word phrases holding it is shared
    ours, theirs = _phrase_codes(text, k), _sorted_codes(other, k)
    hits = _found_in(ours, theirs)
    covered = np.convolve(hits, np.ones(k, dtype=int))[:n_ours] > 0 if len(hits) else np.zeros(n_ours, bool)
    starts = np.cumsum([0] + [len(line_words) for _, line_words in lines])
    open_words = np.concatenate([[0], np.cumsum(~covered)])[starts]
    out = []
    for i in np.flatnonzero(np.diff(open_words)):  # only the lines holding a word the other text lacks
        line, line_words = lines[i]
        boilerplate = is_boilerplate_line(line)
        if open_words[i + 1] - open_words[i] == len(line_words) <= _QUOTE_WORDS:
            out.append(Run(line, len(line_words), boilerplate, True))  # a whole line: quoted as it is
            continue
        flags = covered[starts[i] : starts[i + 1]].tolist()
        toks = _tokens(line)  # spans only where part of a line is quoted
        j = 0
        while j < len(toks):
            if flags[j]:
                j += 1
                continue
            start = j
            while j < len(toks) and not flags[j]:
                j += 1
            whole = start == 0 and j == len(toks)
            out.append(Run(_quote(line, toks, start, j), j - start, boilerplate, whole))
    return out


@dataclass(frozen=True)
class Edit:
    """A few words changed, cut or added inside text a copy shares with its original, and the copy's sentence."""

    what: str  # '"not" cut', '"Hartford Courant" for "New Haven Register"', '"badly" added'
    sentence: str

    def __str__(self) -> str:
        return f'{self.what} in "{clip(self.sentence, 160)}"'


@lru_cache(maxsize=4096)
def _word_places(text: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """Where each word of a text (as _line_words has them) lies: the index of its paragraph in _line_words, for every
    word in order, and the paragraphs."""
    lines = _line_words(text)
    return np.repeat(np.arange(len(lines)), [len(w) for _, w in lines]), tuple(line for line, _ in lines)


@lru_cache(maxsize=4096)
def _code_order(text: str, k: int) -> np.ndarray:
    """The phrase positions of a text in the order of _sorted_codes (where each sorted code lies)."""
    return np.argsort(_phrase_codes(text, k), kind="stable")


def _spans(para: str, first: int, last: int) -> tuple[int, int] | None:
    """Where words first..last of a paragraph (as _tokens numbers them) lie: the start of the first, the end of the
    last; None past its end. The regex skips the words before them (no span is built for those)."""
    text = unaccented(fold(para).lower())
    if len(text) != len(para):  # rare: a character folded to two
        toks = _tokens(para)
        return (toks[first][1], toks[min(last, len(toks) - 1)][2]) if first < len(toks) else None
    found = list(islice(_TOKEN.finditer(text), first, last + 1))
    return (found[0].start(), found[-1].end()) if found else None


def _words_shown(text: str, start: int, end: int) -> tuple[str, str, int]:
    """Words start..end-1 of a text as written (a figure's other groups taken along: "40,000", not "40"), the paragraph
    holding the first of them, and where in it they start (start == end: where word `start` would be)."""
    where, paras = _word_places(text)
    at = min(start, len(where) - 1)
    para_no = int(where[at])
    para = paras[para_no]
    first_of_para = int(np.searchsorted(where, para_no, side="left"))
    i = at - first_of_para
    n_here = int(np.searchsorted(where, para_no, side="right")) - first_of_para
    j = min(end - first_of_para, n_here) - 1  # an edit never spans paragraphs past this one's end (cut there)
    span = _spans(para, i, max(i, j))
    if span is None:
        return "", para, len(para)
    if start == end:
        return "", para, span[0] if start < len(where) else len(para)
    lo, hi = span
    while lo >= 2 and para[lo - 1] in ",." and para[lo - 2].isdigit() and para[lo].isdigit():
        lo -= 2
        while lo > 0 and para[lo - 1].isdigit():
            lo -= 1
    while hi + 1 < len(para) and para[hi] in ",." and para[hi + 1].isdigit() and para[hi - 1].isdigit():
        hi += 2
        while hi < len(para) and para[hi].isdigit():
            hi += 1
    return para[lo:hi], para, lo


# Where a sentence may end, for quoting the one an edit is in: ". " after two small letters or digits, before a
# capital, a quotation or a figure; not after a title ("Mr. Smith", "Gov. Marsh"). A display cut, cheaper than the
# sentence splitter.
_SENTENCE_END = re.compile(r"(?<=[a-z0-9%)\]]{2}[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]*[A-Z0-9])")
_TITLE_BEFORE = re.compile(
    r"\b(?:Mrs|Gov|Sen|Rep|Gen|Sgt|Col|Capt|Corp|Gens|Reps|Sens|Govs|Supt|Det|Insp|Prof|Rev|Jan|Feb|Aug|Sept|Sep|Oct|Nov"
    r"|Dec|Ave|Blvd|No|Nos|Vol|Fig|approx|est)\.\Z"
)


def _sentence_at(para: str, at: int) -> str:
    """The sentence of a paragraph holding the character at `at`."""
    start = 0
    for end in _SENTENCE_END.finditer(para):
        if _TITLE_BEFORE.search(para, 0, end.start()):
            continue
        if end.start() > at:
            return para[start : end.start()].strip()
        start = end.end()
    return para[start:].strip()


def word_edits(text: str, theirs: str) -> list[Edit]:
    """The small edits that make text out of the original theirs, in text order: fewer than _SHORT_EDIT words
    changed, cut or added between runs of words both share, each with the copy's sentence. A correction ("he
    would not be sent" -> "he would be sent") or a reworded name; not a passage added or cut (said as added text,
    a trim or a cut), nor the text's ends (a trimmed bottom, a paragraph appended).

    Where: each stretch of the copy's _PHRASE-word phrases the original lacks lies between two phrases it has
    (anchors); the words between the anchors, in each text, are the edit. Phrases are compared by their codes
    (numpy, linear in the texts' length); only an edit's own paragraph is read for its words as written."""
    k = _PHRASE
    ours, theirs_sorted = _phrase_codes(text, k), _sorted_codes(theirs, k)
    if not len(ours) or not len(theirs_sorted):
        return []
    new = ~_found_in(ours, theirs_sorted)
    if not new.any():
        return []
    order = _code_order(theirs, k)

    def places(code: np.uint64) -> np.ndarray:  # where a phrase of the copy lies in the original
        lo, hi = np.searchsorted(theirs_sorted, code, side="left"), np.searchsorted(theirs_sorted, code, side="right")
        return order[lo:hi]

    flips = np.flatnonzero(np.diff(np.concatenate([[False], new, [False]]).astype(np.int8)))
    out = []
    for first, stop in zip(flips[::2], flips[1::2]):
        left, right = int(first) - 1, int(stop)  # the phrases before and after the stretch, shared with the original
        if left < 0 or right >= len(ours):
            if left >= 0 or right < len(ours):  # the text's first or last words: a word changed there, not a cut or an addition
                edge = _edge_edit(text, theirs, ours, left, right, places, k)
                if edge is not None:
                    out.append(edge)
            continue
        if right - left < k:
            continue  # anchors overlapping in the copy: a repeated phrase dropped or doubled, no words to name
        # the left anchor's place in the original with the right one's nearest after it (a phrase can recur: a
        # binary search per place, not every pair, so a table of repeated rows stays linear)
        rights = np.sort(places(ours[right]))
        best = None
        for i in places(ours[left]):
            at_r = np.searchsorted(rights, i + k)
            if at_r < len(rights) and (best is None or rights[at_r] - i < best[1] - best[0]):
                best = (int(i), int(rights[at_r]))
        if best is None:
            continue  # the shared words around it lie elsewhere in the original: moved text, no edit
        i, r = best
        n_was, n_now = r - (i + k), right - (left + k)
        if max(n_was, n_now) >= _SHORT_EDIT or not (n_was or n_now):
            continue
        was = _words_shown(theirs, i + k, r)[0] if n_was else ""
        # a cut: the sentence around the place it was cut from
        now, para, offset = _words_shown(text, left + k, right) if n_now else _words_shown(text, right - 1, right)
        what = f'"{was}" cut' if not n_now else f'"{now}" added' if not n_was else f'"{now}" for "{was}"'
        out.append(Edit(what, _sentence_at(para, offset)))
    return out


def _edge_edit(text: str, theirs: str, ours: np.ndarray, left: int, right: int, places, k: int) -> Edit | None:
    """A few words replaced in the copy's first or last words (a name corrected in the lead, a closing quote given to
    another speaker), between the text's edge and the phrase both share. Words only added or only cut there are a
    byline, a trim or an appended line, said elsewhere; so is a change of _SHORT_EDIT words or more."""
    mine, other = _line_words_flat(text), _line_words_flat(theirs)
    if left < 0:  # the start: the original's words before the right anchor's first place
        spots = places(ours[right])
        if not len(spots):
            return None
        was, now = (0, int(spots.min())), (0, right)
    else:  # the end: the original's words after the left anchor's last place
        spots = places(ours[left])
        if not len(spots):
            return None
        was, now = (int(spots.max()) + k, len(other)), (left + k, len(mine))
    # the words both share at the edge are no part of the edit: "Sheriff Joe Arpaio" -> "Sheriff Paul Babeu" is the name
    while was[0] < was[1] and now[0] < now[1] and other[was[0]] == mine[now[0]]:
        was, now = (was[0] + 1, was[1]), (now[0] + 1, now[1])
    while was[0] < was[1] and now[0] < now[1] and other[was[1] - 1] == mine[now[1] - 1]:
        was, now = (was[0], was[1] - 1), (now[0], now[1] - 1)
    n_was, n_now = was[1] - was[0], now[1] - now[0]
    if not n_was or not n_now or max(n_was, n_now) >= _SHORT_EDIT:
        return None
    shown_was = _words_shown(theirs, *was)[0]
    shown_now, para, offset = _words_shown(text, *now)
    return Edit(f'"{shown_now}" for "{shown_was}"', _sentence_at(para, offset))


def _line_words_flat(text: str) -> list[str]:
    return [w for _, line_words in _line_words(text) for w in line_words]


def _added(run: Run) -> bool:
    return run.whole_line or run.n_words >= _SHORT_EDIT


def compare_copy(copy: dict, original: dict) -> Differences:
    """What differs between a copy and its original: headline, length, added passages, boilerplate, figures.
    Remembered for the pair: report.md and report.html both ask."""
    return _compare(copy["title"] or "", copy["text"], copy["n_words"], original["title"] or "", original["text"],
                    original["n_words"], copy.get("dateline"), original.get("dateline"))


def _lead_title(title: str | None, text: str) -> bool:
    """Whether an article's title is its text's first words: ingest's title for a text without a headline."""
    head = words(title or "")
    return bool(head) and words(text)[: len(head)] == head


def headline_change_words(title: str | None, text: str, their_title: str | None, theirs: str) -> str | None:
    """'headline changed' when it did (headline_changed; else None), with the figures it changed when it changed
    some: a correction's 'headline changed ("93" for "92")' (a "CORRECTED-" headline giving 93 militants where the
    original gave 92). Not against a title that is its text's first words (ingest's, for a text without a headline:
    "... marking one…" gives no figure "1")."""
    from newsdedup.report import _VERSION_PREFIX  # "UPDATE 2-" numbers a version, not a figure

    if not headline_changed(title, text, their_title, theirs):
        return None
    if _lead_title(title, text) or _lead_title(their_title, theirs):
        return "headline changed"
    mine, theirs = (numbers(_VERSION_PREFIX.sub("", t or "")) for t in (title, their_title))
    if not (mine - theirs and theirs - mine):
        return "headline changed"
    return f'headline changed ("{", ".join(sorted(mine - theirs))}" for "{", ".join(sorted(theirs - mine))}")'


def headline_changed(title: str | None, text: str, their_title: str | None, theirs: str) -> bool:
    """Whether a copy's headline differs from its original's, word for word. Of two texts without a headline (ingest
    titles each by its first words) a changed lead is an edit (word_edits), not a headline."""
    return words(title or "") != words(their_title or "") and not (_lead_title(title, text) and _lead_title(their_title, theirs))


@lru_cache(maxsize=None)  # emptied when a run's reports are begun (report.build_outputs)
def _compare(title: str, text: str, n_words: int, their_title: str, theirs: str, their_words: int,
             dateline: str | None = None, their_dateline: str | None = None) -> Differences:
    runs = runs_not_in(text, theirs)
    missing = [r.text for r in runs_not_in(theirs, text) if _added(r)]
    shorter = n_words < their_words and their_words and missing
    return Differences(
        dateline=dateline_change(dateline, their_dateline),
        headline=headline_change_words(title, text, their_title, theirs),
        # trimmed: shorter, and passages of the original gone (690 of 692 words, two words reworded, is no trim)
        kept_share=n_words / their_words if shorter else None,
        ending_kept=bool(shorter) and keeps_ending(text, theirs),
        opening_cut=bool(shorter) and not keeps_opening(text, theirs),
        extra=[r.text for r in runs if not r.boilerplate and _added(r)],
        reworded=sum(r.n_words for r in runs if not r.boilerplate and not _added(r)),
        boilerplate=[r.text for r in runs if r.boilerplate],
        missing=missing,
        figures=_figures_changed(text, theirs) if any(not r.boilerplate for r in runs) else [],
        # a cut word leaves no run (every word of "he would be sent" is in a phrase the original has), but a phrase
        # the original lacks: word_edits looks for those first (none in a copy that is the original trimmed, or whole)
        edits=word_edits(text, theirs),
    )


def _holds_phrase(text: str, phrase: list[str]) -> bool:
    return bool(phrase) and f" {' '.join(phrase)} " in f" {' '.join(words(text))} "


def keeps_ending(text: str, theirs: str) -> bool:
    """Whether text holds the last words of theirs (a phrase of _PHRASE words): a copy that lacks passages of its
    original but ends as it does lost them inside (a paragraph cut from the middle), not from the bottom."""
    return _holds_phrase(text, words(theirs)[-_PHRASE:])


def keeps_opening(text: str, theirs: str) -> bool:
    """Whether text holds the first words of theirs (a phrase of _PHRASE words): one that ends as its original does
    but lacks its opening was cut from the top (its lead paragraph dropped), not inside."""
    return _holds_phrase(text, words(theirs)[:_PHRASE])


def shortened_words(share: float, ending_kept: bool, opening_cut: bool = False, of: str = " %") -> str:
    """'trimmed to 62 %' (its bottom gone), 'cut inside to 94 % (its ending kept)', or 'top cut to 92 % (its opening
    gone)' (its ending kept, its first words not); `of` follows the figure (" % of the original" at the desk)."""
    if ending_kept and opening_cut:
        return f"top cut to {_percent(share)}{of} (its opening gone)"
    return f"cut inside to {_percent(share)}{of} (its ending kept)" if ending_kept else f"trimmed to {_percent(share)}{of}"


def compare_cache_clear() -> None:
    """Forget the copies compared so far, and the versions' words looked up for pasted text (an earlier run's: their
    texts need not stay in memory; a report.html rendered after build_outputs still finds this run's)."""
    from newsdedup.facts import _flat_words, _pasted_keys

    _compare.cache_clear()
    _word_places.cache_clear()
    _code_order.cache_clear()
    _flat_words.cache_clear()
    _pasted_keys.cache_clear()


def _figures_changed(text: str, theirs: str) -> list[str]:
    """facts.figures_changed for the copy's sentences that count something and that the original does not hold word
    for word (most copies have none: the cheap figures test first)."""
    mine = [s for s in split_sentences(text) if counts(s)]
    if not mine:
        return []
    flat = f" {sentence_key(theirs)} "
    mine = [s for s in mine if f" {sentence_key(s)} " not in flat]
    return figures_changed(mine, split_sentences(theirs)) if mine else []


def pasted_words(pasted: list[dict], quote: str = "`") -> str:
    """' (also in `002_...` (Reuters))' for the versions a copy's new text comes from (pasted_from)."""
    named = [f"{quote}{r['article_id']}{quote} ({outlet(r)})" for r in pasted[:2]]
    more = f", and {len(pasted) - 2} more" if len(pasted) > 2 else ""
    return f" (also in {', '.join(named)}{more})" if pasted else ""


def _percent(share: float) -> int:
    """A share in whole percent, never 100 for less than all ("trimmed to 99 %", not to 100 %)."""
    return min(99, round(100 * share)) if share < 1 else 100


def copy_role(diff: Differences | None) -> str:
    """What a copy is to the version it reproduces, as the desk says it: an "update" when it adds text or gives
    another figure (a wire's UPDATE 1, an outlet's copy with a paragraph of its own), else a "copy"."""
    return "update" if diff is not None and (diff.extra or diff.figures) else "copy"


def difference_words(diff: Differences, pasted: list[dict] = ()) -> list[str]:
    """A copy's differences from its original in a few words each, as the Markdown report lists them; pasted: the
    versions its added text comes from (pasted_from)."""
    out = [diff.headline] if diff.headline else []
    if diff.dateline:
        out.append(diff.dateline)
    if diff.kept_share is not None:
        out.append(shortened_words(diff.kept_share, diff.ending_kept, diff.opening_cut))
    if diff.extra:
        out.append(f"{plural(sum(len(words(t)) for t in diff.extra), 'word')} added{pasted_words(list(pasted))}")
    if diff.edits:  # the words themselves: a correction is read, not counted
        out.append(edits_words(diff.edits))
    elif diff.reworded:
        out.append(f"{plural(diff.reworded, 'word')} reworded")
    if diff.boilerplate:
        out.append(f"{plural(len(diff.boilerplate), 'line')} of boilerplate")
    return out + list(diff.figures)


_EDITS_SHOWN = 3


def edits_words(edits: list[Edit]) -> str:
    """'2 edits: "not" cut in "..."; ...', the first few quoted."""
    more = f"; and {len(edits) - _EDITS_SHOWN} more" if len(edits) > _EDITS_SHOWN else ""
    return f"{plural(len(edits), 'edit')}: " + "; ".join(map(str, edits[:_EDITS_SHOWN])) + more


def _difference_html(diff: Differences, copy: dict, original: dict, pasted: list[dict] = ()) -> str:
    tags, quotes = [], []
    if diff.headline:
        tags.append(f'<span class="tag changed">{_e(diff.headline)}</span>')
    if diff.dateline:
        tags.append(f'<span class="tag changed">{_e(diff.dateline)}</span>')
    if diff.kept_share is not None:
        tags.append(
            f'<span class="tag changed">{_e(shortened_words(diff.kept_share, diff.ending_kept, diff.opening_cut))} '
            f"({copy['n_words']} of {original['n_words']} words)</span>"
        )
    if diff.extra:
        n = sum(len(words(text)) for text in diff.extra)
        source = ", ".join(f'<code>{_e(r["article_id"])}</code> ({_e(outlet(r))})' for r in pasted[:2])
        source = f", also in {source}" + (f", and {len(pasted) - 2} more" if len(pasted) > 2 else "") if pasted else ""
        tags.append(f'<span class="tag changed">extra text: {plural(n, "word")} not in the original{source}</span>')
        quotes += diff.extra
    if diff.edits:
        tags += [f'<span class="tag changed">{_e(edit.what)}</span>' for edit in diff.edits[:_EDITS_SHOWN]]
        if len(diff.edits) > _EDITS_SHOWN:
            tags.append(f'<span class="tag changed">and {plural(len(diff.edits) - _EDITS_SHOWN, "more edit")}</span>')
        quotes += list(dict.fromkeys(edit.sentence for edit in diff.edits))
    elif diff.reworded:
        tags.append(f'<span class="tag">reworded: {plural(diff.reworded, "word")}</span>')
    tags += [f'<span class="tag changed">{_e(text)}</span>' for text in diff.figures]
    if diff.boilerplate:
        tags.append(f'<span class="tag">boilerplate: {plural(len(diff.boilerplate), "line")}</span>')
        quotes += diff.boilerplate
    if not tags:
        tags.append('<span class="tag">same text</span>')
    shown = "".join(f"<blockquote>{_e(text)}</blockquote>" for text in quotes[:3])
    if len(quotes) > 3:
        shown += f'<p class="muted">and {len(quotes) - 3} more passages</p>'
    # A passage or two the copy lacks says more than a percentage (an update it predates, a cut paragraph).
    if diff.missing and len(diff.missing) <= 2 and sum(len(words(t)) for t in diff.missing) <= 2 * _QUOTE_WORDS:
        shown += '<p class="muted">In the original, not in this copy:</p>' + "".join(
            f'<blockquote class="gone">{_e(t)}</blockquote>' for t in diff.missing
        )
    return f'<div class="tags">{"".join(tags)}</div>{shown}'


def _similarity(pair: dict | None) -> str:
    if pair is None:
        return "joined through another copy of the group"
    return f"Jaccard {pair['jaccard']:.2f} &middot; containment {pair['containment']:.2f}"


def _copy_groups(members: list[dict], pairs: dict[frozenset, dict]) -> str:
    if len(members) == 1:
        return ""
    multi = copy_groups(members)
    if not multi:
        return '<section><h3>Copy groups</h3><p class="muted">None: every version was written on its own.</p></section>'
    out = [
        "<section><h3>Copy groups</h3>",
        '<p class="legend">The same text republished, in the order it was published. Each copy is compared with '
        "the version it reproduces: of those published before it, the one holding most of its text (a wire update "
        "with the version before it); an update is a copy that adds text or gives another figure. "
        "Jaccard: share of 5-word phrases the two texts have in common; containment: share of the shorter "
        "text found inside the longer.</p>",
    ]
    for group in multi:
        lead = group[0]  # in group_order
        others = [m for m in members if m["syndicate_id"] != lead["syndicate_id"]]  # where added text may come from
        out.append(
            f'<div class="group"><span class="role">Original ({original_reason(group, lead)})</span>'
            f'<p class="headline">{_e(lead["title"])}</p><p class="who">{_who(lead)}</p><ul>'
        )
        for i, row in enumerate(group[1:], start=1):
            source = copy_source(row, group[:i], lead, pairs)
            diff = compare_copy(row, source)
            pasted = pasted_from(diff.extra, others)
            of = "" if source is lead else f' of <code>{_e(source["article_id"])}</code>'
            out.append(
                f'<li><span class="role">{copy_role(diff).capitalize()}{of}</span><p class="headline">{_e(row["title"])}</p>'
                f'<p class="who">{_who(row)}</p>'
                f'<p class="who">{_similarity(pairs.get(frozenset((row["article_id"], source["article_id"]))))}</p>'
                f"{_difference_html(diff, row, source, pasted)}</li>"
            )
        out.append("</ul></div>")
    out.append("</section>")
    return "".join(out)


def _fact_spans(para: str, wanted: dict[str, str]) -> list[tuple[int, int, str]]:
    """(start, end, key) of the sentences of a paragraph that state the wanted facts (key -> fact text)."""
    spans = [(at, at + len(text), key) for key, text in wanted.items() if (at := para.find(text)) >= 0]
    if len(spans) == len(wanted):
        return spans
    # Worded a little differently (quotes, dashes, case): find the sentence as the facts stage split it.
    spans, cursor = [], 0
    for sent in split_sentences(para):
        at = para.find(sent, cursor)
        if at < 0:
            continue
        cursor = at + len(sent)
        if (key := sentence_key(sent)) in wanted:
            spans.append((at, cursor, key))
    return spans


def detail_text(figures: list[str]) -> str:
    """Why a sentence of a fact the most complete version states is listed ("... without the figure 33"): the
    figure may be one it leaves out or one it gives otherwise (then also a conflicting figure)."""
    said = f"the figure {figures[0]}" if len(figures) == 1 else f"the figures {', '.join(figures[:-1])} and {figures[-1]}"
    return f"the most complete version states this fact, without {said}"


def differs_text(figures: list[str]) -> str:
    """Why an added fact's figure needs a second look: "the most complete version gives at least 145 people"."""
    return f"the most complete version gives {' / '.join(figures)}"


def fact_note(fact: dict) -> str | None:
    """The note an added fact carries in the reports: another figure than the most complete version's (first), or a
    figure it adds to a fact that version states; None for neither."""
    notes = []
    if fact.get("differs_from"):
        notes.append(differs_text(fact["differs_from"]))
    if fact.get("detail_figures"):
        notes.append(detail_text(fact["detail_figures"]))
    return "; ".join(notes) or None


def mark_facts(
    text: str, fact_texts: list[str], notes: dict[str, tuple[str, str]] | None = None
) -> tuple[list[tuple[str, bool]], set[str]]:
    """The text's paragraphs as HTML with each sentence stating one of the facts wrapped in <mark> (with the
    fact's class and note, if `notes` has them, as its class and title).

    Returns (paragraph html, whether it holds a mark) and the keys of the facts found.
    """
    notes = {sentence_key(t): note for t, note in (notes or {}).items()}
    keys = {sentence_key(t): t for t in fact_texts}
    found: set[str] = set()
    out = []
    for para in paragraphs(text):
        said = f" {sentence_key(para)} "
        wanted = {k: t for k, t in keys.items() if f" {k} " in said}
        parts, cursor = [], 0
        for start, end, key in sorted(_fact_spans(para, wanted)) if wanted else []:
            if start < cursor:
                continue
            note = f' class={notes[key][0]} title="{_e(notes[key][1])}"' if key in notes else ""
            parts += [_e(para[cursor:start]), f"<mark{note}>{_e(para[start:end])}</mark>"]
            cursor = end
            found.add(key)
        parts.append(_e(para[cursor:]))
        out.append(("".join(parts), cursor > 0))
    return out, found


def _detail_span(note: str | None) -> str:
    return f" <span class=note>({_e(note)})</span>" if note else ""


def _variant(row: dict, facts: list[dict], copies: set[str]) -> str:
    """One version's text with the facts it adds marked; copies: the ids of its own copy group."""
    notes = {
        f["text"]: ("differs" if f.get("differs_from") else "detail", note) for f in facts if (note := fact_note(f))
    }
    paras, found = mark_facts(row["text"], [f["text"] for f in facts], notes)
    dashed = sum(sentence_key(t) in found for t, (kind, _) in notes.items() if kind == "detail")
    differ = sum(sentence_key(t) in found for t, (kind, _) in notes.items() if kind == "differs")
    body = "".join(f'<p{"" if marked else " class=quiet"}>{html}</p>' for html, marked in paras)
    others = {f["fact_id"]: [a for a in f["article_ids"] if a not in copies] for f in facts}
    shared = [f for f in facts if others[f["fact_id"]]]
    note = f", {len(shared)} also in other write-ups" if shared else ""
    out = [
        f'<div class="variant"><h4>{_e(row["title"])}</h4><p class="who">{_who(row)}</p>',
        f'<p class="muted">adds {plural(len(facts), "fact")}{note}; highlighted below'
        + (f" ({differ} in red: another figure than the most complete version's)" if differ else "")
        + (f" ({dashed} dashed: a figure the most complete version lacks, in a fact it states)" if dashed else "")
        + ".</p>",
        f'<div class="text">{body}</div>',
    ]
    missing = [f for f in facts if sentence_key(f["text"]) not in found]
    if missing:
        out.append('<p class="muted">Also states, worded differently:</p><ul>')
        out += [f"<li>{_e(f['text'])}{_detail_span(fact_note(f))}</li>" for f in missing]
        out.append("</ul>")
    if shared:
        out.append('<details><summary>Facts other write-ups share</summary><ul class="muted">')
        out += [
            f"<li>{_e(f['text'])} <span class=also>also in "
            + ", ".join(f"<code>{_e(a)}</code>" for a in others[f["fact_id"]])
            + "</span></li>"
            for f in shared
        ]
        out.append("</ul></details>")
    out.append("</div>")
    return "".join(out)


def adding_versions(
    members: list[dict], canonical_id: str, story_facts: list[dict]
) -> tuple[list[tuple[dict, list[dict]]], list[dict]]:
    """The versions shown with the facts they add, most adding first, and those adding nothing beyond them: within
    a copy group, only the members that add something their group's already shown members do not (a wire update
    holding its original's text and more is shown, not its original). Both reports list facts under these."""
    by_article: dict[str, list[dict]] = {}
    for fact in story_facts:
        for a in fact["article_ids"]:
            by_article.setdefault(a, []).append(fact)
    shown, quiet = [], []
    groups: dict[str, list[dict]] = {}
    for row in members:
        if row["article_id"] != canonical_id:
            groups.setdefault(row["syndicate_id"], []).append(row)
    def most_adding(row: dict) -> tuple:
        return (-len(by_article.get(row["article_id"], [])), -row["n_words"], row["article_id"])

    for group in groups.values():
        seen: set[str] = set()
        for row in sorted(group, key=most_adding):
            facts = by_article.get(row["article_id"], [])
            new = {f["fact_id"] for f in facts} - seen
            if new:
                shown.append((row, facts))
                seen |= new
            else:
                quiet.append(row)
    return sorted(shown, key=lambda rf: (-len(rf[1]), rf[0]["article_id"])), quiet


def _variants(members: list[dict], canonical_id: str, story_facts: list[dict]) -> str:
    """Each version that adds facts, with them highlighted in its text (adding_versions)."""
    shown, quiet = adding_versions(members, canonical_id, story_facts)
    if not shown and not quiet:
        return ""
    out = ["<section><h3>What the other versions add</h3>"]
    group_ids = {}
    for row in members:
        group_ids.setdefault(row["syndicate_id"], set()).add(row["article_id"])
    for row, facts in shown:
        out.append(_variant(row, facts, group_ids[row["syndicate_id"]]))
    if quiet:
        out.append('<div class="variant"><h4>Adding nothing beyond the versions above</h4><ul class="muted">')
        out += [f"<li>{_e(r['title'])} &middot; {_who(r)}</li>" for r in sorted(quiet, key=lambda r: r["article_id"])]
        out.append("</ul></div>")
    out.append("</section>")
    return "".join(out)


def _conflicts(rows: list[dict], info: dict[str, dict]) -> str:
    """Figures the versions give differently: different numbers first, then one number worded differently; who gives
    each, by outlet (info: the story's articles by id)."""

    def who(ids: list[str]) -> str:  # by outlet, when one is known
        return "; ".join(("" if name == UNKNOWN_OUTLET else f"{_e(name)} ") + ", ".join(f"<code>{_e(a)}</code>" for a in mine)
                         for name, mine in by_outlet(ids, info))

    out = []
    for heading, mine in conflicts_by_kind(rows):
        out += [
            f"<section><h3>{heading}</h3>",
            '<table class="conflicts"><thead><tr><th>About</th><th>Figures given</th><th>In</th></tr></thead><tbody>',
        ]
        for row in mine:
            said = row.get("sentences") or []
            shown = [figure_text(v) for v in row["values"]]
            values = " / ".join(
                f'<span title="{_e(t)}">{_e(v)}</span>' if t else _e(v)
                for v, t in zip(shown, said + [""] * (len(shown) - len(said)))
            )
            holders = row.get("value_article_ids") or []
            if len(holders) == len(shown):  # who gives which figure
                ids = "<br>".join(f"{_e(v)}: {who(mine)}" for v, mine in zip(shown, holders))
            else:
                ids = who(row["article_ids"])
            out.append(f'<tr><td>{_e(row["about"])}</td><td class="values">{values}</td><td>{ids}</td></tr>')
        out.append("</tbody></table></section>")
    return "".join(out)


def _anchor(story_id: str) -> str:
    return "story-" + re.sub(r"[^A-Za-z0-9_-]", "_", story_id)


ONE_PAGE_STORIES = 300  # above this many stories, each story's section is a page of its own (story_page)
_BACK = "../report.html#index"  # from a story's page to the index


def story_page(story_id: str) -> str:
    """The file name, relative to report.html, of a story's own page."""
    return f"{PAGES}/{_anchor(story_id)}.html"


def _story(
    story: dict, members: list[dict], story_facts: list[dict], conflicts: list[dict], pairs: dict, back: str = "#index"
) -> str:
    info = {r["article_id"]: r for r in members}
    canon = info[story["canonical_article_id"]]
    sources = ", ".join(story["sources"] or []) or "unknown"
    paras = "".join(f"<p>{_e(p)}</p>" for p in paragraphs(canon["text"]))
    return "".join(
        [
            f'<article class="story card" id="{_e(_anchor(story["story_id"]))}">',
            f'<h2>{_e(story["title"])}</h2>',
            f'<p class="muted">{story_size(story["n_articles"], story["n_syndicates"])}'
            f" &middot; {_e(story_days(members))} &middot; sources: {_e(sources)}"
            f' &middot; <code>{_e(story["story_id"])}</code></p>',
            '<div class="canonical"><p class="label">Most complete version</p>',
            f'<p class="headline">{_e(canon["title"])}</p><p class="who">{_who(canon)}</p>',
            f'<p class="why"><strong>Why this one:</strong> {_e(story["canonical_reason"])}.</p>',
            f'<details><summary>Read its full text</summary><div class="text">{paras}</div></details></div>',
            _conflicts(conflicts, info),
            _copy_groups(members, pairs),
            _variants(members, canon["article_id"], story_facts),
            f'<p class="muted"><a href="{_e(back)}">Back to the story index</a></p></article>',
        ]
    )


def _index_row(story: dict, members: list[dict], conflicts: list[dict], pages: bool = False) -> str:
    differ = numbers_differing(conflicts)
    search = " ".join(
        [story["story_id"], story["title"] or "", "conflicting figures" if differ else ""]
        + [
            f"{r['article_id']} {r['title'] or ''} {outlet(r)} {r['dateline'] or ''} {_date_words(local_time(r))}"
            for r in members
        ]
    )
    sources = ", ".join(story["sources"] or []) or "sources unknown"
    return (
        f'<tr data-story="{_e(_anchor(story["story_id"]))}" data-search="{_e(search.lower())}">'
        f'<td><a href="{_e(story_page(story["story_id"]) if pages else "#" + _anchor(story["story_id"]))}">'
        f'{_e(story["title"])}</a></td>'
        f'<td class="num" data-label="articles">{story["n_articles"]}</td>'
        f'<td class="num" data-label="versions">{story["n_syndicates"]}</td>'
        f'<td class="sources">{_e(sources)}</td>'
        f'<td class="date">{_e(story_days(members))}</td>'
        # the stories whose outlets give a count differently stand out; an empty cell is not shown
        f'<td class="num flagged" data-label="{"conflicting figure" if differ == 1 else "conflicting figures"}">'
        f'{differ or ""}</td></tr>'
    )


def _rejects(rejects: pl.DataFrame) -> str:
    if rejects.height == 0:
        return ""
    rows = "".join(
        f"<tr><td><code>{_e(r['path'])}</code></td><td>{_e(r['reason'])}</td></tr>"
        for r in rejects.sort("path").iter_rows(named=True)
    )
    return (
        '<section class="card" id="rejects"><h2>Rejected inputs</h2>'
        f"<table><thead><tr><th>File</th><th>Reason</th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def render_html(
    documents: pl.DataFrame,
    stories: pl.DataFrame,
    facts: pl.DataFrame,
    conflicts: pl.DataFrame,
    rejects: pl.DataFrame,
    pairs: pl.DataFrame,
    sections: Sections | None = None,
) -> str:
    """The whole report as one HTML page: story index with a filter, then every story in full, then rejects.

    documents: the pipeline's documents (with text, syndicate_id, story_id); stories, facts, conflicts,
    rejects: the output tables; pairs: the verified copy pairs; sections: stories rendered before, kept by the state.
    """
    return render_html_pages(documents, stories, facts, conflicts, rejects, pairs, sections, one_page=None)["report.html"]


def render_html_pages(
    documents: pl.DataFrame,
    stories: pl.DataFrame,
    facts: pl.DataFrame,
    conflicts: pl.DataFrame,
    rejects: pl.DataFrame,
    pairs: pl.DataFrame,
    sections: Sections | None = None,
    one_page: int | None = ONE_PAGE_STORIES,
) -> dict[str, str]:
    """The HTML report by file name: report.html alone while there are at most one_page stories (None: any number),
    else report.html with the index and rejects, and a page per story (story_page). Arguments as for render_html."""
    members = rows_by(documents.sort("article_id"), "story_id")
    facts_by, conflicts_by = rows_by(facts, "story_id"), rows_by(conflicts, "story_id")
    pair_of = pairs_by_articles(pairs)
    # Biggest first, then newest; undated stories after dated ones of the same size.
    def newest_of_biggest(s: dict) -> tuple:
        last = s["last_published"]
        return (-s["n_articles"], last is None, -last.timestamp() if last else 0.0, s["story_id"])

    ordered = sorted(stories.iter_rows(named=True), key=newest_of_biggest)
    paged = one_page is not None and len(ordered) > one_page
    sizes = documents.group_by("syndicate_id").len().filter(pl.col("len") > 1)
    n_copies = int(sizes["len"].sum() - sizes.height) if sizes.height else 0
    differ, worded = conflict_counts(conflicts)
    reworded = f" ({worded} more worded differently)" if worded else ""
    summary = (
        f"{plural(documents.height, 'article')} &middot; {plural(sizes.height, 'copy group')} "
        f"({plural(n_copies, 'copy', 'copies')}) &middot; {plural(len(ordered), 'story', 'stories')} &middot; "
        f"{plural(facts.height, 'added fact')} &middot; {plural(differ, 'conflicting figure')}{reworded} &middot; "
        f"{plural(rejects.height, 'rejected input')}"
    )
    index = "".join(
        _index_row(s, members[s["story_id"]], conflicts_by.get(s["story_id"], []), paged) for s in ordered
    )
    pair_rows = pair_rows_by_story(pairs, members) if sections is not None else {}

    def section(s: dict) -> str:
        sid = s["story_id"]
        parts = (s, members[sid], facts_by.get(sid, []), conflicts_by.get(sid, []))
        if paged:
            return story_section(sections, "html page", parts, pair_rows, lambda: _story(*parts, pair_of, _BACK))
        return story_section(sections, "html", parts, pair_rows, lambda: _story(*parts, pair_of))

    if paged:
        pages = {story_page(s["story_id"]): _page(s["title"] or s["story_id"], section(s)) for s in ordered}
        body, label = "", "Filter by headline, outlet or date (each story opens on a page of its own)"
    else:
        pages, body, label = {}, "".join(section(s) for s in ordered), "Filter by word, outlet or date"
    index_page = f"""{_head("newsdedup report", _CSP)}
<body>
<div class="wrap">
<header><h1>newsdedup report</h1><p class="summary">{summary}</p></header>
<nav class="card" id="index" aria-label="Stories">
<h2>Stories</h2>
<div class="filter"><label for="filter">{label}</label>
<input id="filter" type="search" autocomplete="off" placeholder="e.g. Quetta, Reuters, 2026-02-01">
<p class="muted" id="shown" aria-live="polite">{plural(len(ordered), 'story', 'stories')}</p></div>
<table><thead><tr><th>Story</th><th>Articles</th><th title="distinct texts: the copies of one text count once">Versions</th><th>Sources</th><th>Dates</th><th>Conflicting figures</th></tr></thead>
<tbody>{index}</tbody></table>
<p class="muted" id="none" hidden>No story matches the filter.</p>
</nav>
<main>
{body}
{_rejects(rejects)}
</main>
</div>
<script>{_JS}</script>
</body>
</html>
"""
    return {"report.html": index_page, **pages}


# A story's own page: its section, the report's style, no script.
_PAGE_CSP = f"default-src 'none'; style-src '{_sha256(_CSS)}'; img-src data:"


def _head(title: str, csp: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<meta name="referrer" content="no-referrer">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>"""


def _page(title: str, section: str) -> str:
    return f"""{_head(f"{title} - newsdedup report", _PAGE_CSP)}
<body>
<div class="wrap">
<p class="muted"><a href="{_BACK}">All stories</a></p>
<main>
{section}
</main>
</div>
</body>
</html>
"""
