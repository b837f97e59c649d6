"""Most complete version of each story and the facts every other variant adds to it.

A fact is a sentence. Two sentences state the same fact when their embeddings are close, they share
some of their content words, and neither brings a number or a name the other lacks ("145 died" is not
"120 died"). Boilerplate is never a fact.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from dataclasses import dataclass, field
from functools import lru_cache
from collections.abc import Callable, Iterable, Mapping
from typing import NamedTuple

import numpy as np
import polars as pl

from newsdedup.config import FactsConfig
from newsdedup.embed import Embedder
from newsdedup.normalize import (
    CURRENCY_SIGNS,
    SCALES,
    content_words,
    counts,
    fold,
    figures_beyond,
    is_boilerplate_line,
    names,
    numbers,
    numbers_within,
    plain_number,
    same_number,
    scaled,
    split_sentences,
    places,
    stated_in,
    tells_of,
    times,
    unaccented,
    words,
)
from newsdedup.progress import track
from newsdedup.schema import CONFLICTS, FACTS, conform, empty, local_time
from newsdedup.syndication import UnionFind


@dataclass
class Sentence:
    """A distinct sentence of one story, the articles that carry it, and what it states."""

    key: str
    text: str
    article_ids: list[str] = field(default_factory=list)
    numbers: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()
    content: frozenset[str] = frozenset()
    figures: tuple[tuple[str, str, str], ...] = ()  # normalize.counts: what is counted, the figure, what happened


def sentence_key(text: str) -> str:
    """Sentences that differ only in case, punctuation or typography share a key."""
    return " ".join(words(text))


def article_sentences(documents: pl.DataFrame) -> pl.DataFrame:
    """One row per (article, sentence) with the sentence's key and position."""
    rows = []
    with track("splitting sentences", documents.height) as advance:
        for article_id, story_id, text in documents.select("article_id", "story_id", "text").iter_rows():
            rows += [(article_id, story_id, pos, sent, sentence_key(sent)) for pos, sent in enumerate(split_sentences(text))]
            advance(1)
    return pl.DataFrame(
        rows, schema={"article_id": pl.String, "story_id": pl.String, "pos": pl.Int64, "text": pl.String, "key": pl.String},
        orient="row",
    )


def boilerplate_keys(sentences: pl.DataFrame, min_stories: int) -> set[str]:
    """Keys of sentences that recur across many different stories: house style, not news.
    sentences: rows with story_id and key (article_sentences, or the state's story_keys)."""
    counts = sentences.group_by("key").agg(pl.col("story_id").n_unique().alias("n"))
    return set(counts.filter(pl.col("n") >= min_stories)["key"].to_list())


def fact_candidates(sentences: pl.DataFrame, cfg: FactsConfig) -> pl.DataFrame:
    """The sentences (article_sentences rows) that could be facts but for recurring across stories: long
    enough and not a furniture line (no other sentence can be a fact, boilerplate or not)."""
    keep = [is_fact_sentence(text, key, set(), cfg) for text, key in sentences.select("text", "key").iter_rows()]
    return sentences.filter(pl.Series(keep, dtype=pl.Boolean))


def candidate_keys(candidates: pl.DataFrame) -> pl.DataFrame:
    """The distinct (story_id, key) of fact_candidates rows: what the state keeps to tell house style."""
    return candidates.select("story_id", "key").unique(maintain_order=True)


# A short sentence pointing at what follows it: "Here are some of the officials' responses.", "Here's what we know.",
# "Watch the video below."
_POINTER = re.compile(r"^\W*(?:here(?:'s|\u2019s| are| is)|below (?:are|is)|(?:watch|see|read)\b.{0,60}\bbelow\W*$)", re.I)
POINTER_WORDS = 15


def is_fact_sentence(text: str, key: str, boilerplate: set[str], cfg: FactsConfig) -> bool:
    """A sentence that can carry a fact: long enough, not boilerplate, and not a short one introducing what follows it
    without a figure of its own ("CNN shared footage of agents arriving at the property:", over a video the text no
    longer holds; "Here are some of the officials' responses.")."""
    n = len(key.split())
    if n < cfg.min_fact_words or key in boilerplate:
        return False
    # "Here is what we know so far about Saturday's attacks in Pakistan's Balochistan province:" points at any length
    colon, pointer = text.rstrip().endswith(":"), _POINTER.match(text)
    pointing = (n <= POINTER_WORDS and (colon or pointer)) or (colon and pointer and n <= 2 * POINTER_WORDS)
    # ... unless it states a figure itself ("The ministry said 45 people had been killed, adding:", "Here's what we
    # know: 12 people died")
    return not (pointing and not numbers(text)) and not is_boilerplate_line(text)


# Speech: a quotation mark, or a speaker's own "I" or "we".
_SPEECH = re.compile(r"[\"\u201c\u201d]|\b(?:I|I'm|I've|I'd|I'll|[Ww]e|[Ww]e're|[Ww]e've|[Mm]y|[Oo]ur|us|me|[Ll]et's)\b")  # not "US"


def slight(sentence: Sentence, cfg: FactsConfig) -> bool:
    """A sentence too slight to list as an added fact: speech (a quotation, a speaker's "I" or "we") of at most
    slight_content_words content words, with no name and no figure ("That's what we need.\"", "We want it that
    way."). Not "The army denied it, Sharif said.", "Two soldiers died." nor a report's own short sentence ("Trump fired
    the defence secretary.": a name opening a sentence is no name to `names`)."""
    return (len(sentence.content) <= cfg.slight_content_words and not sentence.names and not sentence.numbers
            and bool(_SPEECH.search(sentence.text)))


def _telling(number: str, years: frozenset[str] = frozenset()) -> bool:
    """A figure specific enough to tie two sentences to one fact: 10 or more, or with decimals (not the
    'two' or 'three' of everyday counting), and no year of `years` ("Inflation rose in 2025" / "Unemployment
    fell in 2025"; "2,000 attackers" is a count)."""
    try:
        return "." in number or (abs(float(number)) >= 10 and number not in years)
    except ValueError:
        return True


_YEAR = re.compile(r"(?<!\d,)(?<![\d.$\u00a3\u20ac])(?:19|20)\d\d(?!\d|,\d)")


@lru_cache(maxsize=1 << 14)
def _years(text: str) -> frozenset[str]:
    """Four-digit numbers a sentence writes as years (no comma, no currency): "in 2025", not "2,000"."""
    return frozenset(_YEAR.findall(text))


def holds_words_of(a: Sentence, b: Sentence, cfg: FactsConfig) -> bool:
    """b holds at least min_shared_content of a's content words (a sentence without any holds), or states
    the same telling figure ("The army said 92 attackers died" / "forces killed at least 92 militants")."""
    if len(a.content & b.content) >= cfg.min_shared_content * len(a.content):
        return True
    return any(_telling(n, _years(a.text) | _years(b.text)) for n in a.numbers & b.numbers)


def same_fact(sim: float, a: Sentence, b: Sentence, cfg: FactsConfig) -> bool:
    """Symmetric decision: the two sentences say the same thing.

    Close embeddings, some words in common each way, and no conflicting figures: one may leave a number
    out or round it ("$6.3 billion" / "$6.32 billion"), but when each states a number the other lacks
    ("145 died" against "120 died") they are different facts.
    """
    return sim >= cfg.same_fact_similarity and _words_shared(a, b, cfg) and _figures_agree(a, b)


def _words_shared(a: Sentence, b: Sentence, cfg: FactsConfig) -> bool:
    return holds_words_of(a, b, cfg) and holds_words_of(b, a, cfg)


def _figures_agree(a: Sentence, b: Sentence) -> bool:
    """One states every number of the other (one may leave numbers out or round them)."""
    return numbers_within(a.numbers, b.numbers) or numbers_within(b.numbers, a.numbers)


def failed_check(a: Sentence, b: Sentence, cfg: FactsConfig) -> str | None:
    """Which of same_fact's checks besides the embeddings keeps two sentences apart: "figures", "words" or
    None (neither; the figure check is asked first)."""
    if not _figures_agree(a, b):
        return "figures"
    if not _words_shared(a, b, cfg):
        return "words"
    return None


def why_apart(a: Sentence, b: Sentence, cfg: FactsConfig) -> str | None:
    """failed_check in words (None: neither check keeps them apart)."""
    check = failed_check(a, b, cfg)
    if check == "figures":
        mine, theirs = (sorted(plain_number(Decimal(n)) for n in x.numbers - y.numbers) for x, y in ((a, b), (b, a)))
        return f"each states a number the other lacks ({', '.join(mine)} / {', '.join(theirs)})"
    if check == "words":
        return f"they share too few content words (under {cfg.min_shared_content:.0%} of one's)"
    return None


# A name and another word are one name in two forms when both are one stem of at least NAME_STEM letters
# with one of these endings: "Democrats" / "Democratic", "Pakistani" / "Pakistan", "Americans" / "America".
# Other endings make other names: Niger / Nigeria, India / Indiana, George / Georgia, Martin / Martinez.
NAME_STEM = 5
NAME_ENDINGS = ("", "s", "es", "n", "ns", "an", "ans", "ian", "ians", "i", "is", "ic", "ics", "ese", "ish")


def _stems(word: str) -> set[str]:
    return {word[: len(word) - len(e)] for e in NAME_ENDINGS if word.endswith(e) and len(word) - len(e) >= NAME_STEM}


class Vocabulary:
    """The words of an article, for asking whether it names everyone a sentence names."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = set(words)
        self._stems: set[str] | None = None

    def has_names(self, names: frozenset[str]) -> bool:
        """Every name is among the words, as it is or in another form of it (see NAME_ENDINGS)."""
        missing = names - self.words
        if not missing:
            return True
        if self._stems is None:
            self._stems = set().union(*(_stems(w) for w in self.words if len(w) >= NAME_STEM))
        return all(not _stems(name).isdisjoint(self._stems) for name in missing)


def states_all_of(sent: Sentence, vocab: Vocabulary, figures: frozenset[str]) -> bool:
    """An article (its words, its numbers) names everyone the sentence names and states every number it states."""
    return numbers_within(sent.numbers, figures) and vocab.has_names(sent.names)


def said_already(
    sims: np.ndarray, sents: list[Sentence], own: np.ndarray, vocab: Vocabulary, figures: frozenset[str], cfg: FactsConfig
) -> np.ndarray:
    """For every sentence of the story: does the article holding sentences `own` already say it?

    Said already: the article names everyone and states every number the sentence does, and either
    one of its sentences is a close paraphrase holding some of the sentence's content words, or its
    related sentences (similarity at least support_similarity) together hold most of them.
    """
    out = np.zeros(len(sents), dtype=bool)
    out[own] = True
    if len(own) == 0:
        return out
    sub = sims[:, own]
    best = sub.max(axis=1)
    for i in np.flatnonzero((best >= cfg.support_similarity) & ~out):
        sent = sents[i]
        if not states_all_of(sent, vocab, figures):
            continue
        if best[i] >= cfg.same_fact_similarity and any(
            holds_words_of(sent, sents[j], cfg) for j in own[sub[i] >= cfg.same_fact_similarity]
        ):
            out[i] = True
        elif sent.content:
            said = frozenset().union(*(sents[j].content for j in own[sub[i] >= cfg.support_similarity]))
            out[i] = words_cover(sent, said, cfg)
    return out


def words_cover(sent: Sentence, words_said: frozenset[str], cfg: FactsConfig) -> bool:
    """The lexical coverage rule: these words hold lexical_coverage of the sentence's content words."""
    return len(sent.content & words_said) >= cfg.lexical_coverage * len(sent.content)


def could_be_said(sent: Sentence, theirs: list[Sentence], words_said: frozenset[str], cfg: FactsConfig) -> bool:
    """Whether said_already could count `sent` as said by sentences `theirs`, whatever the embeddings:
    some sentence of theirs holds enough of its content words for a paraphrase, or all of them together
    (`words_said`, the union of their content words) hold enough for the lexical coverage rule. When
    neither does, the sentence is new without being embedded."""
    return words_cover(sent, words_said, cfg) or any(holds_words_of(sent, other, cfg) for other in theirs)


@dataclass(frozen=True)
class StoryFacts:
    """The outcome for one story: its most complete version, why, and the facts the others add."""

    story_id: str
    canonical_article_id: str
    canonical_reason: str
    n_facts: int
    # (fact text, article ids carrying it, detail_figures, differs_from)
    added: list[tuple[str, list[str], list[str], list[str]]]
    # (about, values, article ids, a sentence giving each value)
    conflicts: list[tuple[str, list[str], list[str], list[str]]] = field(default_factory=list)


def _unambiguous(found: tuple[tuple[str, str, str], ...]) -> list[tuple[str, str, str]]:
    """Counts of things a sentence counts only once (two counts of 'people' in one sentence are ambiguous, unless
    one counts the dead and one the injured)."""
    kinds = [(about, role) for about, _, role in found]
    roled = {about for about, _, role in found if role}
    # a count saying nothing of what happened, beside one that does, could be either ("carrying 25 people ... 12 killed")
    return [(about, value, role) for about, value, role in found
            if kinds.count((about, role)) == 1 and (role or about not in roled)]


def _roles_met(a: tuple[tuple[str, str, str], ...], b: tuple[tuple[str, str, str], ...]) -> bool:
    """Two sentences count the same thing with the same thing happening to it ("people killed")."""
    return bool({(about, role) for about, _, role in a if role} & {(about, role) for about, _, role in b if role})


@lru_cache(maxsize=1 << 14)
def _parts(value: str) -> tuple[str, str, str, int]:
    """A stated figure as figures() writes it, in parts: qualifier, currency sign, number, scale
    ('more than $2.1 million' -> ('more than', '$', '2.1', 1000000); 'at least 145' -> ('at least', '', '145', 1))."""
    parts = value.split()
    scale = SCALES.get(parts[-1], 1) if len(parts) > 1 else 1
    n = 1 if scale == 1 else 2
    number = parts[-n]
    currency = number[0] if number[:1] in CURRENCY_SIGNS else ""
    return " ".join(parts[:-n]), currency, number.lstrip(CURRENCY_SIGNS), scale


def figure_text(value: str) -> str:
    """A stated figure as a reader writes it, thousands grouped: 'around 92000' -> 'around 92,000', '3412' -> '3,412',
    '$1500000' -> '$1,500,000' ('2 lakh' and '6.32 billion' stay)."""
    if not value or not value.strip():
        return value
    qualifier, currency, number, _ = _parts(value)
    whole, dot, fraction = number.partition(".")
    if not whole.isdigit() or len(whole) < 4:
        return value
    start = len(qualifier) + bool(qualifier) + len(currency)
    return f"{value[:start]}{int(whole):,}{dot}{fraction}{value[start + len(number):]}"


def _figure(value: str) -> tuple[str, int]:
    """The number of a stated figure and its scale ('at least 145' -> ('145', 1), 'over $2.1 million' ->
    ('2.1', 1000000))."""
    _, _, number, scale = _parts(value)
    return number, scale


def _amount(figure: tuple[str, int]) -> Decimal | None:
    try:
        return Decimal(figure[0]) * figure[1]
    except InvalidOperation:
        return None


def same_figure(a: str, b: str) -> bool:
    """Two stated figures give one number: the same, or one rounded, compared at the larger of their scales
    ("6.3" / "6.32" billion, "1.2 million" / "1,230,000", "2 million" / "2,000,000"), or one is a bound or an
    estimate rounded from the other ("more than 160" / "168": bounds_figure); sums in two currencies are two
    figures ("\u20ac750bn" / "$750bn")."""
    ca, cb = _parts(a)[1], _parts(b)[1]
    if ca and cb and ca != cb:
        return False
    fa, fb = _figure(a), _figure(b)
    x, y = _amount(fa), _amount(fb)
    if fa[1] == fb[1]:
        if same_number(fa[0], fb[0]):
            return True
    elif x is not None and y is not None:
        scale = max(fa[1], fb[1])
        if same_number(plain_number(x / scale), plain_number(y / scale)):
            return True
    qa, qb = _parts(a)[0], _parts(b)[0]
    return x is not None and y is not None and (bounds_figure(qa, x, qb, y) or bounds_figure(qb, y, qa, x))


# How a qualifier rounds a figure it stands for: "more than 160" people of 168 (down), "nearly 170" (up), "about
# 170" (either way).
_ROUNDED_DOWN = frozenset(("at least", "more than", "over", "no fewer than", "not fewer than", "no less than", "not less than"))
_ROUNDED_UP = frozenset(("nearly", "almost", "up to", "as many as", "fewer than", "less than"))
_ROUNDED = frozenset(("about", "around", "some", "roughly", "approximately"))


def bounds_figure(qualifier: str, bound: Decimal, other_qualifier: str, exact: Decimal) -> bool:
    """A bound or an estimate is the other figure, stated exactly (no qualifier), rounded to fewer significant
    digits the way its qualifier says: "more than 160" of 168, "more than one million" of 1.2 million, "nearly
    170" of 168, "about 20" of 19. Two bounds ("at least 145" / "over 120") are two reports; so is a bound the
    figure does not round to ("more than 120" of 145), or one further than a fifth from it."""
    if other_qualifier or not qualifier or bound == exact or exact <= 0:
        return False
    if qualifier in _ROUNDED_DOWN:
        way = ROUND_FLOOR
    elif qualifier in _ROUNDED_UP:
        way = ROUND_CEILING
    elif qualifier in _ROUNDED:
        way = ROUND_HALF_UP
    else:
        return False
    if abs(bound - exact) > exact / 5:
        return False  # "about 2 million" of 1.5 million is rounding too coarse to tell two reports apart
    digits = len(exact.normalize().as_tuple().digits)
    top = exact.adjusted()
    try:
        return any(exact.quantize(Decimal(1).scaleb(top - k + 1), rounding=way) == bound for k in range(1, digits))
    except InvalidOperation:  # more digits than the decimal context holds
        return False


def _stated(value: str, those: frozenset[str]) -> bool:
    """A sentence's numbers (`those`) state this figure's amount, as precisely or more ("1.2 million" by
    "1,230,000" or by "1.2 million", "2 lakh" by "2,00,000"; not "a dozen" by "two dozen")."""
    number, scale = _figure(value)
    try:
        return stated_in(scaled(number, scale) if scale != 1 else number, those)
    except InvalidOperation:
        return False



def numbers_differ(values: list[str]) -> bool:
    """Whether stated figures give different numbers ("at least 145" / "over 120"), not one number worded
    differently ("92" / "at least 92") or at two precisions ("6.3" / "6.32" billion). Where some are stated
    exactly, the others need only agree with those: "almost 130 million" and "more than 129 million" both
    round 129,988,985."""
    figs = sorted(set(values))
    exact = [v for v in figs if not _parts(v)[0]]
    if exact:
        return any(not same_figure(a, b) for a in figs for b in exact if a != b)
    return any(not same_figure(a, b) for i, a in enumerate(figs) for b in figs[i + 1 :])


def _comparable(a: str, b: str, cfg: FactsConfig) -> bool:
    """Two figures close enough in size to be reports of the same count."""
    x, y = _amount(_figure(a)), _amount(_figure(b))
    if x is None or y is None:
        return True
    low, high = sorted((abs(x), abs(y)))
    return low > 0 and high / low <= Decimal(str(cfg.max_conflict_ratio))


def find_conflicts(sents: list[Sentence], sims: np.ndarray, cfg: FactsConfig) -> list[tuple[str, list[str], list[str]]]:
    """Figures that related sentences of different articles give differently ("over 120" vs "at least 145" people):
    (what is counted, the values, the articles stating them), one per linked_figures group."""
    return [conflict[:3] for conflict in conflicts_of(linked_figures(sents, sims, cfg), sents)]


# Qualifiers that say one thing: "over 120" and "more than 120" are one figure, listed once in a conflict.
_SAME_QUALIFIER = {"over": "more than", "almost": "nearly", "around": "about", "roughly": "about", "approximately": "about",
                   "some": "about", "less than": "fewer than", "no fewer than": "at least", "not fewer than": "at least",
                   "no less than": "at least", "not less than": "at least"}


def _wording(value: str) -> tuple:
    """What a stated figure says, whatever words it says it in: its qualifier's meaning, currency and amount."""
    qualifier, currency, number, scale = _parts(value)
    amount = _amount((number, scale))
    return (_SAME_QUALIFIER.get(qualifier, qualifier), currency, value if amount is None else str(amount.normalize()))


def _by_amount(value: str) -> tuple:
    """Figures in the order of their amounts ("at least 16", "at least 23", "26"), as written where none is given."""
    amount = _amount(_figure(value))
    return (amount is None, amount or 0, value)


def conflicts_of(
    groups: list[list[tuple[int, str, str]]], sents: list[Sentence]
) -> list[tuple[str, list[str], list[str], list[str], list[list[str]]]]:
    """(what is counted, the values, the articles stating them, a sentence stating each value, the articles stating
    each value) per group; one figure in words that say one thing ("over 120", "more than 120") is one value."""
    out = []
    for members in groups:
        worded = {key: value for key, value in sorted(((_wording(v), v) for _, _, v in members), reverse=True)}
        members = [(i, about, worded[_wording(value)]) for i, about, value in members]  # "over 120" is "more than 120"
        values = sorted({value for _, _, value in members}, key=_by_amount)
        if len(values) < 2:
            continue  # one figure in other words ("over 120" / "more than 120") is no conflict, nor worded differently
        carriers = sorted({a for i, _, _ in members for a in sents[i].article_ids})
        first: dict[str, str] = {}
        holders: dict[str, set[str]] = {}
        for i, _, value in sorted(members):
            first.setdefault(value, sents[i].text)
            holders.setdefault(value, set()).update(sents[i].article_ids)
        out.append((members[0][1], values, carriers, [first[v] for v in values], [sorted(holders[v]) for v in values]))
    return sorted(out)


def linked_figures(
    sents: list[Sentence], sims: np.ndarray, cfg: FactsConfig, heads: str = "",
    published: Mapping[str, datetime | None] | None = None,
) -> list[list[tuple[int, str, str]]]:
    """Mentions of one count that related sentences of different articles give, as (sentence, about, value).

    heads: the story's headlines and datelines (story_heads); a place they name is where the whole story happened.
    published: when each article came out, so that "confirmed this morning" names a day (_days).

    Each disagreement links two mentions; linked mentions form one group, so separate counts of the
    same kind of thing (people killed overall, people killed in one town) stay separate groups. Links are taken
    one figure worded two ways first, then the most similar first, and one that would put different numbers of
    different days in one group is left out (a mention left with none is in no group). A group whose mentions say
    what happened to the things counted is about them ("people killed").
    """
    nodes: dict[tuple[int, str, str, str], int] = {}  # (sentence, about, value, role)
    edges: list[tuple[int, int]] = []
    # The same count worded differently ("at least 30" / "more than 30" inmates) needs only related
    # sentences; different numbers need sentences that say nearly the same thing, or, between outlets that
    # word a count their own way ("put the death toll at 26" / "at least 28 people were killed"), related
    # sentences of one day that say the same thing happened to what they count.
    counting = np.array([bool(sent.figures) for sent in sents], dtype=bool)
    days = [_days(sent, published) if sent.figures else frozenset() for sent in sents]
    roled = np.array([any(role for *_, role in sent.figures) for sent in sents], dtype=bool)
    near = (sims >= cfg.support_similarity) | ((sims >= cfg.count_similarity) & roled[:, None] & roled[None, :])
    rows, cols = np.nonzero(np.triu(near & counting[:, None] & counting[None, :], k=1))
    for i, j in zip(rows.tolist(), cols.tolist()):
        a, b = sents[i], sents[j]
        if set(a.article_ids) == set(b.article_ids):
            continue
        related = sims[i, j] >= cfg.support_similarity
        if not related and not (
            _roles_met(a.figures, b.figures) and not _ANOTHER_EVENT.search(a.text) and not _ANOTHER_EVENT.search(b.text)
        ):
            continue  # loosely related sentences of which one tells of another event ("a separate attack")
        close = sims[i, j] >= cfg.conflict_similarity
        # "That failure ... destroyed eight satellites": the story's background, another event (unless nearly the
        # same sentence)
        apart_event = not close and (_THAT_EVENT.match(a.text) is not None or _THAT_EVENT.match(b.text) is not None)
        akin = not close and sims[i, j] >= cfg.thing_similarity and not _projected(a.text) and not _projected(b.text)
        for about, value_a, role_a in _unambiguous(a.figures):
            for about_b, value_b, role_b in _unambiguous(b.figures):
                if not _same_about(about, about_b) or value_a == value_b or (role_a and role_b and role_a != role_b):
                    continue  # people killed and people injured are two counts
                if role_a != role_b and not tells_of((b if role_a else a).text, role_a or role_b):
                    continue  # "Five skiers were killed" / "swept away nine skiers": the nine are not the dead
                same_role = bool(role_a) and role_a == role_b and sims[i, j] >= cfg.count_similarity
                # a thing more particular than "people" ("customers", "firefighters", "cases") is one count in
                # sentences a little less alike, unless one tells of a forecast or a need ("expect 165,000 jobs")
                same_thing = akin and about not in _GENERIC and about_b not in _GENERIC
                # nearly the same thing at another time or place ("a similar flood in 2019 killed 11", Monday's
                # 655 flights and yesterday's 598, Gwadar's 11 of the province's 18) is another count
                one = (same_role or close or same_thing) and not apart_event and _one_count(
                    a, value_a, b, value_b, heads, (days[i], days[j])
                )
                if not (related or same_role and one):
                    continue
                # a sentence that also states the other number uses both, for different things; and two
                # reports of one count rarely differ by more than max_conflict_ratio (133 this week, 700
                # this year are two counts)
                if same_figure(value_a, value_b) or (
                    one
                    and not _a_part(a, value_a, b, value_b)
                    and not _stated(value_a, b.numbers)
                    and not _stated(value_b, a.numbers)
                    and not _sum_of_parts(a, role_a, value_b)
                    and not _sum_of_parts(b, role_b, value_a)
                    and _comparable(value_a, value_b, cfg)
                ):
                    na = nodes.setdefault((i, about, value_a, role_a), len(nodes))
                    nb = nodes.setdefault((j, about, value_b, role_b), len(nodes))
                    edges.append((na, nb))
    keys = list(nodes)
    # one figure worded two ways first, then the most similar mentions, and never one group of different numbers
    # from different days ("rose to 14 on Monday" and Sunday's 12, through an outlet's 12 that names no day)
    edges.sort(key=lambda e: (not same_figure(keys[e[0]][2], keys[e[1]][2]), -sims[keys[e[0]][0], keys[e[1]][0]]))

    def apart(x: int, y: int) -> bool:  # one figure told on two days ("234 miles" of wall) may share a group
        i, j = keys[x][0], keys[y][0]
        return not same_figure(keys[x][2], keys[y][2]) and not _one_time(sents[i].text, sents[j].text, (days[i], days[j]))

    out = []
    for members in _components(len(keys), edges, apart):
        said = {keys[n][3] for n in members} - {""}
        if len(said) > 1:
            # a count saying nothing of what happened joined the dead and the injured: their groups, without it
            inside = set(members)
            roled = [(x, y) for x, y in edges if x in inside and y in inside and keys[x][3] and keys[y][3]]
            groups = _components(len(keys), roled, apart)
        else:
            groups = [members]
        for group in groups:
            roles = {keys[n][3] for n in group} - {""}
            about = f"{keys[group[0]][1]} {roles.pop()}" if len(roles) == 1 else keys[group[0]][1]
            out.append([(keys[n][0], about, keys[n][2]) for n in group])
    return out


def _components(
    n: int, edges: list[tuple[int, int]], apart: Callable[[int, int], bool] | None = None
) -> list[list[int]]:
    """The linked nodes' groups (nodes without an edge left out), each in node order. With `apart`, edges are
    taken in their order and one that would put two nodes `apart` says may not share a group into one is left out."""
    uf = UnionFind(n)
    held: dict[int, list[int]] = {}  # a group's root -> its nodes
    for x, y in edges:
        rx, ry = uf.find(x), uf.find(y)
        if rx == ry:
            continue
        gx, gy = held.get(rx, [x]), held.get(ry, [y])
        if apart is not None and any(apart(u, v) for u in gx for v in gy):
            continue
        uf.union(x, y)
        held.pop(rx, None)
        held.pop(ry, None)
        held[uf.find(x)] = gx + gy
    return sorted((sorted(group) for group in held.values()), key=lambda group: group[0])  # by first node


# The weekdays in order (Monday = 0, as datetime.weekday() counts them)
_WEEKDAY_ORDER = {d: k for k, d in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())}
_WEEKDAY_NAMES = list(_WEEKDAY_ORDER)
_WEEKDAYS = frozenset(_WEEKDAY_ORDER)
# Days a lead names and the sentences after it leave out: one of them in one sentence only is no other time.
_DAYS = _WEEKDAYS | {"yesterday", "today", "tonight"}  # "yesterday" and "Monday" may be one day


@lru_cache(maxsize=1 << 14)
def _folded(text: str) -> str:
    return unaccented(fold(text)).lower()  # as places() reads a place: "zurich"


# A record a figure is measured against: "their biggest one-day drop since 2020", "the highest reading since records
# began there in 1987". The year is no time of the count (unlike "Since 2020, 300 people have died"), unless what
# follows tells of that year: "the deadliest since 2013, when tornadoes killed 16 people", "since the 1987 storm that
# killed 22".
_SUPERLATIVES = (
    "highest lowest biggest largest smallest strongest weakest worst best deadliest heaviest hottest coldest wettest "
    "driest fastest slowest sharpest steepest busiest longest shortest greatest most first record"
).split()
_RECORD_SINCE = re.compile(
    r"\b(?:" + "|".join(_SUPERLATIVES) + r")\b[^.;:]{0,60}?\bsince\b[^.;:,]{0,40}?\b((?:1[89]|20)\d\d)\b"
    r"(?!\s*,?\s*(?:[\w-]+\s+)?(?:when|in\s+which|which|that)\b)",
    re.I,
)


@lru_cache(maxsize=1 << 14)
def _record_years(text: str) -> frozenset[str]:
    return frozenset(_RECORD_SINCE.findall(text)) if "since" in text.lower() else frozenset()


# A day of a month: "Dec. 17", "December 17th", "17 December" (a month's name or its abbreviation, capitalised: not
# "December 2020", "Dec. 1,500", "16 Marines", "a 5-4 decision", "march 12 miles")
_MONTH_WORD = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
               r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?")
_MONTH_DAY = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_WORD})\s+(?P<d1>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
    rf"|(?P<d2>[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_WORD}))(?!\w|-(?!\d)|[,.]?\d)"
)


@lru_cache(maxsize=1 << 14)
def _month_days(text: str) -> frozenset[str]:
    """The days of a month a sentence names ("on Dec. 17" -> {'dec 17'}); only those whose month times() reads (not
    "May 3" in "May 3-D printers ...")."""
    months = {t[:3] for t in times(text)}
    out = set()
    for m in _MONTH_DAY.finditer(text):
        month = (m.group("m1") or m.group("m2"))[:3].lower()
        if month in months:
            out.add(f"{month} {m.group('d1') or m.group('d2')}")
    return frozenset(out)


def _same_dates(a: str, b: str) -> bool:
    """Days aside, two sentences tell of one time: they name the same months and years, or one names a month the
    other leaves out ("50,000 pages ... delivered in December" / "55,000 pages, the department said Monday"), but
    not a year ("shed 2,500 jobs in March 2023", "a similar flood in 2019"), nor a day of a month against another
    day of a month or a weekday ("300,000 deaths on Dec. 17" / "at least 400,000 deaths as of Tuesday")."""
    ta, tb = times(a), times(b)
    da, db = ta - _DAYS - _record_years(a), tb - _DAYS - _record_years(b)
    on_a, on_b = _month_days(a), _month_days(b)
    if on_a and on_b and not on_a & on_b:
        return False
    # (a weekday the dated sentence names too is that day: "on Tuesday, Dec. 17" / "on Tuesday")
    if on_a and not on_b and (tb - ta) & _WEEKDAYS or on_b and not on_a and (ta - tb) & _WEEKDAYS:
        return False
    if da == db:
        return True
    return not (da and db) and not any(t[:1].isdigit() or " " in t for t in da | db)


# The day of the report, named by when it came out: "confirmed this morning", "said today". ("yesterday", "last night"
# and "overnight" name the event's day as often as the report's: "SIX people were killed ... yesterday" in a Sunday
# paper is Sunday's count of Saturday's dead, so they name none.)
_RELATIVE_DAY = re.compile(r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening))\b", re.I)


_PUBLISHED = "published "  # _days: the weekday a sentence came out on, after the days it names
# Counts that run on after the day of their event, until the day of each report (not "140 flights cancelled on
# Thursday", that day's count)
_TOLLS = frozenset(("killed", "injured", "missing"))


def _days(sent: Sentence, published: Mapping[str, datetime | None] | None) -> frozenset[str]:
    """The weekdays a sentence tells of: those it names, and "today" or "this morning" by the day its articles came out
    (the weekday of their publication time in the zone their source gave, schema.local_time; when they all came out
    on one weekday: a Tuesday paper's "confirmed this morning" is Tuesday), unless its clause tells of what is
    expected; and, for a toll (_TOLLS), the day it came out, marked _PUBLISHED, when every day it names is one to three
    days before it.
    published: each article's local time."""
    named = times(sent.text) & _WEEKDAYS
    if not published or (_RELATIVE_DAY.search(sent.text) is None and not named):
        return named
    when = {published.get(a) for a in sent.article_ids}
    if None in when or len({w.weekday() for w in when}) != 1:
        return named
    out = set(named)
    weekday = next(iter(when)).weekday()
    tolls = any(role in _TOLLS for *_, role in sent.figures)
    if tolls and named and all((weekday - _WEEKDAY_ORDER[d]) % 7 in (1, 2, 3) for d in named):
        # a toll of an event on days before the one it came out on: that day may be its report's (_one_time)
        out.add(f"{_PUBLISHED}{_WEEKDAY_NAMES[weekday]}")
    for match in _RELATIVE_DAY.finditer(sent.text):
        clause = re.split(r"[,;:]", sent.text[: match.start()])[-1]
        if _PROJECTION.search(clause) is None:  # not "we expect to be close to a normal schedule today"
            out.add(_WEEKDAY_NAMES[weekday])
    return frozenset(out)


# A count over days: "Over the two days of the strike, about 1,100 operations were postponed", "since Monday", "in the
# past three days", "during the two-day strike", "from Friday through Sunday"; against one day's ("640 operations
# scheduled for Wednesday") it is another count. (Not a length of time: "to stay shut for six weeks", "a 30-day ban".)
# ("since the outbreak began" and "this week" are none: a running total named by the day of its report is that day's,
# and "this week" as often dates the event.)
_WEEKDAY_RX = "(?:" + "|".join(_WEEKDAY_ORDER) + ")"
_SPAN = re.compile(
    r"\b(?:(?:over|across|during)\s+the\s+(?:(?:past|last|first|next|\w+)\s+){0,2}(?:days|weeks|nights|weekend)"
    r"|(?:over|across|during)\s+the\s+(?:\w+\s+)?\w+-day|in\s+the\s+(?:past|last)\s+(?:\w+\s+)?(?:days|weeks)"
    rf"|since\s+(?:{_WEEKDAY_RX}|last\s+week)|from\s+{_WEEKDAY_RX}\s+(?:through|to|until|till)\s+{_WEEKDAY_RX})\b",
    re.I,
)


@lru_cache(maxsize=1 << 14)
def _spanned(text: str) -> bool:
    return _SPAN.search(text) is not None


def _came_out(days: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """_days' weekdays apart: those a sentence tells of, and the one it came out on (marked _PUBLISHED)."""
    out = frozenset(d.removeprefix(_PUBLISHED) for d in days if d.startswith(_PUBLISHED))
    return frozenset(d for d in days if not d.startswith(_PUBLISHED)), out


def _one_time(a: str, b: str, days: tuple[frozenset[str], frozenset[str]] | None = None) -> bool:
    """Two sentences tell of one time by _same_dates, and name the same weekdays, or share one and name besides
    only days one to three days before it: the day of the event beside the day of the report ("killed at least 14
    people when the bridge fell on Tuesday, officials said on Wednesday" / "12 people were confirmed dead on
    Wednesday"), not a later day ("had killed 20 people by Tuesday" / "12 killed on Sunday"); and not a total over
    days against a count of one named day (_SPAN). days: the weekdays each tells of (_days; by default those named).
    A day one names besides the other's days, after them, is its report's: one time when the other came out on it
    ("At least 31 people died when the ferry capsized on Monday evening, police said on Tuesday" / "At least 27 people
    died when ... on Monday evening, officials said" in a Tuesday paper), two when it came out before (a toll rose)."""
    days_a, days_b = days if days is not None else (times(a) & _WEEKDAYS, times(b) & _WEEKDAYS)
    (days_a, out_a), (days_b, out_b) = _came_out(days_a), _came_out(days_b)
    span_a, span_b = _spanned(a), _spanned(b)
    if span_a != span_b and (days_b if span_a else days_a):
        return False  # days' total against one day's count
    if days_a < days_b and days_b - days_a <= out_a or days_b < days_a and days_a - days_b <= out_b:
        return _same_dates(a, b)  # the other's report day is the day this one came out
    if days_a and days_b and days_a != days_b:
        shared = days_a & days_b
        if not shared or any(
            not any((_WEEKDAY_ORDER[s] - _WEEKDAY_ORDER[d]) % 7 in (1, 2, 3) for s in shared) for d in days_a ^ days_b
        ):
            return False
    return _same_dates(a, b)


# "In Kastrinia alone", "In the capital alone": a count for one place of several (the word before "alone" only)
_ALONE = re.compile(
    r"\b(?:[A-Z][\w'-]*|capital|city|province|state|county|region|district|town|village|area)\s+alone\b"
)
# A sentence telling of another event than the story's: "the deadliest attack since a bombing that killed 20", "In a
# separate incident", "Rival carrier Skylane has cut 2,000 jobs"
_ANOTHER_EVENT = re.compile(
    r"\b(?:since\s+(?:an?|the)\s+\w+|separate|previous|similar|an\s+earlier|the\s+earlier|earlier\s+this|rival"
    r"|competitor)\b",
    re.I,
)


# What anyone may be counted as: too general to say two sentences count one thing by the word alone ("84 million
# people" fully vaccinated, "129 million people" given one shot).
_GENERIC = frozenset(("people", "persons", "individuals", "others"))
# A sentence telling of a count that is expected, planned, needed or allowed, not one that happened: "Economists expect
# to see 165,000 jobs", "the 41 votes necessary to filibuster", "requires a supermajority of 60 votes", "licensed to
# store up to 60 tonnes". ("may" only in lower case: "in May" is a month.)
_PROJECTION = re.compile(
    r"\b(?:expect(?:s|ed|ing|ation|ations)?|forecasts?|predict(?:s|ed|ion|ions)?|projected|projections?|would|could"
    r"|might|needs?\s+to|needed\s+to|necessary|requires?|required\s+(?:to|by)|requirement|plans?\s+to|planned|aims?\s+to"
    r"|targets?|goal|hopes?\s+to|licensed|permitted|allowed|authori[sz]ed|designed|(?-i:may))\b",
    re.I,
)


@lru_cache(maxsize=1 << 14)
def _projected(text: str) -> bool:
    return _PROJECTION.search(text) is not None


def _same_about(x: str, y: str) -> bool:
    """Two counts count one thing: the same words, or one names the other's thing more closely ("plug-in hybrids" /
    "hybrids", "vehicle fires" / "fires")."""
    return x == y or x.endswith(" " + y) or y.endswith(" " + x)


# A sentence opening on "That crash", "That failure": it points back at an event the story told of before, most often
# an earlier one ("In 2022 a Corvane-2 failed. That failure destroyed eight satellites.")
_THAT_EVENT = re.compile(
    r"\W*that\s+(?:(?:\d{4}|earlier|previous|deadly|fatal|similar|huge|massive|first|last)\s+)?"
    r"(?:failure|crash|attack|fire|blaze|blast|explosion|disaster|flood|flooding|quake|earthquake"
    r"|storm|accident|incident|outbreak|collapse|strike|sinking|bombing|eruption|avalanche|spill|leak|derailment"
    r"|shooting|raid|riot|breach|outage|recall)\b",
    re.I,
)


def _sum_of_parts(sent: Sentence, role: str, total: str) -> bool:
    """A sentence gives a count in parts whose sum is the other's: "Fifteen security personnel were killed, and ...
    at least 18 people dead" is 33 dead, one report with "at least 33 people, including civilians, were killed"."""
    if not role:
        return False
    parts = [_amount(_figure(value)) for _, value, each in sent.figures if each == role]
    amount = _amount(_figure(total))
    return len(parts) > 1 and None not in parts and amount is not None and sum(parts) == amount


def _a_part(a: Sentence, value_a: str, b: Sentence, value_b: str) -> bool:
    """One of two counts is told for one place of several, "alone", and is the smaller: "In Hallow Creek alone, five
    people were killed" is a part of the state's nine, however close the sentences."""
    part_a = "alone" in a.text and _ALONE.search(a.text) is not None
    part_b = "alone" in b.text and _ALONE.search(b.text) is not None
    if not (part_a or part_b):
        return False
    x, y = _amount(_figure(value_a)), _amount(_figure(value_b))
    if x is None or y is None:
        return True
    return part_a and x < y or part_b and y < x


# A count wider than one place: "nationwide", "across the province", "in all"
_WIDER = re.compile(
    r"\b(?:nationwide|countrywide|statewide|province-wide|across|overall|in\s+all|in\s+total|throughout"
    r"|the\s+(?:whole\s+)?(?:country|province|state|region))\b",
    re.I,
)


def story_heads(rows: Iterable[dict]) -> str:
    """The headlines and datelines of a story's versions (rows with "title" and "dateline"), folded, for
    linked_figures: "DRASSEL, June 15 (Harbor Wire)" and "Ostrel earthquake kills at least 31" name where the whole
    story happened."""
    return _folded(" | ".join(row.get(k) or "" for row in rows for k in ("title", "dateline")))


def _one_count(
    a: Sentence, value_a: str, b: Sentence, value_b: str, heads: str = "",
    days: tuple[frozenset[str], frozenset[str]] | None = None,
) -> bool:
    """Two sentences counting the same thing that happened tell one count: they do not name different days, months
    or years ("598 flights on Thursday" / "655 flights on Wednesday" are two counts; a day named in one only is the
    day of the other's report; _same_dates), and neither tells a smaller
    count for a place the other does not name ("killing 11 people" in Gwadar is part of the province's 18), unless
    a headline or a dateline of the story names it (`heads`): "94 inmates broke out of the prison in Drassel" under
    another version's "DRASSEL, June 15 (Harbor Wire)" is all of them. days: the weekdays each tells of (_days)."""
    if not _one_time(a.text, b.text, days):
        return False
    x, y = _amount(_figure(value_a)), _amount(_figure(value_b))

    def named(place: str, text: str) -> bool:
        return re.search(rf"\b{re.escape(place)}\b", text) is not None

    # the heads say where the story happened, unless the other sentence counts wider ("nationwide")
    heads_a = "" if _WIDER.search(b.text) else heads
    heads_b = "" if _WIDER.search(a.text) else heads
    only_a = any(not named(p, _folded(b.text)) and not named(p, heads_a) for p in places(a.text))
    only_b = any(not named(p, _folded(a.text)) and not named(p, heads_b) for p in places(b.text))
    if only_a and only_b:
        return False
    if x is None or y is None:
        return not (only_a or only_b)
    return not (only_a and x < y or only_b and y < x)


def figures_against(
    groups: list[list[tuple[int, str, str]]], sents: list[Sentence], article_id: str
) -> dict[int, list[tuple[str, str, list[str]]]]:
    """For each sentence giving a count another number than the article does: (what is counted, its value, the
    article's values), what a reader of the added fact "Over 120 people were killed" should know ("at least 145")."""
    out: dict[int, list[tuple[str, str, list[str]]]] = {}
    for members in groups:
        theirs = sorted({value for i, _, value in members if article_id in sents[i].article_ids})
        if not theirs or not numbers_differ([value for _, _, value in members]):
            continue  # one number worded differently, as the conflicts table says
        for i, about, value in members:
            if article_id not in sents[i].article_ids and not any(same_figure(value, v) for v in theirs):
                if (about, value, theirs) not in out.setdefault(i, []):
                    out[i].append((about, value, theirs))
    return out


def figures_changed(sentences: list[str], original: list[str], min_overlap: float = 0.5) -> list[str]:
    """For a copy's sentences, the counts each gives another number for than the original sentence it rewrites
    (of the original's sentences that count something, the one sharing most of its content words, by Jaccard, at
    least `min_overlap`), in words: "at least 160
    people where the original gives at least 145 people". A copy's rewrite is word for word but the figure, so
    the words pair the two; no embedding is needed."""
    theirs = [(content_words(t), numbers(t), found) for t in original if (found := counts(t))]  # counting ones
    out = []
    for text in sentences:
        found = _unambiguous(tuple(counts(text)))
        if not found:
            continue
        content = content_words(text)
        best, overlap = None, min_overlap
        for words_there, numbers_there, figures_there in theirs:
            shared = len(content & words_there) / max(1, len(content | words_there))
            if shared >= overlap:
                best, overlap = (numbers_there, figures_there), shared
        if best is None:
            continue
        mine_numbers = numbers(text)
        for about, value, role in found:
            for about_there, value_there, role_there in _unambiguous(tuple(best[1])):
                if about == about_there and not (role and role_there and role != role_there) \
                        and not same_figure(value, value_there) \
                        and not _stated(value, best[0]) and not _stated(value_there, mine_numbers):
                    out.append(f"{figure_text(value)} {about} where the original gives {figure_text(value_there)} {about}")
    return list(dict.fromkeys(out))


# Sentences this long or longer that a copy adds and another version holds were taken from it (shorter ones, "He
# declined to comment.", are anyone's).
_PASTED_WORDS = 6


def pasted_from(extra: list[str], others: list[dict]) -> list[dict]:
    """The story's other versions (`others`: not the copy's group) holding a sentence of the passages a copy adds: where
    an update copy's new text comes from."""
    keys = _pasted_keys(tuple(extra))
    if not keys:
        return []
    holders: dict[str, list[dict]] = {}  # each key's copy groups, the first published version of each
    for row in sorted(others, key=lambda r: (r.get("published") is None,
                                             r["published"].timestamp() if r.get("published") else 0.0, r["article_id"])):
        if row.get("text") is None:
            continue
        flat = _flat_words(row["text"])
        group = row.get("syndicate_id") or row["article_id"]
        for key in keys:
            if key in flat and all((r.get("syndicate_id") or r["article_id"]) != group for r in holders.get(key, [])):
                holders.setdefault(key, []).append(row)
    # a line several versions hold ("did not immediately respond to a request for comment") names no source
    out = {r["article_id"]: r for found in holders.values() if len(found) == 1 for r in found}
    return list(out.values())


@lru_cache(maxsize=None)  # emptied when a run's reports are begun (html_report.compare_cache_clear)
def _pasted_keys(extra: tuple[str, ...]) -> tuple[str, ...]:
    """The sentences long enough to tell where they come from, as padded keys (both reports ask for each copy)."""
    return tuple(f" {key} " for passage in extra for s in split_sentences(passage)
                 if len((key := sentence_key(s)).split()) >= _PASTED_WORDS)


@lru_cache(maxsize=None)  # emptied as _pasted_keys: 4,096 entries were evicted between the two reports of an archive
def _flat_words(text: str) -> str:
    """A text's words, joined and padded, for finding a sentence key in it (both reports ask for each version)."""
    return f" {' '.join(words(text))} "


def _groups(sents: list[Sentence], sims: np.ndarray, cfg: FactsConfig) -> list[list[int]]:
    """Distinct facts of a story: sentences joined when they state the same fact."""
    uf = UnionFind(len(sents))
    rows, cols = np.nonzero(np.triu(sims >= cfg.same_fact_similarity, k=1))
    for i, j in zip(rows.tolist(), cols.tolist()):
        # two sentences first read in one article are two things it says ("He called Steele's comments
        # inaccurate." and "Sen. John McCain said Steele's comments were wildly inaccurate."), not one fact listed
        # once (a copy split differently from its original is first read in the copy)
        if sents[i].article_ids[0] != sents[j].article_ids[0] and same_fact(float(sims[i, j]), sents[i], sents[j], cfg):
            uf.union(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(sents)):
        groups.setdefault(uf.find(i), []).append(i)
    return list(groups.values())


def _credit_copies(sents: list[Sentence], articles: pl.DataFrame) -> None:
    """A sentence also belongs to the copies of its article whose text holds it word for word.

    Sentence splitting can cut a re-typed or re-paragraphed copy differently from its original; the
    words are still there, so the copy adds nothing the original lacks.
    """
    group = dict(zip(articles["article_id"].to_list(), articles["syndicate_id"].to_list()))
    mates: dict[str, list[str]] = {}
    for article_id, syndicate_id in group.items():
        mates.setdefault(syndicate_id, []).append(article_id)
    if all(len(m) == 1 for m in mates.values()):
        return
    flat = {a: f" {' '.join(words(t))} " for a, t in zip(articles["article_id"].to_list(), articles["text"].to_list())}
    for sent in sents:
        for article_id in list(sent.article_ids):
            for mate in mates[group[article_id]]:
                if mate not in sent.article_ids and f" {sent.key} " in flat[mate]:
                    sent.article_ids.append(mate)


def has_time(moment: datetime) -> bool:
    """A date given with a time of day (midnight exactly is taken for a day given alone)."""
    return not moment.hour == moment.minute == moment.second == 0


def publication_order(rows: Iterable[dict]) -> dict[str, tuple[int, float] | None]:
    """Each article's place in publication order, by article id: (the day its source printed, then its time), None
    when undated. A day given alone does not say when in the day: on a day that one of these versions is dated so,
    every version of that day ties (length or the id decides), so a syndicator's copy dated '2013-08-31' does not
    come before the wire's own version of 08:00 that day, and a New York paper's 21:00 -05:00 on the 31st comes
    before a copy dated by the 1st alone. Give it the versions compared (one text's copies, one copy group)."""
    local = {r["article_id"]: local_time(r) for r in rows}
    untimed = {moment.date() for moment in local.values() if moment is not None and not has_time(moment)}

    def at(moment: datetime | None) -> tuple[int, float] | None:
        if moment is None:
            return None
        day = moment.date()
        return (day.toordinal(), 0.0 if day in untimed else moment.timestamp())

    return {a: at(moment) for a, moment in local.items()}


def _when(moment: datetime) -> str:
    """A date as the reasons give it: with its time, unless the input gave a day alone."""
    return f"{moment:%Y-%m-%d %H:%M}" if has_time(moment) else f"{moment:%Y-%m-%d}"


# A story's distinct sentences are compared all with all: 20,000 of them take 1.6 GB (float32), and a story of 88,000
# (a clustering gone wrong over an archive) asked for 29 GB and crashed the run. Above this, the story is told by its
# longest version, and why, without added facts: the run goes on and the report says so.
MAX_STORY_SENTENCES = 20_000


def _too_large(story_id: str, articles: pl.DataFrame, n_sentences: int) -> StoryFacts:
    """The outcome for a story of more distinct sentences than MAX_STORY_SENTENCES: its longest version (the earliest
    of the longest), no sentence compared."""
    rows = sorted(articles.iter_rows(named=True), key=lambda r: (-r["n_words"], r["published"] is None,
                                                                 r["published"].timestamp() if r["published"] else 0, r["article_id"]))
    reason = (f"longest of {articles.height} versions ({rows[0]['n_words']} words); the story holds {n_sentences:,} distinct "
              f"sentences, more than the {MAX_STORY_SENTENCES:,} compared sentence by sentence, so no added facts are listed")
    return StoryFacts(story_id, rows[0]["article_id"], reason, n_sentences, [])


def resolve_story(
    story_id: str,
    articles: pl.DataFrame,
    sents: list[Sentence],
    vectors: np.ndarray,
    cfg: FactsConfig,
) -> StoryFacts:
    """Pick the article covering most of the story's distinct facts and list what the others add.

    articles: the story's rows (article_id, syndicate_id, n_words, published, text);
    sents: its distinct fact sentences; vectors: their normalised embeddings, row-aligned.
    """
    ids = articles["article_id"].to_list()
    if len(ids) > 1 and len(sents) > MAX_STORY_SENTENCES:
        return _too_large(story_id, articles, len(sents))
    _credit_copies(sents, articles)
    if len(ids) == 1:
        return StoryFacts(story_id, ids[0], f"only version; {len(sents)} {'fact' if len(sents) == 1 else 'facts'}", len(sents), [])
    sims = vectors @ vectors.T if len(sents) else np.zeros((0, 0), dtype=np.float32)
    groups = _groups(sents, sims, cfg)
    index: dict[str, list[int]] = {a: [] for a in ids}
    for i, sent in enumerate(sents):
        for a in sent.article_ids:
            index[a].append(i)
    texts = dict(zip(ids, articles["text"].to_list()))
    words_of = {a: words(texts[a]) for a in ids}
    stated_by = {a: numbers(texts[a]) for a in ids}
    covered = {
        a: said_already(sims, sents, np.array(index[a], dtype=np.int64), Vocabulary(words_of[a]), stated_by[a], cfg)
        for a in ids
    }
    # A fact weighs what its fullest wording says: its content words. Counted alone, "He declined to comment." would
    # weigh as much as the sentence giving the toll, the place and the time, and a version of many short lines (quoted
    # posts, one-line reactions) would win over the report: against two annotators' choice of the most complete
    # version on basil_story, counting facts agreed on 139 of 198 labels, the longest version on 150, weighing them
    # so on 158 (bench/mcv.py).
    weight = [max(1, max(len(sents[i].content) for i in g)) for g in groups]
    has = {a: [bool(covered[a][g].any()) for g in groups] for a in ids}
    coverage = {a: sum(has[a]) for a in ids}
    size = {a: sum(w for w, h in zip(weight, has[a]) if h) for a in ids}
    info = {row["article_id"]: row for row in articles.iter_rows(named=True)}

    # Versions with the same words (an outlet's republication of the wire text) count as one, published when the
    # first of them was: a later version of other words wins a tie for its newer figures (a wire update as long
    # as the version before it), a later copy of the same words has none, and of those the first published wins.
    text_of = {a: (size[a], coverage[a], info[a]["n_words"], tuple(words_of[a])) for a in ids}
    same_words: dict[tuple, list[str]] = {}
    for a in ids:
        same_words.setdefault(text_of[a], []).append(a)
    # Of copies of one text, a day given alone ties with the times of that day (none was first); a version of other
    # words dated by its time that day is still the later version (a wire's update after its first version).
    order: dict[str, tuple[int, float] | None] = {}
    text_time: dict[str, float | None] = {}
    for members in same_words.values():
        order.update(publication_order(info[a] for a in members))  # a day given alone ties only within its own text
        times = [info[a]["published"].timestamp() for a in members if info[a]["published"] is not None]
        for a in members:
            text_time[a] = min(times) if times else None

    def rank(a: str) -> tuple:
        # most fact words, most facts, then most words, then the latest text (dated first), then the first published copy of it
        return (-size[a], -coverage[a], -info[a]["n_words"], text_time[a] is None, -(text_time[a] or 0), order[a] is None, order[a] or (0, 0.0), a)

    ordered = sorted(ids, key=rank)
    best = ordered[0]
    reason = f"covers {coverage[best]} of {len(groups)} facts, {size[best]:,} of {sum(weight):,} fact words"
    runner = ordered[1]
    if (size[runner], coverage[runner]) < (size[best], coverage[best]) and info[runner]["syndicate_id"] == info[best]["syndicate_id"]:
        # the next best is another write-up, not the winner's own text cut shorter, where the story has one
        runner = next((a for a in ordered if info[a]["syndicate_id"] != info[best]["syndicate_id"]), runner)
    # the runner-up by its outlet as well as its id: "as many as 002_... (Reuters)"
    named = f"{runner} ({info[runner]['source']})" if info[runner].get("source") else runner
    if text_of[runner] == text_of[best]:
        when_best, when_runner = order[best], order[runner]
        if when_best is not None and (when_runner is None or when_best < when_runner):
            reason += f", as many as {named}, whose words it has, and was published first ({_when(local_time(info[best]))})"
        else:
            reason += f", as many as {named}, whose words it has; first by article id"
    elif size[runner] == size[best] and coverage[runner] < coverage[best]:
        reason += f", as many fact words as {named}, in more facts ({coverage[best]} against {coverage[runner]})"
    elif size[runner] == size[best]:
        words_best, words_runner = info[best]["n_words"], info[runner]["n_words"]
        when_best, when_runner = info[best]["published"], info[runner]["published"]
        if words_best > words_runner:
            reason += f", as many as {named}, and is longer ({words_best} words against {words_runner})"
        elif when_best is not None and when_runner is None:
            reason += f", as many as {named}, as long, and is dated ({_when(local_time(info[best]))})"
        elif when_best is not None and when_best != when_runner:
            reason += f", as many as {named}, as long, and is the later version ({_when(local_time(info[best]))})"
        else:
            reason += f", as many as {named}, as long ({words_best} words); first by article id"
    else:
        reason += f" (next best: {coverage[runner]} facts, {size[runner]:,} fact words, {named})"
    copies = [a for a in ids if info[a]["syndicate_id"] == info[best]["syndicate_id"]]
    if len(copies) > 1:
        most = max(info[a]["n_words"] for a in copies)
        tied = sum(info[a]["n_words"] == most for a in copies)
        role = "one" if info[best]["n_words"] < most else "longest" if tied == 1 else "as long as the longest"
        reason += f"; {role} of {len(copies)} copies"
    stated = stated_by[best]
    linked = linked_figures(sents, sims, cfg, story_heads(info.values()), {a: local_time(row) for a, row in info.items()})
    against = figures_against(linked, sents, best)
    added: list[tuple[str, list[str], list[str], list[str]]] = []
    for group in sorted(groups, key=min):  # sentences are in article order, so facts read in text order
        detail = bool(covered[best][group].any())
        if not detail:
            if all(slight(sents[i], cfg) for i in group):
                continue  # a quotation's tail, a one-line reaction: no fact to list
            parts = [group]
        else:
            # the most complete version states this fact; a member stating a number it lacks still adds that
            # figure ("$6.32 billion" where it says "$6.3 billion", a count it leaves out), listed once for each
            # set of such numbers. Not so for a name it lacks: of 62 such sentences on basil_story, 35 were
            # labelled "said already" (a first name, a newspaper's name), of 15 stating a number 3 (bench/README.md).
            by_figures: dict[frozenset[str], list[int]] = {}
            for i in group:
                beyond = frozenset(n for n in sents[i].numbers if not stated_in(n, stated))
                if beyond:
                    by_figures.setdefault(beyond, []).append(i)
            parts = sorted(by_figures.values(), key=min)
        for members in parts:
            carriers = sorted({a for i in members for a in sents[i].article_ids})
            lead = min(members, key=lambda i: (ids.index(sents[i].article_ids[0]), i))
            differs = list(dict.fromkeys(
                f"{figure_text(v)} {about}" for i in sorted(members, key=lambda i: i != lead) for about, _, vs in against.get(i, []) for v in vs
            ))
            added.append((sents[lead].text, carriers, figures_beyond(sents[lead].text, stated) if detail else [], differs))
    return StoryFacts(story_id, best, reason, len(groups), added, conflicts_of(linked, sents))


class Resolution(NamedTuple):
    """What the facts stage decides: canonical choice per story, added facts, conflicting figures."""

    canon: pl.DataFrame
    facts: pl.DataFrame
    conflicts: pl.DataFrame


def resolve_stories(documents: pl.DataFrame, embedder: Embedder, cfg: FactsConfig) -> Resolution:
    """Per story: the canonical choice (story_id, canonical_article_id, canonical_reason, n_facts), the
    facts other versions add, and the figures they disagree on."""
    return resolve_stories_with_sentences(documents, embedder, cfg)[0]


def resolve_stories_with_sentences(
    documents: pl.DataFrame,
    embedder: Embedder,
    cfg: FactsConfig,
    boilerplate: set[str] | None = None,
    candidates: pl.DataFrame | None = None,
) -> tuple[Resolution, pl.DataFrame]:
    """resolve_stories, and the sentences it embedded for each story (story_id, text), so a caller can
    keep their vectors for the next run. boilerplate: the sentence keys that are house style, when the
    caller knows more stories than these documents hold (an incremental run); else found among them.
    candidates: fact_candidates of these documents, when the caller has split them already."""
    documents = documents.sort("article_id")
    if candidates is None:
        sentences = fact_candidates(article_sentences(documents), cfg)
    else:  # in the order article_sentences gives them
        sentences = candidates.sort(["article_id", "pos"], maintain_order=True)
    if boilerplate is None:
        boilerplate = boilerplate_keys(sentences, cfg.boilerplate_min_stories)
    sentences = sentences.filter(~pl.col("key").is_in(list(boilerplate)))
    # Embed every distinct sentence once, in one batch. A story with one version needs no comparison
    # now, but its vectors are kept: the desk then tells what a new write-up adds without embedding them.
    firsts = sentences.group_by("key", maintain_order=True).agg(pl.col("text").first())
    vectors = embedder.embed(firsts["text"].to_list()) if firsts.height else np.zeros((0, 1), dtype=np.float32)
    row_of = {k: i for i, k in enumerate(firsts["key"].to_list())}
    used = sentences.select("story_id", "key").unique().join(firsts, on="key")

    canon_rows, fact_rows, conflict_rows = [], [], []
    by_story = sentences.partition_by("story_id", as_dict=True, maintain_order=True)
    for (story_id,), articles in documents.sort(["story_id", "article_id"]).group_by("story_id", maintain_order=True):
        story_sents = by_story.get((story_id,))
        sents: dict[str, Sentence] = {}
        if story_sents is not None:
            for article_id, text, key in story_sents.select("article_id", "text", "key").iter_rows():
                sent = sents.get(key)
                if sent is None:
                    sent = sents[key] = Sentence(key, text, [], numbers(text), names(text), content_words(text), tuple(counts(text)))
                if article_id not in sent.article_ids:
                    sent.article_ids.append(article_id)
        ordered = list(sents.values())
        vecs = vectors[[row_of[s.key] for s in ordered]] if ordered else np.zeros((0, 1), dtype=np.float32)
        result = resolve_story(story_id, articles, ordered, vecs, cfg)
        canon_rows.append((story_id, result.canonical_article_id, result.canonical_reason, result.n_facts))
        conflict_rows += [
            {"story_id": story_id, "about": about, "values": values, "article_ids": ids,
             "numbers_differ": numbers_differ(values), "sentences": said, "value_article_ids": holders}
            for about, values, ids, said, holders in result.conflicts
        ]
        sources = dict(zip(articles["article_id"].to_list(), articles["source"].to_list()))
        for text, carriers, detail_figures, differs_from in result.added:
            fact_id = "fact_" + hashlib.sha1(f"{story_id}\x00{sentence_key(text)}".encode()).hexdigest()[:12]
            fact_rows.append(
                {
                    "story_id": story_id,
                    "fact_id": fact_id,
                    "text": text,
                    "article_ids": carriers,
                    "sources": sorted({sources[a] for a in carriers if sources[a]}),
                    "detail_figures": detail_figures,
                    "differs_from": differs_from,
                }
            )
    canon = pl.DataFrame(
        canon_rows,
        schema={"story_id": pl.String, "canonical_article_id": pl.String, "canonical_reason": pl.String, "n_facts": pl.Int64},
        orient="row",
    )
    used = (
        used.join(canonical_spans(sentences, documents, canon), on=["story_id", "key"], how="left")
        .select("story_id", "text", "start", "end").sort("story_id", "text")
    )
    facts = conform(pl.DataFrame(fact_rows, schema=FACTS), FACTS, "facts") if fact_rows else empty(FACTS)
    conflicts = conform(pl.DataFrame(conflict_rows, schema=CONFLICTS), CONFLICTS, "conflicts")
    resolution = Resolution(canon, facts.sort("story_id", maintain_order=True), conflicts.sort(["story_id", "about"]))
    return resolution, used


def canonical_spans(sentences: pl.DataFrame, documents: pl.DataFrame, canon: pl.DataFrame) -> pl.DataFrame:
    """(story_id, key, start, end): where each fact sentence of a story's most complete version lies in
    its text (key: its sentence_key). sentences: article_sentences rows; canon: story_id, canonical_article_id."""
    texts = dict(zip(documents["article_id"].to_list(), documents["text"].to_list()))
    mine = sentences.join(
        canon.select("story_id", pl.col("canonical_article_id").alias("article_id")), on=["story_id", "article_id"]
    ).sort(["story_id", "pos"])
    rows, cursor, current = [], 0, None
    for story_id, article_id, text, key in mine.select("story_id", "article_id", "text", "key").iter_rows():
        if story_id != current:
            current, cursor = story_id, 0
        at = texts[article_id].find(text, cursor)
        if at >= 0:  # split_sentences gives pieces of the text, in order
            cursor = at + len(text)
            rows.append((story_id, key, at, cursor))
    spans = pl.DataFrame(
        rows, schema={"story_id": pl.String, "key": pl.String, "start": pl.Int32, "end": pl.Int32}, orient="row"
    )
    return spans.unique(["story_id", "key"], keep="first", maintain_order=True)


def as_sentence(text: str) -> Sentence:
    """A standalone sentence with what it states."""
    return Sentence(sentence_key(text), text, [], numbers(text), names(text), content_words(text))


def judge_pairs(
    left: list[str], right: list[str], embedder: Embedder, cfg: FactsConfig
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For sentence pairs: cosine similarities, the number/name compatibility, and the same-fact decision."""
    unique = sorted(set(left) | set(right))
    row = {t: i for i, t in enumerate(unique)}
    vectors = embedder.embed(unique)
    a = vectors[[row[t] for t in left]]
    b = vectors[[row[t] for t in right]]
    sims = (a * b).sum(axis=1)
    parsed = {t: as_sentence(t) for t in unique}
    compatible = np.array(
        [same_fact(1.0, parsed[x], parsed[y], cfg) for x, y in zip(left, right)], dtype=bool
    )
    return sims, compatible, (sims >= cfg.same_fact_similarity) & compatible
