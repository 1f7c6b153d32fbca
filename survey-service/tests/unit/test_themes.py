import math

import pytest

from survey.domain.themes import terms, themes


def test_terms_are_words_and_adjacent_pairs_without_stop_words() -> None:
    found = terms("Die Lieferung kam viel zu spät, and the support-team was slow!")

    assert found == {
        "lieferung",
        "kam",
        "spät",
        "lieferung kam",
        "support-team",
        "slow",
    }


def test_a_term_counts_once_per_comment() -> None:
    result = themes(["teuer teuer teuer"] * 6 + ["ok"] * 4, ["super"] * 10)

    teuer = next(t for t in result.detractor_themes if t.term == "teuer")
    assert (teuer.detractor_comments, teuer.detractor_share) == (6, 0.6)
    assert "teuer teuer" not in {t.term for t in result.detractor_themes}


def test_the_log_odds_ratio_and_z_match_a_hand_computed_case() -> None:
    # "lieferung" in 6 of 10 detractor comments and in none of 10 promoter comments:
    # ln(6.5/4.5) - ln(0.5/10.5) = 3.41225; SE = sqrt(1/6.5 + 1/4.5 + 1/0.5 + 1/10.5) = 1.57204
    detractors = ["Lieferung verspätet"] * 6 + ["Preis hoch"] * 4
    promoters = ["Tolle Beratung"] * 10

    result = themes(detractors, promoters)

    lieferung = next(t for t in result.detractor_themes if t.term == "lieferung")
    assert lieferung.log_odds_ratio == pytest.approx(3.41225, abs=1e-4)
    assert lieferung.z == pytest.approx(3.41225 / 1.57204, abs=1e-4)
    assert lieferung.z == pytest.approx(
        lieferung.log_odds_ratio / math.sqrt(1 / 6.5 + 1 / 4.5 + 1 / 0.5 + 1 / 10.5)
    )
    assert [t.term for t in result.promoter_themes][:3] == [
        "beratung",
        "tolle",
        "tolle beratung",
    ]


def test_terms_equally_common_on_both_sides_or_too_rare_are_no_themes() -> None:
    detractors = ["Service freundlich, Preis hoch"] * 5 + ["Rechnung falsch"]
    promoters = ["Service freundlich"] * 5

    result = themes(detractors, promoters, min_comments=2)

    named = {t.term for t in result.detractor_themes + result.promoter_themes}
    assert "service" not in named
    assert "rechnung" not in named
    assert "preis" in named


def test_no_comments_give_no_themes() -> None:
    result = themes([], [])

    assert (result.detractor_comments, result.detractor_themes, result.promoter_themes) == (
        0,
        [],
        [],
    )
