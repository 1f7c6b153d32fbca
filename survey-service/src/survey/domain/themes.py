"""Comment themes: the words and two-word phrases over-represented in detractors' comments
versus promoters' (and the other way round), German and English stop words removed.

A term is counted once per comment (document frequency). For each term, the log odds of a
detractor comment containing it versus a promoter comment containing it, with 0.5 added to
each cell (Haldane-Anscombe, so a term absent on one side stays finite), and its z score
(log odds ratio / its standard error). A term is a theme of a side when z >= 1.96 towards
that side (over-represented at the 5 % level) and it occurs in at least `min_comments` of
that side's comments.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

Z_95 = 1.959964
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

_STOP_WORDS_TEXT = """
    aber alle allem allen aller alles als also am an ander andere anderem anderen anderer
    anderes anders auch auf aus bei bin bis bist da damit dann das dass dasselbe dazu dein
    deine deinem deinen deiner dem den denn der des desselben dessen dich die dies diese
    dieselbe dieselben diesem diesen dieser dieses dir doch dort du durch ein eine einem
    einen einer eines einig einige einigem einigen einiger einiges einmal er es etwas euch
    euer eure eurem euren eurer für gegen gewesen hab habe haben hat hatte hatten hier hin
    hinter ich ihm ihn ihnen ihr ihre ihrem ihren ihrer ihres im in indem ins ist jede jedem
    jeden jeder jedes jene jenem jenen jener jenes jetzt kann kein keine keinem keinen
    keiner keines können könnte machen man manche manchem manchen mancher manches mein meine
    meinem meinen meiner mich mir mit muss musste nach nicht nichts noch nun nur ob oder
    ohne sehr sein seine seinem seinen seiner seit sich sie sind so solche solchem solchen
    solcher soll sollte sondern sonst über um und uns unser unsere unter viel vom von vor
    war waren warst was weg weil weiter welche welchem welchen welcher welches wenn werde
    werden wie wieder will wir wird wirst wo wollen wollte würde würden zu zum zur zwar
    zwischen immer schon mal ganz gibt gab sowie bzw ja nein eher etwa wurde wurden a about
    above after again against all am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its
    itself just me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself
    yourselves also really always still get got much many one would could us
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())


@dataclass(frozen=True)
class Theme:
    term: str
    detractor_comments: int
    promoter_comments: int
    detractor_share: float
    promoter_share: float
    log_odds_ratio: float
    z: float


@dataclass(frozen=True)
class Themes:
    detractor_comments: int
    promoter_comments: int
    detractor_themes: list[Theme]
    promoter_themes: list[Theme]


def terms(comment: str) -> set[str]:
    """The words (two letters or more, not stop words) and the two-word phrases of adjacent
    such words, lower-cased; a stop word between two words breaks the phrase."""
    found: set[str] = set()
    previous: str | None = None
    for match in _WORD.finditer(comment.lower()):
        word = match.group(0)
        if word in STOP_WORDS or len(word) < 2:
            previous = None
            continue
        found.add(word)
        if previous is not None and previous != word:
            found.add(f"{previous} {word}")
        previous = word
    return found


def themes(
    detractor_comments: Iterable[str],
    promoter_comments: Iterable[str],
    *,
    min_comments: int = 2,
    limit: int = 20,
) -> Themes:
    detractors = _document_frequency(detractor_comments)
    promoters = _document_frequency(promoter_comments)
    n_d, n_p = detractors.total, promoters.total
    scored = [
        _score(term, detractors.counts[term], n_d, promoters.counts[term], n_p)
        for term in set(detractors.counts) | set(promoters.counts)
    ]
    for_detractors = sorted(
        (t for t in scored if t.z >= Z_95 and t.detractor_comments >= min_comments),
        key=lambda t: (-t.z, t.term),
    )
    for_promoters = sorted(
        (t for t in scored if t.z <= -Z_95 and t.promoter_comments >= min_comments),
        key=lambda t: (t.z, t.term),
    )
    return Themes(n_d, n_p, for_detractors[:limit], for_promoters[:limit])


@dataclass(frozen=True)
class _Frequency:
    counts: Counter[str]
    total: int


def _document_frequency(comments: Iterable[str]) -> _Frequency:
    counts: Counter[str] = Counter()
    total = 0
    for comment in comments:
        total += 1
        counts.update(terms(comment))
    return _Frequency(counts, total)


def _score(term: str, y_d: int, n_d: int, y_p: int, n_p: int) -> Theme:
    a, b = y_d + 0.5, n_d - y_d + 0.5
    c, d = y_p + 0.5, n_p - y_p + 0.5
    log_odds = math.log(a / b) - math.log(c / d)
    standard_error = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return Theme(
        term=term,
        detractor_comments=y_d,
        promoter_comments=y_p,
        detractor_share=y_d / n_d if n_d else 0.0,
        promoter_share=y_p / n_p if n_p else 0.0,
        log_odds_ratio=log_odds,
        z=log_odds / standard_error,
    )
