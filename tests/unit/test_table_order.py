"""A SQL Database migration's tables in their default order (failed, in flight, waiting,
done; each as Azure lists them), kept up to date table by table: always the order a full
sort gives."""

from __future__ import annotations

import random

from tui.monitoring.table_order import RankOrder
from tui.monitoring.tables import table_rank

STATES = ["Failed", "Copying", "PreparingForCopy", "Succeeded", "RebuildingIndexes", "Canceled"]


def test_kept_order_is_the_sorted_order_through_changes_additions_and_removals():
    rng = random.Random(3)
    order = RankOrder()
    state: dict[str, tuple[str, int]] = {}
    next_index = 0
    for _ in range(3000):
        move = rng.random()
        if move < 0.5 or not state:
            name = f"dbo.T{rng.randint(0, 400)}"
            status = rng.choice(STATES)
            index = state[name][1] if name in state else next_index
            next_index += name not in state
            state[name] = (status, index)
            order.put(name, table_rank(status), index)
        else:
            name = rng.choice(sorted(state))
            del state[name]
            order.drop(name)
        expected = sorted(state, key=lambda n: (table_rank(state[n][0]), state[n][1], n))
        assert order.names() == expected
    assert len(order) == len(state)


def test_a_table_that_fails_moves_to_the_top_and_says_it_moved():
    order = RankOrder()
    for i in range(5):
        order.put(f"t{i}", table_rank("Copying"), i)
    assert order.put("t3", table_rank("Copying"), 3) is False  # the same place: nothing moves
    assert order.put("t3", table_rank("Failed"), 3) is True
    assert order.names() == ["t3", "t0", "t1", "t2", "t4"]
