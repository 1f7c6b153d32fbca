"""A run of events split into rounds that can each be written set-based, with the customers
re-assessed once per round, so that every customer passes through the same states as when
the events came one by one."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence


def rounds(events: Sequence[tuple[Iterable[Hashable], bool]]) -> list[list[int]]:
    """The positions of the events (each its keys, and whether a re-assessment follows it)
    grouped by round, in run order within each. An event goes into the first round after
    every round in which an earlier event sharing one of its keys was followed by a
    re-assessment, and not before a round holding an earlier event with one of its keys:
    so each key's events stay in order, and each re-assessment at the end of a round sees
    a key's events up to the one that asked for it, as one by one, and none after it."""
    next_round: dict[Hashable, int] = {}
    grouped: list[list[int]] = []
    for position, (keys, reassessed) in enumerate(events):
        held = list(keys)
        at = max((next_round.get(key, 0) for key in held), default=0)
        if at == len(grouped):
            grouped.append([])
        grouped[at].append(position)
        for key in held:
            next_round[key] = at + 1 if reassessed else at
    return grouped
