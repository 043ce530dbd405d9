"""Small-cell suppression of a published count table, free of the database.

A cell of 1–4 appeals is hidden ("<5") so no one is identifiable. Hiding it alone is
not enough: a row total minus the row's visible cells gives it back. So complementary
cells are hidden too, until no hidden number follows from the published ones.

The table with its margins (row totals, column totals, grand total) is one grid whose
every row and column adds up; the hidden cells are the edges of a graph between its
rows and columns. A hidden value is determined by the published numbers exactly when
its edge lies on no cycle of that graph (a bridge): along a cycle one can add and
subtract the same amount and every sum still holds. A row or column with a single
hidden cell is the simplest bridge; two linked groups of hidden cells are another.
"""

from dataclasses import dataclass

SMALL = 5  # counts from 1 to SMALL - 1 are hidden
TOTAL = "total"  # the key of the margin row and column
HIDDEN_MARK = "…"  # as Rosstat marks figures withheld for confidentiality


@dataclass(frozen=True)
class Published:
    """What a reader sees: `value` when shown, else why it is not."""

    value: int | None
    small: bool = False  # hidden as "<5"
    hidden: bool = False  # hidden so that a small cell cannot be computed back

    def __str__(self):
        if self.value is not None:
            return str(self.value)
        return f"<{SMALL}" if self.small else HIDDEN_MARK

    @property
    def shown(self):
        return self.value is not None


def is_small(n) -> bool:
    return 0 < n < SMALL


def alone(n: int) -> Published:
    """A count published on its own (no totals to give it back): 1–4 shown as "<5"."""
    return Published(None, small=True) if is_small(n) else Published(n)


def suppress(grid: dict, rows: list, columns: list, *, published=frozenset()) -> dict:
    """Publish `grid[(row, column)]` counts with their totals.

    Returns {(row, column): Published} for every row and column plus TOTAL (the margins
    and the grand total). Deterministic: the same counts give the same table.

    `published`: cells already public in another table (a margin two tables share, such
    as a topic's total). They are never hidden, since hiding them here protects nothing;
    the complements are found among the other cells.
    """
    cells = {}
    for r in rows:
        for c in columns:
            cells[(r, c)] = grid.get((r, c), 0) or 0
    for r in rows:
        cells[(r, TOTAL)] = sum(cells[(r, c)] for c in columns)
    for c in columns:
        cells[(TOTAL, c)] = sum(cells[(r, c)] for r in rows)
    cells[(TOTAL, TOTAL)] = sum(cells[(r, TOTAL)] for r in rows)

    small = {key for key, n in cells.items() if is_small(n) and key not in published}
    hidden = set(small)
    order = {key: index for index, key in enumerate(cells)}
    while True:
        added = _complements(cells, hidden, order, published)
        if not added:
            break
        hidden |= added
    return {
        key: Published(value=None if key in hidden else n, small=key in small, hidden=key in hidden)
        for key, n in cells.items()
    }


def _graph(hidden):
    """Adjacency of row and column nodes joined by hidden cells."""
    adjacent = {}
    for r, c in hidden:
        adjacent.setdefault(("r", r), set()).add(("c", c))
        adjacent.setdefault(("c", c), set()).add(("r", r))
    return adjacent


def _cheapest(cells, hidden, order, candidates, touched, published):
    """The complement that loses least: a non-zero count before a zero (hiding a zero
    protects little), one closing a cycle with hidden cells already there, the smallest,
    and the grand total last (the chart of months shows it anyway)."""
    free = [key for key in candidates if key not in hidden and key not in published]
    if not free:
        return None

    def cost(key):
        r, c = key
        closes = ("r", r) in touched and ("c", c) in touched
        return (key == (TOTAL, TOTAL), cells[key] == 0, not closes, cells[key], order[key])

    return min(free, key=cost)


def _complements(cells, hidden, order, published) -> set:
    """One round: a complement for every row and column with a single hidden cell; when
    there is none, one for the first bridge. Empty when nothing is derivable."""
    adjacent = _graph(hidden)
    touched = set(adjacent)
    lines_rows = {r for r, _c in cells}
    lines_columns = {c for _r, c in cells}
    added = set()
    for node, neighbours in sorted(adjacent.items(), key=lambda item: repr(item[0])):
        if len(neighbours) != 1:
            continue
        kind, name = node
        if kind == "r":
            line = [(name, c) for c in lines_columns]
        else:
            line = [(r, name) for r in lines_rows]
        choice = _cheapest(cells, hidden | added, order, line, touched, published)
        if choice is not None:
            added.add(choice)
    if added:
        return added

    bridge = _first_bridge(adjacent, hidden, order)
    if bridge is None:
        return set()
    # Join the two sides the bridge separates by another hidden cell: then the bridge
    # lies on a cycle.
    r, c = bridge
    cut = (("r", r), ("c", c))
    side_a = _reachable(adjacent, ("r", r), without=cut)
    side_b = _reachable(adjacent, ("c", c), without=cut)
    candidates = [
        (rr, cc)
        for rr, cc in cells
        if (("r", rr) in side_a and ("c", cc) in side_b)
        or (("r", rr) in side_b and ("c", cc) in side_a)
    ]
    choice = _cheapest(cells, hidden, order, candidates, touched, published)
    return {choice} if choice is not None else set()


def _reachable(adjacent, start, *, without):
    a, b = without
    seen, stack = {start}, [start]
    while stack:
        node = stack.pop()
        for other in adjacent.get(node, ()):
            if {node, other} == {a, b} or other in seen:
                continue
            seen.add(other)
            stack.append(other)
    return seen


def _first_bridge(adjacent, hidden, order):
    """The first hidden cell (in table order) whose edge is a bridge, found with
    Tarjan's low-link walk (linear in the graph's size). The graph is simple: one edge
    per row–column pair."""
    entered, low, bridges, clock = {}, {}, set(), 0
    for root in sorted(adjacent, key=repr):
        if root in entered:
            continue
        entered[root] = low[root] = clock
        clock += 1
        stack = [(root, None, iter(sorted(adjacent[root], key=repr)))]
        while stack:
            node, parent, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if parent is not None:
                    low[parent] = min(low[parent], low[node])
                    if low[node] > entered[parent]:
                        bridges.add(frozenset((parent, node)))
                continue
            if child == parent:
                continue
            if child in entered:
                low[node] = min(low[node], entered[child])
            else:
                entered[child] = low[child] = clock
                clock += 1
                stack.append((child, node, iter(sorted(adjacent[child], key=repr))))
    for r, c in sorted(hidden, key=order.__getitem__):
        if frozenset((("r", r), ("c", c))) in bridges:
            return (r, c)
    return None
