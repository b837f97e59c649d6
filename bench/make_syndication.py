#!/usr/bin/env python3
"""Build a labelled syndication benchmark by republishing real articles the way outlets reuse wire copy.

Every input article is treated as a wire original and republished 0..``max_copies`` times (uniform, so
about 2 copies per original with the default of 4).  Each copy gets a random subset of edits that
syndicating outlets typically make:

* ``headline_*``      new or trimmed headline (" | Outlet" suffix, upper case, "UPDATE 2-" prefix, first words);
* ``byline`` / ``dateline``  "By Jane Doe" paragraph, or "LONDON (Reuters) -" / "Karachi, Feb 2:" lead
  (an existing all-caps dateline such as "WASHINGTON —" is replaced);
* ``abridged_*``      keep the first 50-100 % of the paragraphs or sentences (never fewer than 2 sentences);
* ``paragraphs_merged`` / ``paragraph_split``  join two paragraphs, or split one at a sentence boundary;
* ``quotes_*`` / ``dashes_*``  curly <-> straight quotes, em dash <-> " - " / " -- " (title too);
* ``words_edited``    1-3 word substitutions ("said" -> "stated", "U.S." -> "US", ...; numbers untouched);
* ``boilerplate_*``   photo credit, tags, copyright, wire credit, newsletter promo, "Read more: <headline of
  an article from another story>", at the top or bottom;
* ``update``          (about 1/3 of copies) 1-3 whole sentences from another article of the SAME story are
  appended as a new paragraph; they are recorded verbatim in ``updates.jsonl``.

Outputs in ``--out``: ``articles.jsonl`` (originals unchanged, each followed by its copies; fields
id, title, text, source, published, url), ``labels.csv`` (id,syndicate_id,story_id), ``updates.jsonl``
and ``copies.jsonl`` (transform names per copy).  Randomness comes only from ``random.Random`` seeded
with "<seed>:<original id>", so a given seed gives byte-identical output, and an article's copies do not
depend on which other stories were loaded.  Only the standard library is used.

Usage:  python bench/make_syndication.py --out /tmp/synd [--source DIR] [--seed 13] [--max-copies 4] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import random
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

Record = dict[str, Any]

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = REPO_ROOT.parent / "shared" / "eval" / "basil_story"
DEFAULT_SEED = 13
DEFAULT_MAX_COPIES = 4
UPDATE_RATE = 1 / 3

OUTLETS = (
    "Metro Herald", "The Daily Ledger", "Riverside Gazette", "Northern Courier", "Capital Wire Review",
    "Coastal Tribune", "The Evening Sentinel", "Lakeside Observer", "Prairie News Journal", "The Harbor Times",
    "Summit Daily Press", "Valley Chronicle", "The Continental Post", "Eastern Star-Dispatch", "Global Newsline",
)
FIRST_NAMES = ("Jane", "John", "Maria", "David", "Aisha", "Peter", "Lena", "Omar", "Grace", "Tomas", "Priya", "Sam")
LAST_NAMES = ("Doe", "Smith", "Garcia", "Okafor", "Chen", "Novak", "Haddad", "Brennan", "Iyer", "Lindqvist", "Moreau")
AGENCIES = ("Reuters", "AP", "AFP")
PHOTO_AGENCIES = ("Reuters", "AP", "Getty Images", "AFP", "EPA")
CITIES = ("Washington", "New York", "London", "Chicago", "Los Angeles", "Karachi", "Sydney", "Toronto", "Brussels")
MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")
GENERIC_TAGS = ("politics", "congress", "white house", "elections", "us news", "policy", "government", "world")
_DANGLING = frozenset({"a", "an", "the", "to", "of", "in", "on", "at", "for", "with", "and", "or", "but", "by", "from",
                       "as", "until", "after", "before", "without", "is", "are", "was", "be", "that", "his", "her"})
TITLE_STOPWORDS = frozenset({"The", "And", "For", "With", "From", "After", "Over", "Into", "About", "Says", "What"})

# Word-level substitutions an editor might make (lower-case forms; capitalised forms are derived).
WORD_SUBSTITUTIONS: tuple[tuple[str, str], ...] = (
    ("said", "stated"), ("says", "states"), ("told", "informed"), ("percent", "per cent"),
    ("United States", "U.S."), ("because", "since"), ("also", "additionally"), ("many", "numerous"),
    ("big", "large"), ("before", "prior to"), ("tried", "attempted"), ("nearly", "almost"),
    ("spokesman", "spokesperson"), ("spokeswoman", "spokesperson"),
)
# "U.S." -> "US" only where the result stays grammatical (not at a sentence end).
US_PATTERN = re.compile(r"(?<![\w.])U\.S\.(?= [a-z]|[,;:]| (?:Senate|House|Army|Navy|Air|Marines|Capitol|Supreme|"
                        r"Attorney|Embassy|Justice|Department|Congress|District|Court|Ambassador|Rep\.|Sen\.))")

# Sentence splitting: after . ! ? (plus closing quotes/brackets), whitespace, then a capital or an opening quote.
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*(\s+)(?=[\"“‘'(\[]?[A-Z])")
_ABBREVIATIONS = frozenset({
    "Mr", "Mrs", "Ms", "Dr", "Sen", "Sens", "Rep", "Reps", "Gov", "Gen", "Lt", "Col", "Sgt", "Capt", "Adm", "St",
    "Jr", "Sr", "Prof", "Rev", "Pres", "Atty", "Ft", "No", "Inc", "Co", "Corp", "Ltd", "Jan", "Feb", "Aug", "Sept",
    "Sep", "Oct", "Nov", "Dec", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn", "Del", "Fla", "Ga", "Ill", "Ind",
    "Kan", "Ky", "La", "Md", "Mass", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Pa",
    "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo", "vs", "etc",
})
_EXISTING_DATELINE = re.compile(r"^[A-Z][A-Z.,'’ ]{2,40}(?:\([^)]{1,30}\))?\s*(?:[—―–]|--?)\s+")
_TERMINAL = re.compile(r"[.!?][\"”’')]*$")
_INITIAL = re.compile(r"[\"“‘']?[A-Z]")


def _is_abbreviation(text_before: str) -> bool:
    """Whether the token ending right before a period is an abbreviation or an initial."""
    match = re.search(r"(\S+)$", text_before)
    if not match:
        return False
    token = match.group(1).lstrip("\"“‘'([")
    last = token.split("-")[-1]
    return last in _ABBREVIATIONS or bool(re.fullmatch(r"[A-Z]|(?:[A-Za-z]\.)+[A-Za-z]", last))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) character spans of the sentences of one paragraph."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if match.group(0)[0] == "." and _is_abbreviation(text[: match.start()]):
            continue
        spans.append((start, match.start(1)))
        start = match.end()
    end = len(text.rstrip())
    if start < end:
        spans.append((start, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """Split text into sentences, paragraph by paragraph, with the simple regex splitter."""
    return [para[s:e] for para in text.split("\n") for s, e in sentence_spans(para)]


def shift_date(published: str | None, days: int) -> str | None:
    """Add days to an ISO date (keeping any time suffix); None and unparseable values are returned unchanged."""
    if not published:
        return published
    try:
        day = date.fromisoformat(published[:10])
    except ValueError:
        return published
    return (day + timedelta(days=days)).isoformat() + published[10:]


def _person(rng: random.Random) -> str:
    """Return a made-up person name."""
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def retitle(title: str, outlet: str, rng: random.Random) -> tuple[str, str | None]:
    """Rewrite a headline in one outlet style; return the new title and the transform name."""
    if not title.strip():
        return title, None
    words = title.split()
    styles = ["headline_outlet_suffix", "headline_upper", "headline_update_prefix"]
    if len(words) >= 5:
        styles.append("headline_truncated")
    style = rng.choice(styles)
    if style == "headline_outlet_suffix":
        return f"{title} | {outlet}", style
    if style == "headline_upper":
        return title.upper(), style
    if style == "headline_update_prefix":
        return f"UPDATE {rng.randint(1, 9)}-{title}", style
    cut = words[: rng.randint(3, min(6, len(words) - 1))]
    while len(cut) > 2 and cut[-1].lower() in _DANGLING:
        cut.pop()
    return " ".join(cut).rstrip(",:;-—"), style


def abridge(paras: list[str], rng: random.Random) -> tuple[list[str], str | None]:
    """Keep the first 50-100 % of paragraphs or sentences (at least 2 sentences); None if nothing was cut."""
    spans = [sentence_spans(p) for p in paras]
    total = sum(len(s) for s in spans)
    if total <= 2:
        return paras, None
    fraction = rng.uniform(0.5, 1.0)
    if len(paras) >= 4 and rng.random() < 0.5:
        keep_paras = max(1, math.ceil(fraction * len(paras)))
        while sum(len(s) for s in spans[:keep_paras]) < 2:
            keep_paras += 1
        if keep_paras >= len(paras):
            return paras, None
        return paras[:keep_paras], "abridged_paragraphs"
    keep = max(2, math.ceil(fraction * total))
    if keep >= total:
        return paras, None
    out: list[str] = []
    for para, para_spans in zip(paras, spans):
        if keep >= len(para_spans):
            out.append(para)
            keep -= len(para_spans)
        else:
            if keep > 0:
                out.append(para[: para_spans[keep - 1][1]])
            break
        if keep == 0:
            break
    return out, "abridged_sentences"


def reflow(paras: list[str], rng: random.Random) -> tuple[list[str], list[str]]:
    """Merge two adjacent paragraphs or split one at a sentence boundary, once or twice."""
    paras = list(paras)
    names: list[str] = []
    for _ in range(rng.randint(1, 2)):
        splittable = [i for i, p in enumerate(paras) if len(sentence_spans(p)) >= 2]
        if len(paras) >= 2 and (not splittable or rng.random() < 0.5):
            i = rng.randrange(len(paras) - 1)
            paras[i: i + 2] = [paras[i] + " " + paras[i + 1]]
            names.append("paragraphs_merged")
        elif splittable:
            i = rng.choice(splittable)
            spans = sentence_spans(paras[i])
            cut = spans[rng.randrange(1, len(spans))][0]
            paras[i: i + 1] = [paras[i][:cut].rstrip(), paras[i][cut:]]
            names.append("paragraph_split")
    return paras, sorted(set(names))


def curl_quotes(text: str) -> str:
    """Turn straight quotes into typographic ones."""
    text = re.sub(r'(^|[\s(\[{—―-])"', r"\1“", text)
    text = text.replace('"', "”")
    text = re.sub(r"(^|[\s(\[{“—―-])'", r"\1‘", text)
    return text.replace("'", "’")


def straighten_quotes(text: str) -> str:
    """Turn typographic quotes into straight ones."""
    return text.translate(str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"}))


def choose_retype(text: str, rng: random.Random) -> tuple[list[str], str]:
    """Decide how to retype a body: quotes curly <-> straight, usually dashes too; return (names, hyphen style)."""
    names: list[str] = []
    if re.search(r"[“”‘’]", text):
        names.append("quotes_straightened")
    elif re.search(r"[\"']", text):
        names.append("quotes_curled")
    hyphen = rng.choice((" - ", " -- "))
    if rng.random() < 0.7 or not names:
        if re.search(r"[—―]", text):
            names.append("dashes_to_hyphens")
        elif re.search(r" --? ", text):
            names.append("dashes_to_em")
    return names, hyphen


def apply_retype(text: str, names: Sequence[str], hyphen: str = " - ") -> str:
    """Apply the retyping named by choose_retype to a text (body or headline)."""
    if "quotes_straightened" in names:
        text = straighten_quotes(text)
    if "quotes_curled" in names:
        text = curl_quotes(text)
    if "dashes_to_hyphens" in names:
        text = re.sub(r"[ \t]*[—―][ \t]*", hyphen, text)
    if "dashes_to_em" in names:
        text = re.sub(r" --? ", " — ", text)
    return text


def edit_words(text: str, rng: random.Random) -> tuple[str, int]:
    """Apply 1-3 word-level substitutions at random positions; return the text and how many were made."""
    candidates: list[tuple[int, int, str]] = []
    for old, new in WORD_SUBSTITUTIONS:
        for src, dst in ((old, new), (old[0].upper() + old[1:], new[0].upper() + new[1:])):
            for m in re.finditer(r"(?<![\w.])" + re.escape(src) + r"(?![\w])", text):
                candidates.append((m.start(), m.end(), dst))
    candidates.extend((m.start(), m.end(), "US") for m in US_PATTERN.finditer(text))
    if not candidates:
        return text, 0
    candidates.sort()
    chosen = rng.sample(candidates, min(len(candidates), rng.randint(1, 3)))
    for start, end, new in sorted(chosen, reverse=True):
        text = text[:start] + new + text[end:]
    return text, len(chosen)


def add_lead(paras: list[str], published: str | None, rng: random.Random) -> tuple[list[str], str]:
    """Put a byline paragraph or a dateline at the top of the body."""
    paras = list(paras)
    if rng.random() < 0.5:
        return [f"By {_person(rng)}"] + paras, "byline"
    city = rng.choice(CITIES)
    day = None
    if published:
        try:
            day = date.fromisoformat(published[:10])
        except ValueError:
            day = None
    if day is not None and rng.random() < 0.5:
        dateline = f"{city}, {MONTHS[day.month - 1]} {day.day}: "
    else:
        agency = rng.choice(AGENCIES)
        dash = "-" if agency == "Reuters" else "—"
        dateline = f"{city.upper()} ({agency}) {dash} "
    paras[0] = dateline + _EXISTING_DATELINE.sub("", paras[0], count=1)
    return paras, "dateline"


def title_tags(title: str, body: str, rng: random.Random) -> list[str]:
    """Return 1-5 tags: a few generic ones plus names from the headline (runs of words capitalised in the body)."""
    body_words = set(re.findall(r"\w+", body))
    names: list[str] = []
    run: list[str] = []
    for token in title.split() + [""]:
        word = token.strip(".,:;'\"“”‘’?!()")
        if word.isalpha() and word[0].isupper() and word.capitalize() in body_words and \
                word.lower() not in body_words and word not in TITLE_STOPWORDS:
            run.append(word.lower())
            if token == word:
                continue
        if run:
            names.append(" ".join(run))
            run = []
    generic = rng.sample(GENERIC_TAGS, rng.randint(1, 3))
    return generic + [n for n in dict.fromkeys(names) if n not in generic][: rng.randint(1, 2)]


def boilerplate(kind: str, outlet: str, title: str, body: str, published: str | None, read_more: str,
                rng: random.Random) -> str:
    """Return one boilerplate line of the given kind."""
    year = published[:4] if published and published[:4].isdigit() else None
    if kind == "photo_credit":
        agency = rng.choice(PHOTO_AGENCIES)
        return rng.choice((f"Photo: {agency}/{_person(rng)}", f"(Photo by {_person(rng)}/{agency})"))
    if kind == "tags":
        return "Tags: " + ", ".join(title_tags(title, body, rng))
    if kind == "copyright":
        mark = rng.choice(("©", "Copyright"))
        return f"{mark} {year} {outlet}. All rights reserved." if year else f"{mark} {outlet}. All rights reserved."
    if kind == "wire_credit":
        return rng.choice((f"(With inputs from {rng.choice(AGENCIES)})",
                           f"(Reporting by {_person(rng)}; Editing by {_person(rng)})"))
    if kind == "newsletter":
        return rng.choice(("Sign up for our daily newsletter to get the day's top stories in your inbox.",
                           f"Sign up for the {outlet} morning briefing: the news you need, every weekday."))
    return f"Read more: {read_more}"


def add_boilerplate(paras: list[str], outlet: str, title: str, published: str | None, read_more: str,
                    rng: random.Random) -> tuple[list[str], list[str]]:
    """Add one or two boilerplate lines at the top or bottom of the body."""
    kinds = ["photo_credit", "tags", "copyright", "wire_credit", "newsletter"] + (["read_more"] if read_more else [])
    top_ok = {"photo_credit": 0.7, "newsletter": 0.3, "read_more": 0.3}
    top: list[str] = []
    bottom: list[str] = []
    names: list[str] = []
    for kind in rng.sample(kinds, rng.randint(1, 2)):
        line = boilerplate(kind, outlet, title, "\n".join(paras), published, read_more, rng)
        at_top = rng.random() < top_ok.get(kind, 0.0)
        (top if at_top else bottom).append(line)
        names.append(f"boilerplate_{kind}_{'top' if at_top else 'bottom'}")
    return top + list(paras) + bottom, names


def _balanced(sentence: str) -> bool:
    """Whether a sentence has balanced double quotes (so it is not half a quotation)."""
    return sentence.count("“") == sentence.count("”") and sentence.count('"') % 2 == 0


def _shingles(text: str, n: int = 4) -> set[tuple[str, ...]]:
    """Return the word n-grams of a text, lower-cased and ignoring punctuation (so retyping does not matter)."""
    words = re.findall(r"\w+", text.lower())
    return {tuple(words[i: i + n]) for i in range(len(words) - n + 1)}


def _is_new(sentence: str, known: set[tuple[str, ...]], max_overlap: float = 0.5) -> bool:
    """Whether at most max_overlap of a sentence's word 4-grams already occur in the known text."""
    grams = _shingles(sentence)
    return bool(grams) and len(grams & known) <= max_overlap * len(grams)


def pick_update(siblings: Sequence[Record], avoid: str, rng: random.Random) -> tuple[list[str], str] | None:
    """Pick 1-3 consecutive whole sentences from one sibling article that are mostly new relative to `avoid`."""
    known = _shingles(avoid)
    for sibling in rng.sample(list(siblings), len(siblings)):
        sentences = split_sentences(sibling["text"])
        ok = [40 <= len(s) <= 400 and bool(_INITIAL.match(s)) and bool(_TERMINAL.search(s)) and _balanced(s)
              and _is_new(s, known) for s in sentences]
        starts = [i for i, good in enumerate(ok) if good]
        if not starts:
            continue
        i = rng.choice(starts)
        want = rng.randint(1, 3)
        picked = [sentences[i]]
        while len(picked) < want and i + len(picked) < len(sentences) and ok[i + len(picked)]:
            picked.append(sentences[i + len(picked)])
        return picked, sibling["id"]
    return None


def make_copy(original: Record, copy_id: str, outlet: str, siblings: Sequence[Record], read_more_pool: Sequence[str],
              rng: random.Random) -> tuple[Record, Record, Record | None]:
    """Build one altered copy; return (article record, copies.jsonl entry, updates.jsonl entry or None)."""
    title: str = original.get("title") or ""
    paras = [p for p in (original.get("text") or "").split("\n") if p.strip()] or [""]
    published = shift_date(original.get("published"), rng.randint(0, 2))
    groups = {"headline": 0.6, "lead": 0.4, "abridge": 0.5, "reflow": 0.4, "retype": 0.5, "words": 0.5,
              "boilerplate": 0.6}
    chosen = {g for g, p in groups.items() if rng.random() < p} or {rng.choice(sorted(groups))}
    names: list[str] = []
    if "headline" in chosen:
        title, name = retitle(title, outlet, rng)
        names += [name] if name else []
    if "abridge" in chosen:
        paras, name = abridge(paras, rng)
        names += [name] if name else []
    if "reflow" in chosen:
        paras, reflow_names = reflow(paras, rng)
        names += reflow_names
    body = "\n".join(paras)
    if "words" in chosen:
        body, edits = edit_words(body, rng)
        names += ["words_edited"] if edits else []
    if "retype" in chosen:
        retype_names, hyphen = choose_retype(body, rng)
        body, title = apply_retype(body, retype_names, hyphen), apply_retype(title, retype_names, hyphen)
        names += retype_names
    paras = body.split("\n")
    update: Record | None = None
    if siblings and rng.random() < UPDATE_RATE:
        picked = pick_update(siblings, original.get("text") or "", rng)
        if picked:
            sentences, from_id = picked
            paras.append(" ".join(sentences))
            update = {"id": copy_id, "original_id": original["id"], "appended": sentences, "from_id": from_id}
            names.append("update")
    if "lead" in chosen:
        paras, name = add_lead(paras, published, rng)
        names.append(name)
    draw = rng.random()  # always one draw, so the pool size (--limit) does not shift later random choices
    read_more = read_more_pool[int(draw * len(read_more_pool))] if read_more_pool else ""
    if "boilerplate" in chosen or (title == original.get("title") and "\n".join(paras) == original.get("text")):
        paras, bp_names = add_boilerplate(paras, outlet, title, published, read_more, rng)
        names += bp_names
    record = {"id": copy_id, "title": title, "text": "\n".join(paras), "source": outlet, "published": published,
              "url": None}
    meta = {"id": copy_id, "original_id": original["id"], "source": outlet, "transforms": names}
    return record, meta, update


def republish(articles: Sequence[Mapping[str, Any]], labels: Mapping[str, str] | Iterable[Mapping[str, str]],
              seed: int = DEFAULT_SEED, max_copies: int = DEFAULT_MAX_COPIES,
              ) -> tuple[list[Record], list[Record], list[Record], list[Record]]:
    """Republish every article 0..max_copies times; return (records, label_rows, updates, copies_meta)."""
    if max_copies < 0:
        raise ValueError("max_copies must be >= 0")
    story_of = dict(labels) if isinstance(labels, Mapping) else {r["id"]: r["cluster_id"] for r in labels}
    story_of = {a["id"]: story_of.get(a["id"], a["id"]) for a in articles}  # unlabelled -> its own story
    by_story: dict[str, list[Mapping[str, Any]]] = {}
    for article in articles:
        by_story.setdefault(story_of[article["id"]], []).append(article)
    records: list[Record] = []
    label_rows: list[Record] = []
    updates: list[Record] = []
    copies_meta: list[Record] = []
    titled = [(story_of[a["id"]], a["title"]) for a in articles if (a.get("title") or "").strip()]
    read_more_pools: dict[str, list[str]] = {}
    for original in articles:
        oid, story = original["id"], story_of[original["id"]]
        rng = random.Random(f"{seed}:{oid}")
        records.append({k: original.get(k) for k in ("id", "title", "text", "source", "published", "url")})
        label_rows.append({"id": oid, "syndicate_id": oid, "story_id": story})
        n_copies = rng.randint(0, max_copies)
        if n_copies == 0:
            continue
        outlets = (rng.sample(OUTLETS, n_copies) if n_copies <= len(OUTLETS)
                   else [rng.choice(OUTLETS) for _ in range(n_copies)])
        siblings = [a for a in by_story[story] if a["id"] != oid and (a.get("text") or "").strip()]
        if story not in read_more_pools:
            read_more_pools[story] = [title for other, title in titled if other != story]
        read_more_pool = read_more_pools[story]
        for n, outlet in enumerate(outlets, start=1):
            copy_id = f"{oid}__c{n}"
            record, meta, update = make_copy(dict(original), copy_id, outlet, siblings, read_more_pool, rng)
            records.append(record)
            label_rows.append({"id": copy_id, "syndicate_id": oid, "story_id": story})
            copies_meta.append(meta)
            if update:
                updates.append(update)
    return records, label_rows, updates, copies_meta


def load_source(folder: Path, limit: int | None = None) -> tuple[list[Record], dict[str, str]]:
    """Read articles.jsonl and labels.csv; with limit, keep only the first `limit` stories (in article order)."""
    with open(folder / "articles.jsonl", encoding="utf-8") as fh:
        articles = [json.loads(line) for line in fh if line.strip()]
    with open(folder / "labels.csv", encoding="utf-8", newline="") as fh:
        labels = {row["id"]: row["cluster_id"] for row in csv.DictReader(fh)}
    if limit is not None:
        stories = list(dict.fromkeys(labels.get(a["id"], a["id"]) for a in articles))[:limit]
        keep = set(stories)
        articles = [a for a in articles if labels.get(a["id"], a["id"]) in keep]
    return articles, labels


def _write_jsonl(path: Path, rows: Iterable[Record]) -> None:
    """Write rows as UTF-8 JSON lines."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def write_outputs(out: Path, records: list[Record], label_rows: list[Record], updates: list[Record],
                  copies_meta: list[Record]) -> None:
    """Write articles.jsonl, labels.csv, updates.jsonl and copies.jsonl into out."""
    out.mkdir(parents=True, exist_ok=True)
    _write_jsonl(out / "articles.jsonl", records)
    with open(out / "labels.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["id", "syndicate_id", "story_id"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(label_rows)
    _write_jsonl(out / "updates.jsonl", updates)
    _write_jsonl(out / "copies.jsonl", copies_meta)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE,
                        help="folder with articles.jsonl and labels.csv (default: ../shared/eval/basil_story)")
    parser.add_argument("--out", type=Path, required=True, help="output folder (created)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed (default 13)")
    parser.add_argument("--max-copies", type=int, default=DEFAULT_MAX_COPIES, help="copies per original, 0..N")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N stories")
    args = parser.parse_args(argv)
    source: Path = args.source
    if not (source / "articles.jsonl").is_file() or not (source / "labels.csv").is_file():
        print(f"make_syndication: source {source} is absent (../shared/eval is absent or incomplete); "
              "nothing written", file=sys.stderr)
        return 2
    if args.max_copies < 0:
        parser.error("--max-copies must be >= 0")
    articles, labels = load_source(source, args.limit)
    records, label_rows, updates, copies_meta = republish(articles, labels, args.seed, args.max_copies)
    write_outputs(args.out, records, label_rows, updates, copies_meta)
    print(f"make_syndication: {len(articles)} originals, {len(copies_meta)} copies, {len(updates)} update copies "
          f"(seed {args.seed}) -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
