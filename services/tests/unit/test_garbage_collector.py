import gc
from collections.abc import Iterator

import pytest

from treue.service import YOUNG_OBJECTS_BEFORE_COLLECTING, settle_garbage_collector


@pytest.fixture
def restored_collector() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_a_settled_collector_leaves_what_exists_and_waits_for_more_young_objects(
    restored_collector: None,
) -> None:
    gc.unfreeze()
    built_at_start = [object()]

    settle_garbage_collector()

    # Frozen: no generation the collector walks holds it any more.
    assert gc.is_tracked(built_at_start)
    assert all(tracked is not built_at_start for tracked in gc.get_objects())
    assert gc.get_threshold()[0] == YOUNG_OBJECTS_BEFORE_COLLECTING > 700
