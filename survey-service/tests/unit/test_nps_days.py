"""Which UTC days of a time range the NPS rollups may answer for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from survey.adapters.responses_repository import whole_days


def test_unbounded_ranges_are_all_whole_days() -> None:
    assert whole_days(None, None) == (None, None)


def test_a_range_from_midnight_utc_starts_with_that_day() -> None:
    assert whole_days(datetime(2026, 3, 1, tzinfo=UTC), None) == (date(2026, 3, 1), None)


def test_a_day_cut_at_either_end_is_not_whole() -> None:
    assert whole_days(datetime(2026, 3, 1, 1, tzinfo=UTC), None) == (date(2026, 3, 2), None)
    assert whole_days(None, datetime(2026, 3, 2, 1, tzinfo=UTC)) == (None, date(2026, 3, 2))


def test_offsets_are_read_in_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    # Midnight in Berlin's summer is 22:00 UTC the day before: that day is cut.
    assert whole_days(datetime(2026, 7, 2, tzinfo=plus_two), None) == (date(2026, 7, 2), None)
    assert whole_days(datetime(2026, 7, 2, 2, tzinfo=plus_two), None) == (date(2026, 7, 2), None)


def test_a_range_without_a_whole_day_has_none() -> None:
    assert (
        whole_days(datetime(2026, 3, 1, 1, tzinfo=UTC), datetime(2026, 3, 2, 5, tzinfo=UTC)) is None
    )
