from analytics.domain.event_rounds import rounds


def test_events_of_different_keys_share_the_first_round() -> None:
    assert rounds([(["a"], True), (["b"], True), (["c"], False)]) == [[0, 1, 2]]


def test_a_key_reassessed_twice_takes_two_rounds() -> None:
    assert rounds([(["a"], True), (["b"], True), (["a"], True)]) == [[0, 1], [2]]


def test_events_before_a_reassessment_join_its_round() -> None:
    # a's quiet event and the one asking for a re-assessment are seen together by it; the
    # quiet one after it waits for the next round.
    assert rounds([(["a"], False), (["a"], True), (["a"], False)]) == [[0, 1], [2]]


def test_a_second_key_holds_an_event_back_past_its_rounds() -> None:
    # Revision 2 of answer r (contact b) comes after revision 1 (contact a) was assessed.
    grouped = rounds([(["a", "r"], True), (["a"], True), (["b", "r"], True), (["b"], True)])
    assert grouped == [[0], [1, 2], [3]]


def test_an_empty_run_has_no_rounds() -> None:
    assert rounds([]) == []
