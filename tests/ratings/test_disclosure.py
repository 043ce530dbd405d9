"""No number hidden in the topic table can be worked out from the published ones."""

import random
from fractions import Fraction

import pytest

from ratings.disclosure import TOTAL, suppress


def lines(rows, columns):
    """Every row and column of the published grid adds up: cells to their total."""
    everything_r, everything_c = [*rows, TOTAL], [*columns, TOTAL]
    for r in everything_r:
        yield [(r, c) for c in columns], (r, TOTAL)
    for c in everything_c:
        yield [(r, c) for r in rows], (TOTAL, c)


def equations(published, rows, columns):
    """Each line as {unknown: coefficient} = known constant."""
    for parts, total in lines(rows, columns):
        coefficients, constant = {}, Fraction(0)
        for key, sign in [*((p, 1) for p in parts), (total, -1)]:
            cell = published[key]
            if cell.shown:
                constant -= sign * cell.value
            else:
                coefficients[key] = coefficients.get(key, 0) + sign
        yield coefficients, constant


def solved_line_by_line(published, rows, columns) -> set:
    """A line with exactly one unknown gives it away; repeat with what was learnt."""
    known = {key for key, cell in published.items() if cell.shown}
    found = set()
    while True:
        learnt = set()
        for parts, total in lines(rows, columns):
            unknown = [key for key in [*parts, total] if key not in known]
            if len(unknown) == 1:
                learnt.add(unknown[0])
        if not learnt:
            return found
        known |= learnt
        found |= learnt


def determined_exactly(published, rows, columns) -> set:
    """Hidden cells fixed by the linear system of all the sums, by exact elimination:
    x_i is determined when e_i lies in the row space of the system."""
    unknowns = sorted((k for k, c in published.items() if not c.shown), key=repr)
    index = {key: i for i, key in enumerate(unknowns)}
    matrix = []
    for coefficients, _constant in equations(published, rows, columns):
        row = [Fraction(0)] * len(unknowns)
        for key, value in coefficients.items():
            row[index[key]] += value
        if any(row):
            matrix.append(row)
    base = rank(matrix)
    found = set()
    for key, i in index.items():
        unit = [Fraction(int(j == i)) for j in range(len(unknowns))]
        if rank([*matrix, unit]) == base:
            found.add(key)
    return found


def rank(matrix) -> int:
    rows = [list(r) for r in matrix]
    rank_, width = 0, len(rows[0]) if rows else 0
    for column in range(width):
        pivot = next((i for i in range(rank_, len(rows)) if rows[i][column]), None)
        if pivot is None:
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for i in range(len(rows)):
            if i != rank_ and rows[i][column]:
                factor = rows[i][column] / rows[rank_][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank_], strict=True)]
        rank_ += 1
    return rank_


def publish(table):
    rows = list(range(len(table)))
    columns = list(range(len(table[0])))
    grid = {(r, c): n for r, line in enumerate(table) for c, n in enumerate(line)}
    return suppress(grid, rows, columns), rows, columns


def assert_nothing_derivable(table):
    published, rows, columns = publish(table)
    assert not solved_line_by_line(published, rows, columns), table
    assert not determined_exactly(published, rows, columns), table
    # Small cells are never shown, other cells only hidden when they must be.
    for (r, c), cell in published.items():
        if r != TOTAL and c != TOTAL and 0 < table[r][c] < 5:
            assert str(cell) == "<5"
    return published


DATASETS = {
    "a row with one small cell": [[10, 7, 3], [8, 6, 9], [0, 12, 5]],
    "one small cell in a corner": [[20, 30], [40, 2]],
    "two small cells in one row": [[2, 3, 20], [15, 11, 9]],
    "small cells on a diagonal": [[1, 9, 9, 9], [9, 2, 9, 9], [9, 9, 3, 9], [9, 9, 9, 4]],
    "zeros around a small cell": [[0, 0, 3], [0, 0, 0], [7, 8, 9]],
    "a tiny region": [[1, 0], [0, 2]],
    "one row": [[12, 1, 30]],
    # Every line has two hidden cells, yet (1, 2) joins two closed groups and follows
    # from the sums of rows 0–1 against columns 0–1.
    "a bridge between two groups": [[1, 2, 9, 9], [3, 4, 1, 9], [9, 9, 2, 3], [9, 9, 4, 1]],
}


@pytest.mark.parametrize("table", DATASETS.values(), ids=DATASETS.keys())
def test_no_hidden_cell_follows_from_the_published_numbers(table):
    assert_nothing_derivable(table)


def test_subtraction_from_the_row_total_no_longer_gives_the_small_cell_back():
    published, _rows, columns = publish(DATASETS["a row with one small cell"])

    assert str(published[(0, 2)]) == "<5"
    row = [published[(0, c)] for c in [*columns, TOTAL]]
    assert sum(1 for cell in row if not cell.shown) >= 2


def test_the_exact_check_sees_a_bridge_that_line_by_line_solving_misses():
    table = DATASETS["a bridge between two groups"]
    published, rows, columns = primary_only(table)

    assert not solved_line_by_line(published, rows, columns)
    assert (1, 2) in determined_exactly(published, rows, columns)
    assert_nothing_derivable(table)


def test_cells_that_give_nothing_away_stay_visible():
    published, _rows, _columns = publish([[10, 7, 30], [8, 6, 9]])

    assert all(cell.shown for cell in published.values())


def test_random_tables_leave_nothing_derivable():
    rng = random.Random(17)
    for _ in range(60):
        height, width = rng.randint(1, 5), rng.randint(1, 6)
        table = [
            [rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _ in range(width)]
            for _ in range(height)
        ]
        assert_nothing_derivable(table)


def primary_only(table):
    """What the page published before: "<5" alone, every other number as it is."""
    from ratings.disclosure import Published

    rows, columns = list(range(len(table))), list(range(len(table[0])))
    values = {(r, c): table[r][c] for r in rows for c in columns}
    values |= {(r, TOTAL): sum(table[r]) for r in rows}
    values |= {(TOTAL, c): sum(table[r][c] for r in rows) for c in columns}
    values[(TOTAL, TOTAL)] = sum(map(sum, table))
    published = {
        key: Published(value=None, small=True) if 0 < n < 5 else Published(value=n)
        for key, n in values.items()
    }
    return published, rows, columns


def test_the_checks_catch_a_table_that_hides_only_the_small_cells():
    published, rows, columns = primary_only(DATASETS["a row with one small cell"])

    assert (0, 2) in solved_line_by_line(published, rows, columns)
    assert (0, 2) in determined_exactly(published, rows, columns)
