"""The order a SQL Database migration's tables are listed in until the DBA sorts: failed,
in flight, waiting, done (``tables.table_rank``), each as Azure lists them — kept up to date
table by table.

A refresh of 20,000 tables where a few change state moves those few: sorting all of them
again took most of a refresh's time on the UI thread, keys waiting behind it.
"""

from __future__ import annotations

from bisect import bisect_left

from tui.monitoring.tables import RANK_DONE


class RankOrder:
    """Tables by rank, then by where Azure lists them (the index a table had when first
    seen; two tables seen at one index keep their names' order)."""

    def __init__(self) -> None:
        self._ranks: list[list[tuple[int, str]]] = [[] for _ in range(RANK_DONE + 1)]
        self._names: list[list[str]] = [[] for _ in self._ranks]  # the same, names only
        self._where: dict[str, tuple[int, int]] = {}  # name → (rank, index)

    def __len__(self) -> int:
        return len(self._where)

    def put(self, name: str, rank: int, index: int) -> bool:
        """Table ``name`` has ``rank`` and sits at ``index``; ``True`` when its place moved."""
        old = self._where.get(name)
        if old == (rank, index):
            return False
        if old is not None:
            self._take(name, *old)
        ranked = self._ranks[rank]
        at = bisect_left(ranked, (index, name))
        ranked.insert(at, (index, name))
        self._names[rank].insert(at, name)
        self._where[name] = (rank, index)
        return True

    def drop(self, name: str) -> None:
        old = self._where.pop(name, None)
        if old is not None:
            self._take(name, *old)

    def _take(self, name: str, rank: int, index: int) -> None:
        ranked = self._ranks[rank]
        at = bisect_left(ranked, (index, name))
        del ranked[at]
        del self._names[rank][at]

    def names(self) -> list[str]:
        """Every table, in order."""
        out: list[str] = []
        for names in self._names:
            out += names
        return out
