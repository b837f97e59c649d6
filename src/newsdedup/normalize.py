"""Text clean-up shared by the stages: what is boilerplate, word shingles, sentences, numbers and names."""

from __future__ import annotations

import re
import unicodedata
import zlib
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache

import ftfy
import numpy as np

_FOLD = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2010": "-", "\u2011": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00a0": " ",
        "\u200b": "",
    }
)
_WORD = re.compile(r"[a-z0-9]+")

# Lines that are never part of the story.
# A month's name or its abbreviation, as a date writes it ("3 Feb", "February 3", "Sept. 3"; not "Marines")
_MONTH = (r"\b(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun"
          r"|jul|aug|sept|sep|oct|nov|dec)\b\.?")

_BOILERPLATE_PATTERNS = (
    # a notice, not a story about copyright ("Copyright lawsuits against ... have surged")
    # (nor "Copyright by itself is no defence", "Copyright law was last overhauled in 1976.")
    r"^(©|\(c\)\s|copyright\s*(©|\(c\)|(19|20)\d\d\b|by\s+(?-i:[A-Z])|$)"
    r"|copyright\b(?:(?!\b(?:is|was|were|are|has|have|had|will|law|laws)\b).){0,60}\b(19|20)\d\d\W*$)",
    r"\ball rights reserved\b",
    # a credit names its sources, a few words: not "With inputs from the ministry, officials drew up ..."
    # (in brackets, any length: "(With inputs from PTI, ANI and IANS, and our correspondents in Mumbai and Kolkata)")
    r"^\(\s*with (additional )?inputs? from\b[^()]{1,200}\)\.?$",
    r"^with (additional )?inputs? from(\s+[^\s)]+){1,8}\s*\.?$",
    # names after "by", and nothing but names: not "Reported by residents shortly after 9 p.m., ...", "Written by
    # hand, ...", "Reporting by Reuters showed that ..." ("Reporting by Jane Doe in London; Editing by John Roe")
    # (each piece whole, so a long line is read once: a name, a word a credit holds, or a run of marks)
    r"^\(?\s*(additional )?(reporting|writing|editing|compiled|written|reported|edited) by\s+(?=(?-i:[A-Z]))"
    r"(?:(?-i:[A-Z][\w.'\u2019-]*)(?![\w.'\u2019-])|(?-i:(?:and|in|from|at|for|with|of|de|da|van|von|der|den|al|el|bin|"
    r"la|le|by|the|additional|reporting|writing|editing|compiled|edited|written|reported|photos?|graphics?|video|staff|"
    r"correspondents?|reporters?|bureaus?|desk|team|wires?|agencies)\b)"
    r"|[\s,;:&/()-]+(?![\s,;:&/()-]))*$",
    r"^(photo|image|picture|photograph|file photo|video)s?(\s+credits?)?\s*[:|/]",
    r"^(read more|read also|also read|related|recommended|more from|see also|also see|watch|listen)\s*[:|\-]",
    # a promo: "Sign up for ...", "... subscribe to our ...", "... sign up for the weekly ... newsletter"; not
    # "Officials urged residents to sign up for the county's emergency text alerts"
    r"^\W*(sign up|subscribe)(\s+(for|to|now|here|today|and)\b|\s*[:!\-]|\s*$)",  # not "Sign up was slow, ..."
    r"\b(sign up|subscribe)\b.{0,40}\b(our|free)\b.{0,40}\b(newsletters?|alerts|briefing|e-?mails?|inbox)\b",
    r"^to (keep|continue) reading\b",
    r"\b(sign up|subscribe)\b.{0,80}\b(newsletters?|inbox)\b",
    r"\bnewsletter\b.{0,60}\b(sign up|subscribe|inbox|delivered)\b",
    r"^(follow us|click here|download (the|our) app|get the latest|share this|advertisement$)",
    # a page's furniture, as whole lines: "Image caption, A watchmaker at work ...", "Story continues below
    # advertisement", "Related Articles", "Most Read", "Share on WhatsApp", "Author: Jane Doe", "Filed under: ..."
    r"^(image|media|video) (caption|source)\s*[,:]",
    r"^our standards\s*:",
    r"^(story|article) continues (below|after)( (the )?(advertisement|ad))?\W*$",
    r"^continue reading( (the )?(main )?story| below)?\W*$",
    r"^(related|more|recommended|top|latest) (articles|stories|news|content|coverage|videos?)\W*$",
    r"^most (read|popular|viewed|shared|commented)\W*$",
    r"^(\d+\s+)?comments?\W*$|^(leave|post|add) a comment\W*$|^loading\W*$",
    r"^share (on|via|to) (whatsapp|facebook|twitter|x|linkedin|e-?mail|telegram|reddit|pinterest)\W*$",
    r"^(keywords|filed under|topics)\s*:",
    r"^authors?\s*:\s*[^.!?]{0,60}$",  # a name, not "Author: Salman Rushdie, who ..., spoke at the festival on Friday."
    r"^posted by\s+(?-i:[A-Z])[^.!?]{0,60}$",
    rf"^(first |last )?(published|updated|posted)(\s+(on|at))?\s+(\d{{1,2}}\s+{_MONTH}|{_MONTH}\s+\d{{1,2}},?)\s+(19|20)\d\d\W*$",
    # "Updated: 3 Feb 2026 10:04 IST", "Updated: 10:04", "Published: 2 hours ago", a short line with a date ("Updated:
    # Rick Santorum on Sunday ..." is a lead, "UPDATED: Balochistan toll rises to 135" a headline)
    rf"^(first |last )?(published|updated|posted|modified)(\s+(on|at))?\s*:(?=.*(\d[:./-]\d|\b(19|20)\d\d\b|\b\d{{1,2}}\s+{_MONTH}"
    rf"|{_MONTH}\s+\d{{1,2}}\b|\d\s*(am|pm|gmt|utc)\b|\b\d+\s+\w+\s+ago\b)).{{0,45}}$",
    r"^(published|updated|posted)\s+(on|at)\s+[^.!?]{0,30}\b(19|20)\d\d\b[^.!?]{0,40}$",  # "Posted on Feb 6, 2026 by ..."
    # a section, "World | Europe", "Home > World", "Home \u00bb World" (folded to '"', so between spaces)
    r"^[A-Z][\w&'.-]*(\s[\w&'.-]+)?((\s*[|>]\s*|\s+\"\s+)[A-Z][\w&'.-]*(\s[\w&'.-]+)?)+$",
    # "This material may not be published, broadcast, rewritten or redistributed", not "The suspect's full
    # name may not be published under German privacy law" nor "... may not be published or broadcast until the trial"
    r"\bmay not be (published|reproduced|redistributed|rewritten|broadcast|distributed|transmitted)\s*,\s*\w+\s*,?"
    r"\s*(\w+\s*,?\s*)?(or|and)\b",
    r"\b(material|content)\b.{0,40}\bmay not be (published|reproduced|redistributed|rewritten|broadcast)\b",
    r"\b(republication|redistribution)\b.{0,80}\b(prohibited|permission|consent)\b",
    r"^\(?(agencies|reuters|ap|afp|pti|ians|ani|xinhua|upi|dpa|efe|bloomberg|getty images|epa|"
    r"shutterstock|ap photo|reuters photo|afp photo|anadolu agency)\)?\.?$",
    # a syndicating site's disclaimer, naming itself: "(This story has not been edited by NDTV staff and is
    # auto-generated from a syndicated feed.)", "(Only the headline of this report may have been reworked by ...
    # staff; the rest of the content is auto-generated ...)", "This report is auto-generated from ANI news
    # service. X holds no responsibility for its content.", "This article was originally published by Reuters
    # and is republished here under licence."
    r"^(?=.{0,300}$)\(?(except for the headline, )?(this|the) (article|story|report|piece|content)\b.{0,30}\bnot (been )?"
    r"edited by\b.{0,40}\bstaff\b",
    # a wire's note on a version, the whole line in brackets: "(This story has been refiled to correct the date in
    # paragraph 8)", "(This story has been corrected to show ...)"
    r"^(?=.{0,300}$)\((this|the) (story|article|report|version) (has been|was|is being) (refiled|corrected|updated|re-?issued)\b[^()]*\)$",
    # a paper's print line: "Published in Dawn, February 2nd, 2026"
    r"^(?=.{0,80}$)published in (the )?[a-z][\w .'&-]{0,40}, [a-z]+ \d{1,2}(st|nd|rd|th)?,? (19|20)\d\d\W*$",
    # "Catch all the Latest News, Breaking News and ... on ...", an Indian news site's closing promo
    r"^(?=.{0,300}$)catch all the latest (news|updates)\b",
    r"^(?=.{0,300}$)\(?(disclaimer:\s*)?(this|the) (article|story|report|piece|content)\b.{0,30}\bauto-?generated from\b.{0,40}"
    r"\b(feed|service|wire|agency)\b",
    r"^(?=.{0,300}$)\(?only the headline\b.{0,40}\b(reworked|changed|edited)\b",
    r"\A(?=.{0,300}$).{0,160}\bholds? no responsibility for (its|the|this) content\W*$",  # \A: tried where its words are
    r"^(?=.{0,250}$)\(?(this|the) (article|story|report|piece) ((was|is|has been) )?(originally )?(first )?(published|appeared)\b"
    r".{0,80}\b(republished|reproduced)\b.{0,20}\b(here|with permission|under (a |an )?[\w -]{0,30}licen[cs]e|by arrangement)"
    r"\b[^,;]*$",
    # "This article originally appeared on Fox News.", "This story first appeared in The Conversation." (the
    # page speaking of itself; "The story first appeared in the Post last week, ..." is news)
    r"^(?=.{0,160}$)\(?this (article|story|report|piece|post|content) (was )?(originally|first) (appeared|published|ran) "
    r"(on|in|at|by)\b[^,;:]{1,80}\)?$",
    # a wire's placeholder for the next version, a blog's correction header ("This post has been revised to
    # reflect the following correction:")
    r"^(more|further) details (are )?(awaited|to follow|soon)\b\W*$",
    # a consent wall or an app's shell, all a scraped page may hold: "We use cookies to improve your experience ...",
    # "Accept all", "You need to enable JavaScript to run this app."
    # (never a line that reports it: "This site uses cookies to track readers, the regulator said")
    # (the words first: every line is tried, and most fail there)
    r"^(?=(we|this (web)?site|our (web)?site) uses? cookies\b)(?=.{0,400}$)"
    r"(?!.*\b(said|says|told|warned|admitted|according|alleged|ruled|found)\b)"
    r".*?cookies\b(\W*$|.*\b(experience|improve|personali[sz]|consent|agree|continu|brows|analytics|advertis"
    r"|cookie policy|privacy))",
    r"^(accept|reject|allow|decline)( all| necessary| essential)?( cookies)?\W*$|^(manage|customi[sz]e) (cookies|preferences|consent)\W*$",
    r"^(?=((you need to |you must |please )?(enable|turn on|activate) javascript|javascript is (disabled|required|not "
    r"enabled)|your browser (does not|doesn't) support)\b)(?=.{0,200}$)(?!.*\b(said|says|told|warned|admitted|according)\b)",
    r"^this (post|article|story) (has been|was) (revised|updated|corrected) to reflect\b",
    # a newsroom's trailer: "The Associated Press contributed to this report.", "Jane Doe contributed reporting from
    # Kabul.", "A version of this article appears in print on ...", "This is a developing story.", "Stay with us for
    # updates ...", "Watch the video above for more.", "Contact the reporter at ...@...", "Have a news tip? Email ...",
    # "Follow our live coverage of ... on our website" (not "The ministry contributed to the fund", "Watch
    # parties were held across the city")
    # (a trailer is the whole line: nothing after it but punctuation, no clause of news, no "said")
    r"\A(?=.{0,250}$)(?![^.!?]*\b(who|which|that|whose)\b)[^.!?,;:]{2,100}\bcontributed (additional |further )?"
    r"(reporting(\s+(from|in|at|for|on)\s+[^.!?,;:]{1,80})?|to this (report|story|article))\W*$",
    r"^\(?an? (version|earlier version) of this (article|story|report)\b(?=.{0,260}$).{0,60}\b(print|edition|paper)\b",
    r"^\(?(this is an? (developing|breaking|evolving)( news)? (story|situation)|this (story|article|report) is "
    r"(still )?(developing|breaking))\b(?![^!?]*\b(said|says|told|warned|urged|according|should|must)\b)[^!?]{0,120}$",
    r"^\(?(stay with us|stay tuned|check back)\b(?=.{0,140}$)(?!.*\b(said|says|told|warned|urged|according)\b).{0,60}"
    r"\b(updates?|more|latest|developments?)\b",
    r"\A(?=.{0,160}$)\(?(watch|see|view|check out)\b(?!.*\b(said|says|told|according)\b).{0,40}"
    r"\b(video|videos|clip|gallery|photos|slideshow)\b.{0,20}\b(above|below)\b[^!?]{0,60}$",
    # an address the line ends with (a telephone number after it): "Contact the reporter at jdoe@example.com."
    r"^\(?(contact|e-?mail|reach|write to)\b(?=.{0,190}$)(?!.*\b(said|says|told|according)\b).{0,100}"
    r"[\w.+-]+@[\w-]+\.[\w.-]*\w(\s+(or|and)\s+(call\s+)?[\d\s().+-]{7,20})?\W*$",
    r"^\(?(have|got) (a|any) (news )?tips?( for us)?\?",
    # the page asking its reader, or pointing at what it embeds: "See the cover below, and tell us whether you think it
    # crosses a line.", "Let us know what you think in the comments.", "Below are some of the photos shared on Twitter."
    # (not "'Tell us what you think,' the mayor said")
    # (one sentence, not a quotation, the reader told to tell: not "Officials tell us the water is still below ...")
    r"\A(?=[^.!?\"\u201c\u201d]{0,200}[.!?]?$)(?!.*\b(said|says|told|according|wrote|writes|added|asked|urged)\b)"
    r"(?:.{0,100}(?:,\s*|\band\s+))?(tell us|let us know)\b.{0,60}\b(you|your)\b",
    r"^below (are|is) (some|a few|a selection)( of)? (the )?(photos|pictures|images|tweets|posts|videos|reactions)\b"
    r"(?=[^.!?]{0,200}[.!?]?$)(?!.*\b(said|says|told|according)\b)",
    r"^\(?(follow|read|see|get) (all )?(of )?our (live |full |complete |latest |continuing |ongoing )?"
    r"(coverage|updates|live blog|live updates)(\s+(of|on|at|from|in|here)\b|\W*$)(?!.*\b(said|says|told)\b)",
    # a wire's note to editors on what a new version changes: "(Updates toll in paragraph 1, adds detention of
    # captain)", "(Adds quote from minister, paragraphs 5-6)", "(Corrects spelling of name in paragraph 3)"
    r"^\((adds|updates|recasts|corrects|changes|rewrites|refiles|repeats|fixes|removes|deletes|inserts|clarifies"
    r"|writes through|tops|overwrites|edits|restores)\b"
    r"(?=[^()]*\b(paragraphs?|paras?|grafs?|throughout|byline|headline|dateline|details|quotes?|comments?|background"
    r"|reaction|toll|figures?|spelling|typo)\b)[^()]*\)\.?$",
)
# Furniture that opens a line, tried once at its start; and furniture anywhere in it (also a pattern opening with
# \A: tried only on a line holding one of _ANYWHERE_WORDS, as a slow pattern should be).
_BOILERPLATE_START = re.compile("|".join(f"(?:{p[1:]})" for p in _BOILERPLATE_PATTERNS if p.startswith("^")), re.I)
_BOILERPLATE_ANYWHERE = [re.compile(p, re.I) for p in _BOILERPLATE_PATTERNS if not p.startswith("^")]
# Words one of those needs: most lines hold none, and a substring test is much cheaper than a search.
_ANYWHERE_WORDS = (
    "rights reserved", "sign up", "subscribe", "newsletter", "may not be", "republication", "redistribution",
    "responsibility", "contributed", "above", "below", "tell us", "let us know",
)
# "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By JANE DOE | AP": names only, case-sensitive,
# so that "By Sunday, security forces had ..." stays story text.
_NAME_RUN = r"[A-Z][\w.'\-]*(?:\s+(?:de|van|von|al|bin|of)?\s*[A-Z][\w.'\-]*){0,3}"  # "Press Trust of India"
_BYLINE = re.compile(rf"^By\s+{_NAME_RUN}(?:\s*(?:,|and|&|\||/)\s*{_NAME_RUN})*\.?$")
# Short lines that credit a photo; the line above one is its caption.
# The photographer may come first: "Photo: Emre Yildiz/Reuters", "Emre Yildiz/AP".
_CREDIT_LINE = re.compile(
    r"^\(?((photo|image|picture)s?\s*(credit)?\s*[:|/]\s*)?([\w.'\-]+(\s+[\w.'\-]+){0,3}\s*/\s*)?"
    r"(reuters|ap|afp|getty images|epa|xinhua|anadolu|bloomberg|shutterstock|file|ap photo|afp photo|reuters photo|"
    r"pti|ani|ians)\b[\w /.,'-]{0,40}\)?$",
    re.I,
)
# A one-sentence paragraph that ends in a photo credit and gives the full date is an AP-style caption: "Rescue
# workers search the rubble in Malatya, Turkey, Tuesday, Feb. 3, 2026. (AP Photo/Emre Yildiz)".
_PHOTO_CREDIT_END = re.compile(
    r"(?i:\((?:ap|afp|reuters|getty images|epa|xinhua)?\s*photo\b[^()]{0,60}\))\W*$"
    # a picture agency: "(Getty Images)", "(Chip Somodevilla/Getty Images)", "(Mandel Ngan/AFP via Getty Images)",
    # "(Jim Watson/AFP/Getty Images)", "(Reuters/Jane Doe)", "(Jane Doe/AP)"; not an agency's initials alone, which
    # spell out a name ("by the Environmental Protection Agency (EPA)")
    r"|(?i:\((?:[^()/]{1,40}/\s*)?(?:[\w.-]+\s+via\s+|[\w.-]+\s*/\s*)?(?:getty images|getty|shutterstock|istock|alamy)\))\W*$"
    r"|(?i:\((?:(?:ap|afp|reuters|epa(?:-efe)?)\s*/\s*[^()/]{1,40}|[^()/]{1,40}/\s*(?:ap|afp|reuters|epa(?:-efe)?))\))\W*$"
    r"|\s-\s[A-Z][A-Z .'&-]{1,40}/\s*(?:AFP|AP|REUTERS|GETTY IMAGES|EPA)\W*$"  # AFP style: "... 2026. - JIJI PRESS / AFP"
)
_FULL_DATE = re.compile(r"\b[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+(19|20)\d\d\b")
# Share buttons and app promos that close a page, one per line.
_SOCIAL = re.compile(
    r"^(share|share this|facebook|twitter|x|whatsapp|linkedin|email|e-mail|print|copy link|telegram|reddit|pinterest)$"
    r"|^follow\b(?!-).{0,60}\bon (whatsapp|twitter|x|facebook|instagram|telegram|google news|threads)\b(?!['\u2019])"
    r"|^download (the|our)\b.{0,40}\bapp\b"
    # "For the latest news, follow us on Google News and join our WhatsApp channel."
    r"|^(?=.{0,200}$)for (the )?(latest|more|all|breaking)\b.{0,40}\b(follow|join|subscribe to)\b.{0,30}\b(us|our)\b.{0,40}"
    r"\b(whatsapp|twitter|facebook|instagram|telegram|google news|youtube|threads)\b",
    re.I,
)
# An embedded post, as a page's text keeps it: "... pic.twitter.com/tBp5aXWhBj — Morning Joe (@Morning_Joe) December 4,
# 2017" (its words are the post's, quoted in the page's layout, not the article's sentences).
_EMBEDDED_POST = re.compile(r"[\u2014\u2013-]\s*[^()\n]{1,60}\(@\w{1,15}\)\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+(?:19|20)\d\d\s*$")
# NewsAPI cuts a text with "... [+2841 chars]".
# an API's cut-off marker ending a text ("... [+2412 chars]"), found by its bracket: a pattern opening with \s* would try
# every place in a long run of spaces
_TRUNCATED = re.compile(r"\[\+\d+ chars\]\s*$")
_INLINE_CREDIT = re.compile(
    r"(?<!\s)\s*\((?:(?:(?:ap|afp|reuters|getty(?: images)?|epa|file|representative|pti|ani|ians|xinhua)\s*)?"
    r"(?:photo|photograph|image|picture|file pic)s?\s*(?:(?:[:/|,-]|by\s)[^()]{0,60})?|"
    r"(?:agencies|reuters|ap|afp|pti|ians|ani|xinhua)|with (?:additional )?inputs? from [^()]{1,60})\)",
    re.I,
)
# "Islamabad, Feb 2:", "LONDON (Reuters) -", "WASHINGTON —", "Karachi, February 2, 2026:".
_DATELINE = re.compile(
    r"^(?P<dateline>(?:[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){0,3})"
    r"(?:,\s*(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d)[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){0,2})?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?"
    r"(?:\s*\([A-Za-z .&]{2,30}\))?)\s*(?P<sep>:|-{1,2}|\u2014|\u2013)\s+(?=\S)"
)
_MONTH_DAY = re.compile(r",\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}")
# "Tags", "Tags: Pakistan, Balochistan", "Tag | Rotterdam | Shipping", "Tags - Budget": the word, then a list (below)
_TAGS = re.compile(r"^tags?\s*(?:(?:[:|]|\s-\s|-$)\s*(?P<items>\S.*)?)?$", re.I)
# the small words a sentence is made with and a tag list has none of ("Tag: Heuer's partnership lifted its shares 5
# percent on Monday after the deal." against "Tags: Donald Trump, Trump tariffs news, India US trade deal latest update")
_SENTENCE_WORDS = frozenset("the a an its his her their is are was were has have had on after before with from said".split())


def _is_tag_list(line: str) -> bool:
    """A tag list: "Tags" alone or with its items after a colon, a bar or a spaced dash. Not a sentence that opens
    with the word: "Tag-team matches drew ...", "TAG-Heuer shares rose ...", "Tag: Heuer's partnership lifted its
    shares 5 percent on Monday."."""
    match = _TAGS.match(fold(line).strip())
    if match is None:
        return False
    items = match.group("items")
    if items is None:
        return True
    # any list ("#Trump #Modi", "trump modi trade deal", names, phrases); not a sentence: an end mark and its small words
    if not re.search(r"[.!?]['\"\u2019\u201d)]*$", items):
        return True
    return sum(w in _SENTENCE_WORDS for w in items.lower().split()) < 2
_TERMINAL = re.compile(r"[.!?:;\"'\u201d\u2019)\]]$")

_NUMBER_WORDS = {
    "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
    "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "thirteen": "13",
    "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17", "eighteen": "18",
    "nineteen": "19", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
    "seventy": "70", "eighty": "80", "ninety": "90", "hundred": "100", "dozen": "12",
    "thousand": "1000", "million": "1000000", "billion": "1000000000", "trillion": "1000000000000",
    "lakh": "100000", "crore": "10000000",  # Indian English ("lakhs of devotees", as "thousands of", counts nothing)
}
# A scale glued to the digits: "$2bn", "£20m", "Rs 5mn", "2.5tn", "$50k" (read as "2 billion" is read).
_SUFFIXES = {"k": "1000", "m": "1000000", "mn": "1000000", "bn": "1000000000", "tn": "1000000000000"}
# The scale words and what each multiplies by (after a number also in the plural: "1.1 millions", "2 lakhs").
SCALES = {w: int(_NUMBER_WORDS[w]) for w in ("hundred", "thousand", "million", "billion", "trillion", "dozen", "lakh", "crore")}
# Numbers under a thousand spelled in more than one word, as AP style spells a number that opens a sentence:
# "Twenty-two", "twenty two", "one hundred and five", "a hundred and five". numbers() and figures() read them as
# one number ("22"), not as two ("20", "2"), which would make them a different figure from the "22" of another
# version. Larger ones ("one thousand two hundred") stay pieces, as "2 million" does.
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_GAP = r"(?:-|[^\S\n]+)"  # a hyphen or spaces, never a line break: "forty\n\nTwo more died" is 40 and 2
_BELOW_100 = rf"(?:(?:{'|'.join(_TENS)})(?:{_GAP}(?:{'|'.join(_UNITS)}))?|{'|'.join(_TEENS)}|{'|'.join(_UNITS)})"
# "one hundred and two hundred" is a range, not 102 hundred: the rest of a number is never followed by "hundred"
_TIMES_100 = rf"{_GAP}hundred\b(?!-)"  # "hundred" multiplying what comes before (not "hundred-dollar bills")
_REST = rf"(?:[^\S\n]+and)?{_GAP}(?P<rest>{_BELOW_100})\b(?!{_TIMES_100})"
_SPELLED = re.compile(
    rf"\b(?:(?P<hundreds>a|{'|'.join(_UNITS)}){_GAP}hundred(?:{_REST})?"
    rf"|(?:(?P<tens>{'|'.join(_TENS)}){_GAP}(?P<unit>{'|'.join(_UNITS)})|(?P<teen>{'|'.join(_TEENS)})(?={_GAP}hundred))"
    rf"(?:{_GAP}(?P<times_100>hundred)\b(?!-))?)\b(?!{_TIMES_100})",
    re.I,
)


def _spelled_value(match: re.Match[str]) -> str:
    def below_100(phrase: str) -> int:
        return sum(int(_NUMBER_WORDS[w]) for w in re.split(_GAP, phrase.lower()))

    rest, hundreds = match.group("rest"), match.group("hundreds")
    if hundreds:
        times = 1 if hundreds.lower() == "a" else int(_NUMBER_WORDS[hundreds.lower()])
        return str(100 * times + (below_100(rest) if rest else 0))
    if match.group("teen"):
        value = int(_NUMBER_WORDS[match.group("teen").lower()])
    else:
        value = below_100(f"{match.group('tens')} {match.group('unit')}")
    return str(value * 100 if match.group("times_100") else value)  # "twenty-two hundred" is 2200


def spelled_as_digits(text: str) -> str:
    """The text with numbers spelled in several words written in digits ("Twenty-two people" -> "22 people");
    one-word numbers stay words (numbers() and figures() read those already)."""
    return _SPELLED.sub(_spelled_value, text)


# After a number, a scale is one with it: "2 million", "$10-million", "1.1 millions", "a 1.5 billion-pound writedown",
# "two dozen", "5 lakh"; not "twenty-one hundred-dollar bills" (21 bills).
# One or more in a row multiply: "Rs 1.5 lakh crore", "three thousand million", "2 hundred thousand".
_SCALE_WORD = r"(?:" + "|".join(SCALES) + r")s?\b(?!(?<=hundred)-)"
_SCALE_CHAIN = rf"{_SCALE_WORD}(?:[^\S\n]+{_SCALE_WORD})*"
_NUMBER = re.compile(
    r"(?P<digits>(?<![\w.])\.\d+|\d[\d,]*(?:\.\d+)?)"
    r"(?:(?P<suffix>" + "|".join(_SUFFIXES) + r")\b|(?:[^\S\n]+|-)(?P<scale>" + _SCALE_CHAIN + r"))?"
    r"|\b(?P<word>" + "|".join(_NUMBER_WORDS) + r")\b(?:(?:[^\S\n]+|-)(?P<word_scale>" + _SCALE_CHAIN + r"))?",
    re.I,
)


def _scale_name(word: str) -> str:
    """A scale word as SCALES has it: "millions" -> "million"."""
    word = word.lower()
    return word if word in SCALES else word[:-1]


def _scale(words_: str) -> int:
    """What a scale word, or a run of them, multiplies by ("million", "millions", "lakh crore")."""
    factor = 1
    for word in words_.split():
        factor *= SCALES[_scale_name(word)]
    return factor
# Digits glued to a word are part of a name, not a figure: "Covid-19", "F-16", "G7", "MH17", "H1N1". A currency
# code before them ("Rs5,000") and a prefix of time ("mid-2025") do not make a name.
_GLUED = re.compile(r"([A-Za-z]+)(-?)\Z")
_CURRENCY_CODES = frozenset(
    "rs rp tk ksh sh r n p rm dh qr sr rmb yuan chf jpy cny hkd sgd nzd zar aed sar ngn kes egp brl mxn krw idr php "
    "thb vnd bdt lkr npr usd eur gbp inr pkr cad aud us hk nz a c s".split()
)
_NOT_GLUE = _CURRENCY_CODES | frozenset(
    "mid pre post late early top over under sub near last first next magnitude category level grade phase stage".split()
)
_CODE_BEFORE = re.compile(r"\b([A-Za-z]+)(\.?\s?)\Z")  # "Rs5m", "Rs. 5m", "USD 10m"; a one-letter code glued only
_LOWER_NAMES = frozenset("covid sars mers".split())  # lower-case words a hyphen joins to a name's digits
CURRENCY_SIGNS = "$\u00a3\u20ac\u00a5\u20b9"
_CURRENCY_SIGN = re.compile(rf"[{re.escape(CURRENCY_SIGNS)}]\s?\Z")
_NAME = re.compile(r"\b[A-Z][a-zA-Z'\-]+(?:\s+(?:al-|bin\s|de\s|van\s)?[A-Z][a-zA-Z'\-]+)*")
# Capitalised words that are not names.
_NOT_NAMES = frozenset(_NUMBER_WORDS) | frozenset(
    """a an the this that these those it its he she they we i you his her their our my your there here
    then when while after before as at by for from in into of on to with without but and or if so yet
    also however meanwhile earlier later today yesterday tomorrow on monday tuesday wednesday thursday
    friday saturday sunday january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec mr mrs ms dr prime minister president
    officials official police authorities security government military army minister chief
    some many most all several more other both each one two three what who where why how not no
    senator senators representative representatives governor congressman congresswoman secretary speaker
    spokesman spokeswoman spokesperson mayor judge justice""".split()
)


# Double-encoded UTF-8 ("mojibake": a text's UTF-8 bytes read as cp1252 or latin-1, then saved as UTF-8 again):
# "Pakistan\u00e2\u20ac\u2122s" for "Pakistan\u2019s", "caf\u00c3\u00a9" for "caf\u00e9". Such a text holds a
# letter of U+00C0-U+00FF followed by a continuation byte's character (U+0080-U+00BF, or the one cp1252 puts there);
# that scan is cheap, and only a text showing it is given to ftfy.
_MOJIBAKE = re.compile(
    "[\u00c0-\u00ff][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


def repair_mojibake(text: str) -> str:
    """The text with double-encoded UTF-8 decoded once more (ftfy.fix_encoding, which leaves text that only looks
    like it alone: "S\u00e3o Paulo", "\u00c2NGELA"); any other text as it is."""
    return ftfy.fix_encoding(text) if _MOJIBAKE.search(text) else text


def fold(text: str) -> str:
    """Unicode-normalise text and fold typographic quotes, dashes and spaces to ASCII forms."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


class _Unaccented(dict):
    """str.translate's table taking the accents off letters ("\u00e9" -> "e", "\u0142" -> "l", "\u00df" -> "ss"), filled as
    characters are met (a dict's own lookup for those seen, so that a long text costs no Python call a character)."""

    _OWN = {"\u0142": "l", "\u00f8": "o", "\u00df": "ss", "\u00e6": "ae", "\u0153": "oe", "\u0111": "d", "\u00f0": "d", "\u00fe": "th", "\u0131": "i",
            "\u0141": "L", "\u00d8": "O", "\u00c6": "AE", "\u0152": "OE", "\u0110": "D", "\u00d0": "D", "\u00de": "TH"}

    def __missing__(self, code: int) -> str:
        char = chr(code)
        bare = self._OWN.get(char) or "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
        self[code] = bare or char
        return self[code]


_UNACCENTED = _Unaccented()


def unaccented(text: str) -> str:
    """Text with its letters' accents taken off: "Z\u00fcrich" is "Zurich", not "Z" and "rich" (words, names, places and
    the TF-IDF terms all read a text so)."""
    return text if text.isascii() else text.translate(_UNACCENTED)


def words(text: str) -> list[str]:
    """Lower-case alphanumeric words of a text, punctuation, typography and accents ignored ("Z\u00fcrich" is
    "zurich", as a copy typed without accents writes it)."""
    return _WORD.findall(unaccented(fold(text).lower()))


# Letters, and those of the Latin script (ASCII, Latin-1, Latin Extended A and B, IPA and phonetic letters, small
# capitals, Latin Extended Additional, C and D)
LETTER = re.compile(r"[^\W\d_]")
LATIN_LETTER = re.compile(
    r"[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02af\u1d00-\u1dbf\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff]"
)


def other_script(text: str) -> str | None:
    """The script most of a text's letters are in when it is not Latin ("Cyrillic", "Arabic", "CJK"), else None:
    words are compared as Latin letters and digits, and a text in another script has next to none."""
    if text.isascii():
        return None
    letters = len(LETTER.findall(text))
    latin = len(LATIN_LETTER.findall(text))
    if letters == 0 or latin >= letters / 2:
        return None
    scripts = Counter(unicodedata.name(c, "? ?").split()[0] for c in LETTER.findall(text[:5000]) if not LATIN_LETTER.match(c))
    name = scripts.most_common(1)[0][0] if scripts else "another"
    return name if name in ("CJK",) else name.title()


# "Copyright AFP", "Copyright: Reuters", "Copyright Acme Media Group Limited": a notice naming its holder only
_NAME_WORD = r"[A-Z][\w&.'-]*"
# names of words apart (a word, then more each after a space): never one run of letters split into "words" in n^4 ways
_COPYRIGHT_HOLDER = re.compile(
    rf"^(?i:copyright)\s*(?::\s*)?(?:(?:The\s+)?{_NAME_WORD}(?:\s+{_NAME_WORD})?"
    rf"|{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,4}}\s+(?i:ltd|limited|inc|llc|plc|corp|corporation|co|group|media|gmbh|ag|"
    rf"company|foundation|post|times|news|press|agency|herald|tribune|journal)\b(?:\s+{_NAME_WORD})?)\s*\.?$"
)  # not a headline: "Copyright Office Rejects AI Art Claim"


def _untruncated(line: str) -> str:
    """A line without an API's cut-off marker at its end, and the ellipsis before it ("... \u2026 [+2412 chars]")."""
    match = _TRUNCATED.search(line)
    if match is None:
        return line
    return line[: match.start()].rstrip().removesuffix("\u2026").removesuffix("...").rstrip()


def is_boilerplate_line(line: str) -> bool:
    """True for a line that is publishing furniture (credit, byline, tags, copyright, promo)."""
    line = " ".join(fold(line).split())  # one space between words: no pattern meets a long run of them
    low = line.lower()
    return bool(line) and (
        bool(_BYLINE.match(line) or _SOCIAL.search(line) or _BOILERPLATE_START.match(line) or _COPYRIGHT_HOLDER.match(line)
             or _EMBEDDED_POST.search(line) or (low.startswith("tag") and _is_tag_list(line)))
        or (any(w in low for w in _ANYWHERE_WORDS) and any(p.search(line) for p in _BOILERPLATE_ANYWHERE))
    )


# Lower-case words a credit holds ("Reuters file photo", "AP Photo/Jane Doe, via Getty Images"); any other makes
# a sentence or a headline ("Reuters could not verify the claim.", "Xinhua put the toll at 23.", "Bloomberg says
# Trump").
_CREDIT_WORDS = frozenset(
    "photo photos file pic picture image images via handout credit courtesy of by and staff pool illustration "
    "de da van von der den al el bin la le".split()
)


def is_credit_line(line: str) -> bool:
    """True for a short photo-credit line such as 'Reuters' or 'Photo: AP/John Smith'."""
    line = " ".join(fold(line).split())  # one space between words: no pattern meets a long run of them
    if not (0 < len(line.split()) <= 6 and _CREDIT_LINE.match(line)):
        return False
    return all(w in _CREDIT_WORDS for w in re.findall(r"[A-Za-z]+", line) if w.islower())  # "Bloomberg says Trump"


def looks_like_headline(line: str, max_words: int = 25) -> bool:
    """True for a short line with no sentence-ending punctuation, as headlines and subheads are."""
    line = line.strip()
    n = len(line.split())
    return 2 <= n <= max_words and not _TERMINAL.search(fold(line)) and not line.endswith(",")


def strip_inline_credits(text: str) -> str:
    """Remove parenthesised photo credits and agency tags such as '(AP Photo/...)' or '(Agencies)'."""
    return _INLINE_CREDIT.sub("", text).strip()


_DATELINE_CHARS = 160  # more than any dateline: the accents of a paragraph's opening only are taken off


# "New Delhi, Feb 1 (PTI) Finance Minister ...": a dated dateline closed by the agency alone, as Indian wires write it,
# also with the state and country, and a colon, as ANI does: "Chamoli (Uttarakhand) [India], March 3 (ANI): The ..."
_AGENCY_DATELINE = re.compile(
    r"^(?P<dateline>[A-Z][A-Za-z.'\-]+(?:\s[A-Z][A-Za-z.'\-]+){0,3}(?:\s*\([A-Z][A-Za-z .&]{1,30}\))?"
    r"(?:\s*\[[A-Z][A-Za-z .&]{1,30}\])?,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s*"
    r"\((?:PTI|IANS|ANI|UNI|Reuters|AFP|AP)\))\s*:?\s+(?=[A-Z\"])"
)


def _base_letters(text: str) -> str:
    """The text with each letter's accents taken off, one character for one ("BOGOT\u00c1" -> "BOGOTA"), so that
    ASCII patterns match it and its offsets hold in the text."""
    return "".join(unicodedata.normalize("NFD", ch)[0] if ord(ch) > 127 else ch for ch in text)


def split_dateline(text: str) -> tuple[str | None, str]:
    """Split a leading dateline ('Islamabad, Feb 2:', 'LONDON (Reuters) -', 'BOGOT\u00c1, Colombia (AP) -') from a
    paragraph."""
    folded = fold(text)
    head = folded[:_DATELINE_CHARS]
    plain = head if head.isascii() else _base_letters(head)
    match = _DATELINE.match(plain)
    if not match:
        agency = _AGENCY_DATELINE.match(plain)
        return (folded[: agency.end("dateline")], folded[agency.end() :]) if agency else (None, text)
    dateline = folded[: match.end("dateline")]
    place = match.group("dateline").split(",")[0].split("(")[0].strip()
    dated = bool(_MONTH_DAY.search(dateline))
    # Only a real dateline: "Place, Mon D:" before a colon; before a dash, an all-caps place, a date or
    # an agency in brackets ("BLA: the group said" is no dateline).
    if match.group("sep") == ":":
        if not dated:
            return None, text
    elif not ((place.isupper() and len(place) > 3) or dated or "(" in dateline):
        return None, text
    return dateline.strip(), folded[match.end():]


def dateline_change(mine: str | None, theirs: str | None) -> str | None:
    """A copy's dateline against its original's, in words, when the two differ (in more than case and punctuation)."""
    if words(mine or "") == words(theirs or ""):
        return None
    if not theirs:
        return f'dateline "{mine}" added'
    if not mine:
        return f'dateline "{theirs}" dropped'
    return f'dateline "{mine}" where the original has "{theirs}"'


def is_dateline(line: str) -> bool:
    """A line that is only a dateline ("WASHINGTON (AP) \u2014"), its paragraph on the next line."""
    dateline, rest = split_dateline(f"{line.strip()} x")
    return dateline is not None and rest == "x"


def _story_text_in(lines: list[str]) -> bool:
    """Whether any of these lines is story text (not furniture, a credit, or a tag list and what follows)."""
    for line in lines:
        if not line:
            continue
        if _is_tag_list(line):
            return False
        if not (is_boilerplate_line(line) or is_credit_line(line)):
            return True
    return False


_TAGS_UNDER_LEAD = 2  # a page that puts its tags under the lead does so under its first paragraph or two


def _article_goes_on(kept: list[str], rest: list[str]) -> bool:
    """Whether the article goes on under a tag list (a page that puts its tags under the lead): the list comes
    after at most two paragraphs, and the paragraphs after it, up to the first line that is no paragraph of a story
    (a heading such as "Related stories" or "3 Comments", furniture, a credit, another tag list), hold more words
    than those above it, two or more of them sentences of 15 words or more. Under a tag list that closes an article
    come related headlines, teasers or comments, which such a line opens."""
    if len(kept) > _TAGS_UNDER_LEAD:
        return False
    after, paragraphs = 0, 0
    for line in rest:
        if not line:
            continue
        if _is_tag_list(line) or is_credit_line(line) or is_boilerplate_line(line) or looks_like_headline(line):
            break
        n = len(words(line))
        after += n
        paragraphs += n >= 15 and bool(_TERMINAL.search(line))
    return paragraphs >= 2 and after > sum(len(words(line)) for line in kept)


def _story_sentences_of(line: str) -> str:
    """A line that matched a furniture pattern: its sentences without the furniture ("... officials said. [To follow
    the flood defences, sign up for the weekly Tide Watch newsletter.] The revisions were ordered by ..."); one that
    opens as furniture (a copyright notice and the legal sentences after it, a "Read more:" list, a promo and its
    pitch, whatever they say) is nothing."""
    sentences = [s for s in _paragraph_sentences(line) if words(s)]
    if not sentences:
        return ""
    if _is_furniture(sentences[0]):
        return ""  # a notice or a promo and what it goes on to say ("Cookies are small text files ...")
    return " ".join(s for s in sentences if not _is_furniture(s))


# someone telling it, in a clause after a comma: news ("Download the app that tracks the virus, the ministry urged";
# "All rights reserved, the company said"), unless a label opens it or it speaks to the reader (_is_furniture)
_TOLD = re.compile(
    r",\s+(?:\S+\s+){0,4}?(said|told|urged|warned|wrote|added|announced|demanded|insisted|argued|stressed|explained"
    r"|claimed)\b|,\s+according to\b", re.I)


# a line opening with a label: a teaser or a caption ("Read more: Police said to be ...", "Image caption, Rescuers
# said ..."), furniture whatever it tells
_LABELLED = re.compile(
    r"^\W*(read more|read also|also read|related|recommended|more from|see also|also see|watch|listen|photo|image"
    r"|picture|video|(image|media|video) caption)\s*[:|,\-]|^\W*(click here|subscribe|sign up|follow us)\b", re.I)
# the reader addressed: a promo's or a site notice's sentence ("Join more than 50,000 readers", "We use cookies")
_TO_THE_READER = re.compile(r"\b(we|our|us|you|your)\b", re.I)


def _is_furniture(sentence: str) -> bool:
    if _TOLD.search(sentence) and not _LABELLED.match(sentence) and not _TO_THE_READER.search(sentence):
        return False  # "..., the ministry urged": news told by someone, with no label and not to the reader
    bare = sentence.strip("[]() ")
    return is_boilerplate_line(bare) or is_credit_line(bare) or is_boilerplate_line(sentence.strip())


_BULLET = re.compile(r"[-*\u2022\u2013\u00b7]\s")
_LINE_FIGURE = re.compile(r"[$\u00a3\u20ac]?\d[\d,.]*%?")  # a figure as a line's last word ("420", "64%", "$1.2")
_YEAR = re.compile(r"(19|20)\d\d")
_COUNTERS = frozenset("views comments likes shares section page pg words updated published posted".split())


def _states_a_figure(line: str) -> bool:
    """A fact line of a list: a label, a colon and a figure ("Deaths so far: 135", "Injured: 420", "Price: $1.2
    billion"); not a subheading or a headline ending in a number ("Part 3 of 4", "Earthquake kills 12"), nor a page's
    counter ("Views: 1,204", "Comments: 45")."""
    label, colon, value = line.partition(":")
    names, figure = label.split(), value.split()
    if not colon or not 1 <= len(names) <= 4 or not 1 <= len(figure) <= 3 or names[0].lower() in _COUNTERS:
        return False
    first = figure[0].rstrip(".,;")
    return bool(_LINE_FIGURE.fullmatch(first)) and not _YEAR.fullmatch(first)


# A blog's label opening a paragraph it added later: "UPDATE:", "UPDATE: 9 p.m. -- ", "UPDATE 2:52 p.m. -- ", "UPDATE -
# May 30, 10 p.m.: " (the paragraph's news stays; a label alone on its line goes). Not a wire's "UPDATE 2-" headline.
_LABEL_TIME = (r"(?:(?:" + _MONTH + r")\s+\d{1,2},?\s*(?:(?:19|20)\d\d,?\s*)?)?\d{1,2}(?::\d\d)?\s*[ap]\.?\s?m\b\.?"
               r"(?:\s+[A-Z]{2,4}\b)?|(?:" + _MONTH + r")\s+\d{1,2}(?:,\s*(?:19|20)\d\d)?")
_UPDATE_LABEL = re.compile(
    r"^(?-i:UPDATED?|Updated?)(?:\s*[:-]\s*(?:(?:" + _LABEL_TIME + r")\s*(?:--|[:-])\s*)?"
    r"|\s+(?:" + _LABEL_TIME + r")\s*(?:--|[:-])\s*)",
    re.I,
)


def _without_update_label(line: str) -> str:
    """A line without a label saying it was added later; a page's "Updated: 3 Feb 2026 10:04 IST" is furniture whole."""
    if line[:1] not in "Uu" or not _UPDATE_LABEL.match(line) or is_boilerplate_line(line):
        return line
    return _UPDATE_LABEL.sub("", line, count=1)


def _is_caption(line: str) -> bool:
    """An AP- or AFP-style caption: one sentence with the full date, ending in a photo credit."""
    credit = _PHOTO_CREDIT_END.search(line)
    if not credit:
        return False
    bare = line[: credit.start()].strip()
    return bool(_FULL_DATE.search(bare)) and len(_paragraph_sentences(bare)) == 1


def clean_body(lines: list[str], title: str | None) -> str:
    """Keep the story's own paragraphs: drop repeated headlines, captions, credits, bylines and promos."""
    title_key = " ".join(words(_without_update_label(title))) if title else None  # lines lose that label too
    raw = [_untruncated(line.strip()) if "chars]" in line else line.strip() for line in lines]
    # credits are found before inline credits are stripped: "(AP Photo/Emre Yildiz)" alone credits the line above
    credit = [bool(line) and is_credit_line(line) for line in raw]
    lines = [_without_update_label(strip_inline_credits(line)) for line in raw]
    kept: list[str] = []
    headline = None  # the headline repeated as the text, kept when nothing else is (a wire flash)
    for i, line in enumerate(lines):
        if not line or credit[i] or _is_caption(raw[i]):
            continue
        if title_key and " ".join(words(line)) == title_key:
            headline = headline or line
            continue
        if _is_tag_list(line):
            if not kept or _article_goes_on(kept, lines[i + 1 :]):
                continue  # a tag list above the text, or one a page put under the lead
            break  # a tag list closes an article; nothing after it is story text
        if is_boilerplate_line(line):
            line = _story_sentences_of(line)
            if not line:
                continue
        j = next((j for j in range(i + 1, len(raw)) if raw[j]), None)
        nxt = raw[j] if j is not None else ""
        if nxt and credit[j] and len(line.split()) <= 30 and _story_text_in(lines[j + 1 :]):
            continue  # a photo caption (its credit under it is skipped too), above more text
        in_list = _BULLET.match(line) or (kept and _BULLET.match(kept[-1]))
        if ((kept or title_key) and not in_list and looks_like_headline(line, max_words=14) and nxt[:1].isupper()
                and not _states_a_figure(line)):
            continue  # a subheading, or a second headline above the text (not a list's item: "- 12 dead", the last one too)
        kept.append(line)
    return "\n\n".join(kept) if kept or headline is None else headline


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """Sorted unique 32-bit hashes of the text's word shingles (all its words when it is shorter)."""
    toks = words(text)
    if len(toks) < size:
        grams = [" ".join(toks)] if toks else []
    else:
        grams = [" ".join(toks[i : i + size]) for i in range(len(toks) - size + 1)]
    return np.unique(np.fromiter((zlib.crc32(g.encode()) for g in grams), dtype=np.uint32, count=len(grams)))


# Abbreviations that syntok takes for a sentence's end: a title before a name ("the state's Gov." | "Ada
# Marsh said") and a month before a day ("set for Dec." | "14th"). A sentence ending in a title goes on into
# the next when that starts with a capitalised word that is not a stop word ("... the Lt. Gov. | Then ..."
# does end), quotes and brackets skipped; one ending in a month goes on when the next starts with a digit.
# (Jr. and Sr. are left out: they often do end a sentence.)
_TITLES = frozenset(
    "adm atty capt cmdr col cpl gen gov govs lt maj pres prof rep reps rev sen sens sgt supt".split()
)
_MONTHS = frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())
_OPENING = frozenset("\"'“‘([")


def _goes_on(tokens: list, following: list) -> bool:
    """Whether a sentence ending in these tokens is cut at an abbreviation the following tokens continue."""
    if len(tokens) < 2 or tokens[-1].value != ".":
        return False
    word = tokens[-2].value.lower()
    first = next((t.value for t in following if t.value not in _OPENING), "")
    if word in _MONTHS and first[:1].isdigit():
        return True
    return word in _TITLES and first[:1].isupper() and first.lower() not in stop_words()


@lru_cache(maxsize=1 << 15)
def _paragraph_sentences(para: str) -> tuple[str, ...]:
    """syntok's sentences of one paragraph, remembered (copies repeat their original's paragraphs word for
    word). syntok keeps the text as it is (its tokens carry their spacing) and splits a quotation of several
    sentences into its sentences, each one fact; a title before a name, or a month before a day, does not
    end a sentence."""
    from syntok.segmenter import analyze

    merged: list[list] = []
    for block in analyze(para):
        start = len(merged)  # joined within a block only
        for sentence in block:
            tokens = list(sentence)
            if len(merged) > start and _goes_on(merged[-1], tokens):
                merged[-1].extend(tokens)
            elif tokens:
                merged.append(tokens)
    out = []
    for tokens in merged:
        text = "".join(token.spacing + token.value for token in tokens).strip()
        if not out and (bullet := _BULLET.match(text)):  # a list's item is its words, not its marker ("- 18 civilians ...")
            text = text[bullet.end() :].strip()
        if text:
            out.append(text)
    return tuple(out)


# Line breaks and other control characters (C0, DEL, C1, the line and paragraph separators)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """text with its line breaks and other control characters made spaces, so that an id, a file's name or a title
    prints on one line ("wire\\nstory" -> "wire story"); other spaces are kept ("a  b" stays another id than "a b")."""
    return _CONTROL.sub(" ", text)


def display_title(body: str) -> str:
    """A title for an article that has none: its first sentence, cut at a word boundary."""
    first = split_sentences(body[:600])[0] if body else ""
    return first if len(first) <= 120 else first[:120].rsplit(" ", 1)[0] + "\u2026"


# A name that is an outlet's: a web address, an acronym ("NDTV", "ABC7"), or a word newspapers, agencies and
# broadcasters name themselves by ("AeroNews Europe", "The Washington Post", "Reuters")
_DOMAIN = re.compile(r"[a-z][\w-]*(?:\.[a-z][\w-]*)*\.(?:com|net|org|in|pk|ie|au|nz|uk)\Z", re.I)
_OUTLET_MARK = re.compile(
    r"News|Times|Post|Herald|Tribune|Daily|Journal|Gazette|Wire|Press|Radio|TV|Chronicle|Observer|Express|Guardian"
    r"|Telegraph|Mail|Standard|Mirror|Independent|Courier|Dispatch|Bulletin|Inquirer|Examiner|Sentinel|Reuters"
    r"|Bloomberg|Xinhua|Dawn|Tass|Insider|Monitor|Broadcasting|Network|Media|Globe|Ledger|Register"
)
_ACRONYM = re.compile(r"[A-Z]{2,6}\d{0,2}\Z")
# ... and what such a tail may still be: a section, a region, a format, or whom a wire's headline quotes ("UK
# inflation falls to 3% - ONS", "12 militants killed in North Waziristan - ISPR", "Sales to slow - CEO")
_NOT_OUTLETS = frozenset(
    "us|uk|eu|un|usa|uae|news|world news|us news|uk news|india news|europe news|asia news|middle east news|"
    "business news|sports news|tech news|local news|national news|latest news|top news|breaking news|live news|"
    "science news|health news|entertainment news|politics news|world|tv|radio|video|live tv|"
    "ceo|cfo|coo|cto|pm|mp|ons|ecb|imf|fed|boe|boj|rbi|rba|snb|pboc|opec|iea|eia|who|wto|ilo|iaea|icc|icj|nato|cdc|"
    "fda|faa|sec|fbi|cia|nasa|ntsb|nhtsa|doj|usda|epa|irs|nhs|ispr|ndma|pdma|fo|moh|kcna|g7|g20".split("|")
)


def last_dash(title: str) -> tuple[str, str, str]:
    """A headline split at its last spaced dash of any kind, as str.rpartition splits: ("", "", title) without one."""
    return max((title.rpartition(dash) for dash in (" - ", " \u2013 ", " \u2014 ")), key=lambda p: len(p[0]))


def without_outlet(title: str, source: str | None) -> str:
    """A headline without the outlet it names at its end when that is its article's source ("Ferries stop at
    Harbourton | AeroNews Europe" from AeroNews Europe): the report names the source beside it."""
    head, sep, tail = title.rpartition(" | ")
    if not sep:
        head, sep, tail = last_dash(title)
    if sep and source and tail.strip().casefold() == source.strip().casefold() and len(head.split()) >= 2:
        return head.rstrip()
    return title


def outlet_in_title(title: str | None) -> str | None:
    """The outlet a headline names at its end, after its last " | " or a dash ("Pakistan says 92 militants killed |
    AeroNews Europe", "... - Dawn.com", "... - Reuters"): a name of at most five words that looks like an outlet's (a
    web address, an acronym, or a word such as News, Times, Post), under a headline of four words or more; None for a
    section, a place or a format ("| World", "| Karachi", "| What We Know", "| UK News")."""
    if not title:
        return None
    head, sep, tail = title.rpartition(" | ")
    if not sep:
        head, sep, tail = last_dash(title)
        if not sep:
            return None
    tail = tail.strip()
    names = tail.split()
    if not 1 <= len(names) <= 5 or len(tail) > 40 or len(head.split()) < 4 or tail.lower() in _NOT_OUTLETS:
        return None
    if _DOMAIN.match(tail):
        return tail
    if names[0].lower() == "by" or not all(w[:1].isupper() or w[:1].isdigit() or w in _CONNECTORS for w in names):
        return None  # a byline, or words of a sentence ("Reuters poll shows")
    if any(_ACRONYM.match(w) for w in names) or any(_OUTLET_MARK.search(w) for w in names):
        return tail
    return None


_CONNECTORS = frozenset("of the and de du la le el al & for".split())


def clip(text: str, width: int) -> str:
    """The text cut to at most `width` characters at a word boundary, with an ellipsis, for one line of output."""
    return text if len(text) <= width else text[: width - 1].rsplit(" ", 1)[0] + "\u2026"


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a body, stripped: the units sentence splitting works within."""
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of a body, paragraph by paragraph, with surrounding space removed."""
    out: list[str] = []
    for para in paragraphs(text):
        out.extend(_paragraph_sentences(para))
    return out


# The glued scales ("2bn") by the word they stand for.
_SCALE_WORDS = {suffix: w for suffix, v in _SUFFIXES.items() for w in SCALES if SCALES[w] == int(v)}


# "one" as a pronoun, no count: "this one", "no one", "the only one", "one another", "one's" (not "the one
# survivor", "that one person died", "only one of the 12").
_BEFORE_ONE = re.compile(
    r"\b(?:this|the only|no|any|every|each|which|another|such|last|first|new|right|wrong|big|little)\s+\Z", re.I
)
_AFTER_ONE = re.compile(r"\s+another\b|['\u2019]s\b", re.I)
_THE_ONE = re.compile(r"\b(?:the|that)\s+\Z", re.I)
_PRONOUN_AFTER = re.compile(r"\s*[,.;:!?]|\s+(?:who|whom|whose|that|which|thing|to|of|in|on|at|for|with|from|by)\b", re.I)


# "one of the nation's largest groups", "in one instance", "at one point", "on one hand": no count (but "only one of
# the 12", "confirmed one case", "fell one point")
_ONE_OF = re.compile(r"\s+of\b", re.I)
_ONE_IDIOM = re.compile(r"\s+(?:instance|case|point|hand)\b", re.I)
_IDIOM_BEFORE = re.compile(r"\b(?:in|at|on)\s+\Z", re.I)
_COUNTED_ONE = re.compile(r"\b(?:only|just|exactly|not|least|most)\s+\Z", re.I)


def _pronoun_one(text: str, start: int, end: int) -> bool:
    if text[end : end + 1] == "-":
        return False  # "the one-child policy"
    if _THE_ONE.search(text, max(0, start - 6), start) and _PRONOUN_AFTER.match(text, end):
        return True  # "the one who signed", "that one to the others"
    if _ONE_OF.match(text, end) and not _COUNTED_ONE.search(text, max(0, start - 8), start):
        return True
    if _ONE_IDIOM.match(text, end) and _IDIOM_BEFORE.search(text, max(0, start - 4), start):
        return True
    return bool(_BEFORE_ONE.search(text, max(0, start - 12), start) or _AFTER_ONE.match(text, end))


def _in_currency(text: str, start: int) -> bool:
    """The digits at `start` follow a currency sign or code ("$10m", "\u00a35k", "Rs5m"): a glued "m" is a million."""
    if _CURRENCY_SIGN.search(text, max(0, start - 3), start):
        return True
    code = _CODE_BEFORE.search(text, max(0, start - 12), start)
    if code is None or code.group(1).lower() not in _CURRENCY_CODES:
        return False
    return not code.group(2) or (len(code.group(1)) > 1 and not code.group(1).islower())


def _glued(text: str, start: int, amount: bool = False) -> bool:
    """The digits at `start` are glued to a word ("Covid-19", "G7", "h5n1"): part of a name, not a number. A
    currency code is no name ("RM5bn"); one letter only before an amount (`amount`: a scale, a comma or decimals
    follow, "R15bn", "P5,000"), as "A320" and "h5n1" are names."""
    word = _GLUED.search(text, max(0, start - 12), start)
    if word is None:
        return False
    low = word.group(1).lower()
    if low in _NOT_GLUE and (len(low) > 1 or amount):
        return False
    if word.group(1).islower() and word.group(2):  # "over-65s", "last-16", "10m-20m", "1-in-100"; "covid-19" names
        return low in _LOWER_NAMES
    return True


def plain_number(value: Decimal) -> str:
    """A Decimal as plain digits, no exponent, no trailing zeros ("1.50E+5" -> "150000", "1.230" -> "1.23")."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def scaled(number: str, scale: int) -> str:
    """A number times its scale, as precise as it was written: "1.2" million is 1.2E+6 (rounded to the hundred
    thousand, so that rounds_to holds "1,230,000" to state it), "2" dozen 24."""
    value = Decimal(number)
    power = len(str(scale)) - 1
    return str(value.scaleb(power) if scale == 10**power else value * scale)


def number_mentions(text: str) -> list[tuple[str, str, int, int]]:
    """(as read, value, start, end) of each number a sentence states, in order, in the text with spelled numbers
    in digits: ('1,200', '1200', ...), ('fifteen', '15', ...), ('22', '22', ...) for 'Twenty-two', ('million',
    '1000000', ...) for "a million"; a number and its scale are one ("2 million", "$2bn", "2m people", "two dozen",
    "5 lakh": ('2bn', '2E+9', ...)), so that "1.2 million" states "1,200,000" and "Rs 2 lakh" "Rs 2,00,000"."""
    out = []
    plain = spelled_as_digits(fold(text))
    for match in _NUMBER.finditer(plain):
        digits = match.group("digits")
        if digits is None:
            word, scale = match.group("word").lower(), match.group("word_scale")
            if word == "one" and not scale and _pronoun_one(plain, match.start(), match.end()):
                continue
            if scale:
                value = scaled(_NUMBER_WORDS[word], _scale(scale))
            elif word in SCALES and _HALF_BEFORE.search(plain, max(0, match.start() - 12), match.start()):
                value = scaled("0.5", SCALES[word])  # "half a million" is no million
            else:
                value = _NUMBER_WORDS[word]
            out.append((match.group(0), value, match.start(), match.end()))
            continue
        suffix, scale = match.group("suffix"), match.group("scale")
        if _glued(plain, match.start(), amount=bool(suffix or scale) or "," in digits or "." in digits):
            continue
        value = digits.replace(",", "")
        value = f"0{value}" if value.startswith(".") else value
        if suffix and suffix.lower() in ("m", "k") and not (
            _in_currency(plain, match.start()) or _HEAD_AFTER.match(plain, match.end())
        ):
            suffix = None  # "10m high" is metres, "a 5k race" a distance
        if suffix or scale:
            factor = int(_SUFFIXES[suffix.lower()]) if suffix else _scale(scale)
            out.append((match.group(0), scaled(value, factor), match.start(), match.end()))
        else:
            digits = digits.rstrip(",")  # "Dec. 1, 2017, ..." reads 1 and 2017, without the commas after them
            out.append((digits, value, match.start(), match.start("digits") + len(digits)))
    return out


def numbers(text: str) -> frozenset[str]:
    """The numbers a sentence states, digits and number words alike ('fifteen' -> '15', 'twenty-two' -> '22')."""
    return frozenset(value for _, value, _, _ in number_mentions(text))


def figures_beyond(text: str, stated: frozenset[str]) -> list[str]:
    """The figures of a sentence with a number that `stated` (an article's numbers) lacks, in order, a scale word
    kept with the figure before it ("$6.32 billion" -> ["6.32 billion"], "a dozen" -> ["dozen"])."""
    beyond = [tok for tok, value, _, _ in number_mentions(text) if not stated_in(value, stated)]
    return list(dict.fromkeys(beyond))


def _decimal(number: str) -> Decimal | None:
    try:
        value = Decimal(number)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def rounds_to(precise: str, rounded: str) -> bool:
    """`rounded` is `precise` stated less precisely, rounding half up ("6.32" -> "6.3", "1.36" -> "1.4", "114.3"
    -> "114", "1,230,000" -> "1.2 million", written 1.2E+6), and keeps two significant digits: "4.9" -> "5" and
    "1.7" -> "2" (million) are too coarse to be told from another figure."""
    x, y = _decimal(precise), _decimal(rounded)
    if x is None or y is None:
        return False
    place = int(y.as_tuple().exponent)
    if place <= int(x.as_tuple().exponent):
        return False
    if len("".join(map(str, y.as_tuple().digits)).lstrip("0")) < 2:
        return False
    try:
        return x.quantize(Decimal(1).scaleb(place), rounding=ROUND_HALF_UP) == y
    except InvalidOperation:  # more digits than the decimal context holds
        return False


def same_number(a: str, b: str) -> bool:
    """Two stated numbers are one figure: equal in value ("5" / "5.0"), or one is the other rounded."""
    if a == b:
        return True
    x, y = _decimal(a), _decimal(b)
    return x is not None and y is not None and (x == y or rounds_to(a, b) or rounds_to(b, a))


def stated_in(number: str, those: frozenset[str]) -> bool:
    """`number` is stated in `those`, as it is or more precisely ("6.3" by "6.32"); a more precise number is not
    stated by a rounder one ("6.32" is not said by "6.3", nor "10.4" by "10")."""
    return number in those or any(_equal(m, number) or rounds_to(m, number) for m in those)


def numbers_within(these: frozenset[str], those: frozenset[str]) -> bool:
    """Every number of `these` is stated in `those` (stated_in)."""
    return these <= those or all(stated_in(n, those) for n in these)


def _equal(a: str, b: str) -> bool:
    x, y = _decimal(a), _decimal(b)
    return x is not None and x == y


_ATTRIBUTION = frozenset(
    "said says say told stated added noted report reports reported according statement also".split()
)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop words (imported on first use: the import is slow)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def content_words(text: str) -> frozenset[str]:
    """Words that carry meaning (stop and attribution words dropped, plural 's' folded)."""
    stop = stop_words()
    return frozenset(
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w
        for w in words(text)
        if w not in stop and w not in _ATTRIBUTION
    )


# A US party-and-state tag after a politician's name, "R-Calif.", "D-N.M.", "D-New Mexico", "I-Vt.", "R-FL": the
# state by its name, its AP abbreviation or its postal code. Other words after "D-" stay names ("D-Day").
_STATES = (
    "Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho "
    "Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi "
    "Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia "
    "Washington Wisconsin Wyoming Guam"
).split() + ["New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
             "Rhode Island", "South Carolina", "South Dakota", "West Virginia", "Puerto Rico"]
_AP_STATES = (
    "Ala Ariz Ark Calif Cal Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo Mont Neb Nebr "
    "Nev Okla Ore Pa Tenn Tex Vt Va Wash Wis Wyo"
).split()
_POSTAL = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK "
    "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI"
).split()
_DOTTED = ("N.H.", "N.J.", "N.M.", "N.Y.", "N.C.", "N.D.", "R.I.", "S.C.", "S.D.", "W.Va.", "W. Va.", "D.C.", "P.R.")
_PARTY_TAG = re.compile(
    r"(?<![\w-])[DRI]-(?:"
    + "|".join(re.escape(d) for d in _DOTTED)
    + "|" + "|".join(sorted(_STATES, key=len, reverse=True)).replace(" ", r"[^\S\n]+")
    + r"|(?:" + "|".join(_AP_STATES) + r")\.?|(?:" + "|".join(_POSTAL) + r"))(?![\w.-]*[A-Za-z])"
)


def _opens(text: str, start: int, end: int) -> bool:
    """Whether the word at start:end opens the text or a quotation in it: a quote mark right before it (itself
    at the start or after a space, a colon or a bracket), and the quotation going on after the word (a word
    quoted alone, "Casablanca" or 'Brexit', is a name)."""
    if start == 0:
        return True
    before = text[start - 1] in "\"'" and (start == 1 or text[start - 2] in " :([")
    # quoted alone: the quote that opened it closes right after it (the name pattern takes a ' in: 'Brexit')
    quoted_alone = text[end : end + 1] == text[start - 1] or (text[start - 1] == "'" and text[end - 1] == "'")
    return before and not quoted_alone


# Words that open a sentence before a name or a day ("Late Monday, ...", "Outside Quetta, ...", "Separately
# Tuesday, ...", "Speaking Monday, ..."): capitalised for the sentence, not as part of the name. A list, not a
# guess by ending: Kelly, Billy, Boeing and Beijing are names.
_OPENERS = frozenset(
    "late early overnight outside inside near nearby unlike despite across along amid amidst around behind beyond "
    "during except like since through throughout toward towards under until upon via within among against between "
    "beside besides next last every such instead elsewhere still even just only once now separately additionally "
    "meanwhile recently finally currently previously similarly likewise notably initially eventually reportedly "
    "apparently officially publicly privately shortly speaking following according citing including excluding "
    "regarding addressing asked asking writing responding".split()
)


def names(text: str) -> frozenset[str]:
    """Lower-cased words of the capitalised names in a sentence, cut into words as `words` cuts them
    ("O'Neill" -> "neill", "Wal-Mart" -> "wal", "mart"), so they can be looked up in an article's words.

    A capitalised word that opens the sentence, or a quotation in it ('"Undoubtedly, ..."', 'said: "Mama,
    ..."'), counts only inside a longer name ("Shahid Rind said"), since any sentence opens with a capital, and
    not even there when it is a word sentences open with ("Late Monday", "Outside Quetta", "Separately Tuesday").
    A party-and-state tag ("R-Calif.", "D-Nev.", "D-New Mexico") names no one.
    """
    found = set()
    folded = _PARTY_TAG.sub(lambda m: " " * len(m.group(0)), unaccented(fold(text).strip()))  # spaces keep the offsets
    for match in _NAME.finditer(folded):
        parts = match.group(0).split()
        if _opens(folded, match.start(), match.start() + len(parts[0])):
            if len(parts) == 1:
                continue
            if parts[0].lower() in _OPENERS:
                parts = parts[1:]
        for part in parts:
            for low in _WORD.findall(part.lower()):
                if low not in _NOT_NAMES and low not in _TITLES and low not in stop_words() and len(low) > 1:
                    found.add(low)
    return frozenset(found)


# Negated ones first: "no fewer than 40" is at least 40, not "fewer than 40".
_QUALIFIER = (
    r"(?:no (?:fewer|less|more) than|not (?:fewer|less|more) than|as many as|at least|more than|over|nearly|almost"
    r"|about|around|some|up to|fewer than|less than|roughly|approximately)"
)
# A figure: a qualifier, a currency sign, the number, a scale ("2.1 million", "$4bn", "two dozen"), and the word
# or two after it, what it counts ("people", "security personnel"). A comma only ever separates thousands ("87,
# officials said" counts no officials), and digits after a colon, a slash or a hyphen are a time, a date, a
# score or a range's end ("10:30", "9/11", "a 5-4 ruling", "10-20 people"), no count.
_FIGURE = re.compile(
    rf"(?:\b(?P<qual>{_QUALIFIER})\s+)?(?P<cur>[{re.escape(CURRENCY_SIGNS)}])?\s?"
    r"(?<![\d:/,.-])\b(?P<num>\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?(?![\d,])|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?|(?:" + "|".join(_NUMBER_WORDS) + r")\b)"
    r"(?:(?:\s+|-)(?P<scale>" + _SCALE_CHAIN + r")|(?P<suffix>bn|mn|tn|m|k)\b)?"
    # looked at, not taken ("for about 55 miles"); a word, not a name's letters ("F-16 jets")
    r"(?=\s+(?P<w1>[a-z][a-z-]*[a-z])\b(?!-?\d)(?:\s+(?P<w2>[a-z][a-z-]*[a-z])\b)?)?",
    re.I,
)
# Second words that make the head of a two-word count ("15 security personnel", "two police officers").
_HEADS = frozenset(
    "personnel officers officials bombers properties workers members forces troops soldiers fighters people "
    "civilians children students vehicles guards staff".split()
)
# A glued "m" or "k" before one of them is a scale, as after a currency sign: "2m people", "10k workers".
_HEAD_AFTER = re.compile(r"\s+(?:[a-z][a-z-]*[a-z]\s+)?(?:" + "|".join(sorted(_HEADS)) + r")\b", re.I)
_PLURALS = frozenset("men women people children police personnel staff gunmen policemen militia".split())


# Plurals that say when, not what: "12 died hours after" counts no hours.
_TIME_PLURALS = frozenset(
    "seconds minutes hours days nights weeks months years decades weekends mondays tuesdays wednesdays thursdays "
    "fridays saturdays sundays".split()
)


def _plural(word: str) -> bool:
    """A word that can be the thing counted after a modifier: a plural noun, by its ending or by the list."""
    return word in _PLURALS or (
        len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")) and word not in stop_words()
        and word not in _TIME_PLURALS
    )


# Words before the thing counted that say which of them: "30 new cases", "20 suspected militants".
_MODIFIERS = frozenset("new additional suspected confirmed reported alleged known registered".split())
_NOT_COUNTED = frozenset(("of", "percent", "per", "am", "pm", "times", *SCALES))
# A day of a month ("Feb. 2 near the border", "Jan. 6 committee"), and the first end of a range ("between 10
# and 20 people", "10 to 20 people": the 20 alone is no count) come before a number that counts nothing.
_MONTH_BEFORE = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|January|February|March|April|May|June|July|August"
    r"|September|October|November|December)\.?\s\Z"
)
_RANGE_BEFORE = re.compile(r"\d\s*(?:-|to|and)\s*\Z", re.I)
_HALF_BEFORE = re.compile(r"\bhalf\s+an?\s+\Z", re.I)
# "Six of the train's nine carriages came off": the count of what happened is the part (6), not the whole (9)
_PART_BEFORE = re.compile(
    rf"(?<![\w.,])(?:(?P<qual>{_QUALIFIER})\s+)?(?P<part>\d{{1,3}}(?:,\d{{3}})+|\d+|"
    + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + r")\s+(?:out\s+)?of\s+"
    r"(?:the|its|their|his|her|our|these|those|[\w-]+['\u2019]s)(?:\s+[\w-]+['\u2019]s)?\s+\Z",
    re.I,
)


_WORDS_AFTER = re.compile(r"(?:\s+[A-Za-z][A-Za-z-]*){1,4}")
# Nouns among scikit-learn's stop words, which a sum can be for ("a $1.4 trillion spending bill"); and words
# after a sum that say nothing of what it is for ("$400,000 worth of stock", "$400,000 available in grants")
_STOP_NOUNS = frozenset("bill system interest amount part side front bottom fire call detail".split())
_NOT_FOR = frozenset("worth available apiece annually".split())


def _money_for(plain: str, end: int) -> str | None:
    """What an amount of money is for: the last lower-case word of the noun phrase after it, up to a function word
    or a participle ("$2 trillion stimulus package" and "$2.2 trillion economic rescue package" are both a package;
    "$1.9 trillion Covid relief bill" a bill; "$26.5 million donation from"). None when no such word follows: "cut
    $716 billion from Medicare" and "cut Medicare by $800 billion --" are two sums, not one reported twice (on basil
    and allsides, half the conflicts that sums without such a word gave were such pairs)."""
    run = _WORDS_AFTER.match(plain, end)
    head = None
    for word in run.group(0).split() if run else ():
        low = word.lower()
        if (low in stop_words() and low not in _STOP_NOUNS) or low in _NOT_COUNTED or low in _NOT_FOR:
            break
        if len(low) > 4 and low.endswith("ed") and not low.endswith("eed"):
            break  # "authorized for" ("seed round" is a noun phrase)
        if word.islower():
            head = word
    return head


def figures(text: str) -> list[tuple[str, str]]:
    """What a sentence counts and how it says it: [('people', 'at least 145'), ('inmates', 'more than 30'),
    ('people', '2.1 million'), ('donation', '$26.5 million')]."""
    return list(_figures(text))


@lru_cache(maxsize=1 << 15)
def _figures(text: str) -> tuple[tuple[str, str], ...]:
    """figures, remembered: the reports compare each copy's sentences with its original's, which repeat."""
    return tuple((about, value) for about, value, _ in _counts(text))


# What happened to the things counted, by the verb's forms: "23 people were killed" and "killing at least 21 people"
# count the dead, "over 140 injured" the injured; "cancel 655 flights" and "780 flights had been cancelled" count
# cancelled flights, "598 flights" grounded on another day too, but "3,000 pilots" nothing that happened.
_ROLES = {
    "killed": "kill kills killed killing die died dies dying dead perished slain drowned",
    "injured": "injure injures injured injuring wounded wounding hurt",
    "missing": "missing unaccounted",
    "arrested": "arrest arrests arrested arresting detain detained detaining",
    "rescued": "rescue rescued rescuing",
    "evacuated": "evacuate evacuated evacuating",
    "displaced": "displaced displacing homeless",
    "affected": "affect affected affecting disrupt disrupted disrupting stranded stranding",
    "cancelled": "cancel cancels cancelled canceled cancelling canceling ground grounded grounding scrap scrapped "
    "scrapping axed postpone postponed postponing",
    "freed": "free freed freeing release released releasing",
    "damaged": "damage damaged damaging",
    "destroyed": "destroy destroyed destroying flattened razed",
    "abducted": "abduct abducted abducting kidnap kidnapped kidnapping",
    "fled": "escape escaped escaping fled flee fleeing",  # "120 inmates escaped", "2 million people fled"
    "hospitalised": "hospitalised hospitalized hospitalising hospitalizing",  # and "taken / admitted to hospital"
    "aboard": "aboard carrying",  # "carrying 186 passengers", "with 174 passengers aboard"
    "closed": "close shut shuts shutting",  # "will close 12 offices" (a market "closed down 1,861 points")
    "cut": "cut cuts cutting eliminate eliminates eliminated eliminating shed sheds shedding lay laying laid slash slashes slashed slashing",
}
_ROLE_OF = {form: role for role, forms in _ROLES.items() for form in forms.split()}
# Words that tell of the dead, the injured or a capacity beside any count ("Among the dead were 18 civilians")
_TELLS = {
    "killed": frozenset(_ROLES["killed"].split())
    | frozenset("death deaths toll bodies fatalities fatality lives deceased".split()),
    "injured": frozenset(_ROLES["injured"].split())
    | frozenset("injuries injury treated hospital hospitalised hospitalized wounds burns casualties".split()),
    "capacity": frozenset(
        "capacity seat seats seating hold holds accommodate accommodates carry carries take takes".split()
    ),
}


def tells_of(text: str, role: str) -> bool:
    """A sentence says the thing `role` names happened, with or without a count beside it: "Among the dead were 18
    civilians" tells of people killed, "An avalanche swept away nine skiers" does not. Said of the dead, the injured
    and a capacity, the counts most often beside others of the same thing (those on board, those at a venue); any
    other role is taken as told ("Eight hostages were let go" may be the five freed)."""
    return role not in _TELLS or not _TELLS[role].isdisjoint(_ROLE_TOKEN.findall(fold(text).lower()))


# Counts named by what happened ("over 140 injured", "12 dead") count people.
_PEOPLE_BY_ROLE = frozenset("killed dead injured wounded hurt missing".split())
# One thing under two names: "2,300 houses" / "1,800 homes" were damaged, "eliminate 3,500 positions" / "cut 4,000 jobs"
_SAME_THING = {
    "houses": "homes", "dwellings": "homes", "demonstrators": "protesters", "positions": "jobs", "roles": "jobs",
    "travellers": "passengers", "travelers": "passengers", "detainees": "inmates", "prisoners": "inmates",
    "vessels": "ships", "households": "homes", "dockers": "dockworkers", "stevedores": "dockworkers",
    "longshoremen": "dockworkers",
}
_STAFF = frozenset("employees workers staff people".split())  # "lay off about 3,500 employees": jobs cut
_AUXILIARIES = frozenset(
    "were was are is be been being have has had all also reportedly later since now still remain remains remained who "
    "that will would could may might to confirmed reported feared believed shot".split()
)
# Forms that are as often nouns or other senses ("close to 200 people", "a rescue package", "free meals", "laid to
# rest"): a role only right before the number ("will close 12 offices") or after a modal ("12 stores will close").
_AMBIGUOUS = frozenset("close free ground lay laid laying shed rescue release cut cuts damage arrest scrap".split())
_MODALS = frozenset("will would could may might to".split())
# Forms that take an object: right after the count, with no auxiliary, and followed by a number or a determiner,
# the count is their subject ("Four gunmen killed 30 people"), not what happened to it.
_OBJECT_START = frozenset(
    "the a an their its his her our some more at over nearly about dozens hundreds thousands scores".split()
)
# ... and forms whose object is no count, when they have one: "120 detainees fled the prison"
_INTRANSITIVE = frozenset("die died dies dying dead perished drowned missing unaccounted escape escaped fled".split())
_ROLE_TOKEN = re.compile(r"[a-z]+|[^\sa-z]")
_COUNT = r"(?P<num>\d{1,3}(?:,\d{3})+|\d+|" + "|".join(_NUMBER_WORDS) + r")\b"
# "put the death toll at 26", "the death toll from flooding in Vietnam's Thanh Dien province rose to 17": a count of
# the dead with nothing after the number.
_TOLL = re.compile(
    rf"\b(?:(?P<injury>injury|casualty)\s+)?toll\b(?!\s+(?:road|booth|plaza|collector|bridge|fee|charge|rate)s?\b)"
    rf"(?P<words>(?:\s+[\w'\u2019-]+){{0,12}}?)\s+(?:at|to|of|reached|hit)\s+(?:(?P<qual>{_QUALIFIER})\s+)?"
    # a number, not a year, a time, a date, a share or a sum, closing its clause or followed by whom or where
    r"(?!(?:19|20)\d\d\b)" + _COUNT +
    r"(?![.,:/-]?\d|\s*(?:%|percent|per\b|[ap]\.?m\b))"
    r"(?=\s*(?:[,.;:)]|\Z|(?:people|dead|lives|victims|on|in|from|after|by|as|and|with|according|when|while|since|"
    r"following|officials|police|but)\b))",
    re.I,
)
# Lives a disaster took: "claimed 31 lives", "cost at least nine lives", "31 lives were lost"
_LIVES_LOST = re.compile(
    r"\b(?:claim(?:s|ed|ing)?|cost(?:s|ing)?|took|tak(?:e|es|ing))\s+(?:the\s+)?(?:[\w-]+\s+){1,3}lives\b"
    r"|\blives\s+(?:were|have\s+been|had\s+been)\s+lost\b",
    re.I,
)
_BARE_VERBS = ("kill", "injur", "wound", "hurt", "missing", "dead")
# The dead and the injured counted without a noun: "killing at least nine people and injuring more than 60",
# "the blaze hurt 19 others", "Nine people died and 52 were injured".
_BARE_COUNTS = (
    re.compile(
        rf"\b(?P<verb>killing|injuring|wounding|hurting|killed|injured|wounded|hurt)\s+(?:(?P<qual>{_QUALIFIER})\s+)?"
        rf"(?!no\b|one\b){_COUNT}(?:\s+others\b)?(?=\s*(?:[,.;](?!\d)|and\b|\Z))",  # not "killed 1.6 million chickens"
        re.I,
    ),
    re.compile(  # "no one was injured", "not one was killed" count nobody
        rf"(?<!\bno\s)(?<!\bnot\s)(?:\b(?P<qual>{_QUALIFIER})\s+)?(?<![\d,.])\b{_COUNT}\s+(?:were|was|are|have been|had been|remain|remained)\s+"
        r"(?P<verb>killed|injured|wounded|hurt|missing|dead)\b",
        re.I,
    ),
)


def _role_after(plain: str, end: int, skip: int) -> str:
    """The role a verb after a figure gives it ("people were killed", "passengers affected", "12 stores will close"),
    past its `skip` words; none for the count that does it ("Four gunmen killed 30 people")."""
    tokens = _ROLE_TOKEN.findall(plain[end : end + 80].lower())
    words_ = tokens[skip:]
    if words_[:2] == [",", "including"]:  # "33 people, including 15 security personnel and 18 civilians, were killed"
        words_ = _ROLE_TOKEN.findall(plain[end : end + 200].lower())[skip:]
        words_ = words_[words_.index(",", 2) + 1 :] if "," in words_[2:] else []
    skipped = []
    while words_ and words_[0] in _AUXILIARIES:
        skipped.append(words_[0])
        words_ = words_[1:]
    if words_[:3] == ["lost", "their", "lives"]:
        return "killed"  # "Fourteen people lost their lives"
    if _TO_HOSPITAL.match(" ".join(words_[:6])):
        return "hospitalised"  # "taken to hospital", "rushed to the hospital", "admitted to hospitals"
    if words_[:3] in (["broke", "out", "of"], ["break", "out", "of"]):
        return "fled"  # "Ninety-four inmates broke out of ..." (not "three fires broke out")
    if words_[:2] == ["on", "board"] or words_[:1] == ["aboard"]:
        # "All 12 people on board were killed": what happened to them, else that they were aboard
        rest = words_[2:] if words_[0] == "on" else words_[1:]
        while rest and rest[0] in _AUXILIARIES:
            rest = rest[1:]
        return _ROLE_OF[rest[0]] if rest and rest[0] in _ROLE_OF and rest[0] not in _AMBIGUOUS else "aboard"
    causative = skipped[-1:] in (["had"], ["have"]) and len(words_) > 2 and words_[0] == "their"
    if causative and _ROLE_OF.get(words_[2]) == "affected":
        return "affected"  # "58,000 passengers had their journeys disrupted" (not "had their homes destroyed")
    if not words_ or words_[0] not in _ROLE_OF:
        return ""
    verb, following = words_[0], words_[1] if len(words_) > 1 else ""
    if verb in ("lay", "laid", "laying") and following == "off":
        return "cut"  # "300 staff will be laid off"
    if verb in _AMBIGUOUS and not (skipped and skipped[-1] in _MODALS):
        return ""  # "200 people were close to the blast"
    if not skipped and verb not in _INTRANSITIVE and (following in _OBJECT_START or following[:1].isdigit()):
        return ""  # active voice: the count is the subject
    if _ROLE_OF[verb] == "fled" and following in ("injury", "unhurt", "unharmed", "serious", "death", "with"):
        return ""  # "Five people escaped injury"
    return _ROLE_OF[verb]


_TO_HOSPITAL = re.compile(
    r"(?:taken|rushed|admitted|airlifted|flown)\s+to\s+(?:the\s+|a\s+|local\s+|nearby\s+)?hospitals?\b"
    r"|admitted\s+for\s+treatment\b"
)
# "claimed the lives of 31 people", "took the lives of at least 12"
_LIVES_OF = re.compile(r"\b(?:claim(?:s|ed|ing)?|took|tak(?:e|es|ing)|cost(?:s|ing)?)\s+the\s+lives\s+of\s*\Z")


_CAPACITY = re.compile(  # not "to" alone: "they continue to hold 40 hostages"
    r"\b(?:can|could|would|able\s+to|enough\s+to|designed\s+to|built\s+to)\s+(?:seat|hold|accommodate|carry|take)"
    r"(?:\s+(?:up\s+to|about|around|some|nearly))?\Z"
    r"|\bcapacity\s+(?:of|for)(?:\s+(?:up\s+to|about|around|some|nearly))?\Z"
)


def _role_before(plain: str, start: int) -> str:
    """The role a verb just before a figure gives it ("killing at least 21", "cancel a further 598", "the killing
    of 92", "lay off about 3,500"), within three words of its clause (not past "and": "12 stores will shut and 300
    staff"); a form that is as often a noun only right before the number."""
    tokens = _ROLE_TOKEN.findall(plain[max(0, start - 60) : start].lower())
    if _CAPACITY.search(" ".join(tokens[-4:])):
        return "capacity"  # "the hall, which can seat 800 guests": how many it holds, not how many came
    if _LIVES_OF.search(" ".join(tokens[-4:])):
        return "killed"
    tokens = tokens[-3:]
    for k, token in enumerate(reversed(tokens)):
        if not token.isalpha() or token in ("and", "or", "but"):
            return ""
        if token == "off" and k == 0 and len(tokens) > 1 and tokens[-2] in ("lay", "laid", "laying", "lays"):
            return "cut"  # "lay off 3,500 employees"
        if token in _ROLE_OF and (k == 0 or token not in _AMBIGUOUS):
            return _ROLE_OF[token]
    return ""


# When a sentence says something happened: a day, a month, a year ("on Wednesday", "in January", "last year").
# Months by their capitals ("Saturday's march" is none), and "this year", which holds the others, is no time apart.
# A day inside a name ("The Sunday Times") and a count without a comma ("2000 homes") are no times.
_WHEN = re.compile(
    r"\b(?:(?:[Mm]onday|[Tt]uesday|[Ww]ednesday|[Tt]hursday|[Ff]riday|[Ss]aturday|[Ss]unday)(?!\s+(?!(?:Jan|Feb|Mar|Apr|May"
    r"|Jun|Jul|Aug|Sep|Oct|Nov|Dec))[A-Z])|January|February|March|April|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec(?=\.?\s+\d)"
    r"|(?:(?<=\b[Ii]n\s)|(?<=\bsince\s)|(?<=\buntil\s)|(?<=\bearly\s)|(?<=\bmid\s)|(?<=\blate\s)|(?<=\bof\s))May|May(?=\s+\d)|[Yy]esterday|[Tt]oday|[Tt]onight"
    r"|(?:19|20)\d\d(?!\s+[a-z]+s\b)|(?:[Ll]ast|[Nn]ext|[Pp]revious)\s+(?:day|week|weekend|month|year))\b"
)
_MONTH_NAMES = {m[:3]: m for m in "january february march april may june july august september october november december".split()}


@lru_cache(maxsize=1 << 14)
def times(text: str) -> frozenset[str]:
    """The days, months and years a sentence names, in lower case ("598 flights on Thursday" -> {'thursday'}; "Jan.
    5" -> {'january'})."""
    out = set()
    for m in _WHEN.findall(text):
        low = " ".join(m.lower().split())
        out.add(_MONTH_NAMES.get(low[:3], low) if low[:3] in _MONTH_NAMES and len(low) <= 4 else low)
    return frozenset(out)


# Where a sentence says something happened: "in Gwadar" (not "in January"; not a country or region holding the
# rest, "in Peru's Junin region"; "at" and "near" are as often a firm's or the whole event's: "pilots at German-Dutch
# carrier Vantair", "derailed near San Lucas").
_WHERE = re.compile(r"\b[Ii]n\s+(?:the\s+)?((?:St\.\s+)?[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)(?!['\u2019]s\b)\b")
# What "in" puts before a capital that is no place
_NOT_PLACES = frozenset(
    "congress parliament senate house court english french spanish arabic total brief short all fact addition general "
    "particular response turn return".split()
)


@lru_cache(maxsize=1 << 14)
def places(text: str) -> frozenset[str]:
    """The places a sentence says something happened in ("In Gwadar, militants attacked a camp" -> {'gwadar'})."""
    return frozenset(
        p.lower() for p in _WHERE.findall(unaccented(fold(text))) if not _WHEN.fullmatch(p) and p.lower() not in _NOT_PLACES
        and not _is_month(p)
    )


def _is_month(word: str) -> bool:
    """A month's name or its abbreviation ("March", "Jan", "Sept"), not a place that begins like one ("Marseille")."""
    low = word.lower()
    return _MONTH_NAMES.get(low[:3], "").startswith(low) and len(low) >= 3


def counts(text: str) -> list[tuple[str, str, str]]:
    """figures with what happened to the things counted ('' when no verb next to them says): [('people', 'at least
    23', 'killed'), ('people', 'over 140', 'injured')] for "At least 23 people were killed and over 140 injured",
    [('flights', '655', 'cancelled')] for "forcing the airline to cancel 655 flights". A count named by what
    happened counts people ("over 140 injured"), and a death toll counts the dead ("put the death toll at 26")."""
    return list(_counts_of(text))


@lru_cache(maxsize=1 << 15)
def _counts_of(text: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for about, value, role in _counts(text):
        if about in _PEOPLE_BY_ROLE:
            about, role = "people", _ROLE_OF[about]
        elif about == "bodies" and role in ("", "rescued"):
            about, role = "people", "killed"  # "rescuers have recovered 31 bodies": a count of the dead
        elif about == "lives" and not role and _LIVES_LOST.search(fold(text)):
            about, role = "people", "killed"  # "the earthquake claimed 31 lives" (not "saved 31 lives")
        about = "jobs" if role == "cut" and about in _STAFF else _SAME_THING.get(about, about)
        out.append((about, value, role))
    low = text.lower()
    if "toll" not in low and not any(verb in low for verb in _BARE_VERBS):
        return tuple(out)  # most sentences: no toll, no count without a noun
    plain = spelled_as_digits(fold(text))
    found = [("injured" if m.group("injury") and m.group("injury").lower() == "injury"
               or re.search(r"\b(?:injur|wound)", m.group("words"), re.I) else "killed", m) for m in _TOLL.finditer(plain)]
    found += [(_ROLE_OF[m.group("verb").lower()], m) for pattern in _BARE_COUNTS for m in pattern.finditer(plain)]
    for role, match in found:
        number = match.group("num").lower().replace(",", "")
        qualifier = " ".join((match.group("qual") or "").lower().split())
        value = f"{qualifier} {_NUMBER_WORDS.get(number, number)}".strip()
        if ("people", value, role) not in out:
            out.append(("people", value, role))
    return tuple(out)


@lru_cache(maxsize=1 << 15)
def _counts(text: str) -> tuple[tuple[str, str, str], ...]:
    """(what is counted, the figure, what happened to it) for each figure of a sentence, as figures() reads them."""
    out = []
    plain = spelled_as_digits(fold(text))
    for match in _FIGURE.finditer(plain):
        first, second = (match.group("w1") or "").lower(), (match.group("w2") or "").lower()
        written = match.group("num").lower()
        num = written.replace(",", "")
        scale, suffix, cur = match.group("scale"), match.group("suffix"), match.group("cur")
        start = match.start("num")
        before = plain[max(0, start - 12) : start]
        if _MONTH_BEFORE.search(before) or _RANGE_BEFORE.search(before):
            continue
        if written == "one" and _pronoun_one(plain, start, match.end("num")):
            continue  # "one of the largest", "in one instance", "no one"
        if suffix:
            if suffix.lower() in ("m", "k") and not cur and second not in _HEADS and first not in _HEADS:
                continue  # "10m high" is metres; "$10m" is money, and "2m people" a count
            scale = _SCALE_WORDS[suffix.lower()]
        year = written.isdigit() and 1900 <= int(written) <= 2100 and not (scale or cur)  # "2,000 people": no year
        if year or _glued(plain, start, amount=bool(scale) or "," in written or "." in written):
            continue
        if cur:
            about = _money_for(plain, match.end())
            if about is None:
                continue
        elif first and _plural(second) and (first.endswith("ed") or match.group("w1")[0].isupper()):
            about = second  # "three masked men", "2,900 Vantair pilots", "two US soldiers" (not "Three Democrats voted")
        elif not first or first in _NOT_COUNTED or first in stop_words():
            continue
        elif first in _MODIFIERS and second and second not in stop_words():
            about = second  # "30 new cases" counts cases
        else:
            # "15 security personnel"; a singular noun before a plural one names it: "22 container ships"
            compound = second in _HEADS or (_plural(second) and not _plural(first) and first not in _NOT_COUNTED)
            about = f"{first} {second}" if compound else first
        qualifier = " ".join((match.group("qual") or "").lower().split())
        # (not "nine of the 14 buried skiers were pulled out", "19 of the 23 dead were passengers": the whole is what
        # happened, the part another count)
        whole_happened = first.endswith("ed") or first in _PEOPLE_BY_ROLE or second in _PEOPLE_BY_ROLE
        part = None if cur or scale or qualifier or whole_happened else _PART_BEFORE.search(plain, max(0, start - 60), start)
        if part:
            if part.group("part").lower() in ("one", "1"):
                continue  # "one of the 40 workers was killed" counts nobody: neither 40 killed nor one
            num = part.group("part").lower().replace(",", "")  # "six of the train's nine carriages": six carriages
            qualifier = " ".join((part.group("qual") or "").lower().split())
        number = _NUMBER_WORDS.get(num, num)
        if num in SCALES and not scale:
            # "a million", "a dozen": one of the scale (and "half a million" half of it)
            number, scale = ("0.5" if _HALF_BEFORE.search(before) else "1"), num
        if scale:
            # one scale, as SCALES names it: "1.1 millions" is 1.1 million, "1.5 lakh crore" 150000 crore
            *inner, scale = [_scale_name(w) for w in scale.split()]
            if inner:
                number = plain_number(Decimal(number) * _scale(" ".join(inner)))
        value = f"{cur or ''}{number}" + (f" {scale}" if scale else "")
        skip = 1 + (about == second or " " in about)  # the counted words: "people", "security personnel", "masked men"
        role = "" if cur else _role_after(plain, match.end(), skip) or _role_before(plain, match.start())
        out.append((about, f"{qualifier} {value}".strip(), role))
    return tuple(out)
