"""A formula version previewed before it counts (SPEC, The rating): a region's table
computed now by the version in effect and by the candidate, side by side — each
deputy's rank under both, the shift, the biggest movers and Kendall's tau between the
two rankings.

Both tables are computed now, from the same appeals, by the recompute's own SQL
(recompute.scored_sql): a difference between them is the formula's alone, never the
data's since the last run. Nothing is written. The national means are those of the
last full run, as a region's event run uses; without one, the region's own.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.utils import timezone

from ..models import RatingFormula, RatingRun
from .recompute import current_formula, region_rank_sql, scored_sql

# The movers listed above the full table.
MOVERS = 5


@dataclass(frozen=True)
class PreviewRow:
    deputy_id: int
    name: str
    score_now: float
    rank_now: int | None  # None: not enough data for a rank under that version
    score_new: float
    rank_new: int | None

    @property
    def shift(self) -> int | None:
        """Places gained under the candidate (negative: lost); None unless ranked twice."""
        if self.rank_now is None or self.rank_new is None:
            return None
        return self.rank_now - self.rank_new


@dataclass
class FormulaPreview:
    current: RatingFormula
    candidate: RatingFormula
    rows: list[PreviewRow] = field(default_factory=list)

    @property
    def ranked_twice(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.shift is not None]

    @property
    def tau(self) -> float | None:
        """Kendall's tau-b between the two rankings of the deputies ranked under both:
        1 the same order, 0 unrelated, −1 reversed; None with fewer than two."""
        from scipy.stats import kendalltau  # only here: scipy is slow to import

        both = self.ranked_twice
        if len(both) < 2:
            return None
        tau = kendalltau([r.rank_now for r in both], [r.rank_new for r in both]).statistic
        return None if math.isnan(tau) else float(tau)

    @property
    def movers(self) -> list[PreviewRow]:
        moved = [row for row in self.ranked_twice if row.shift]
        return sorted(moved, key=lambda row: (-abs(row.shift), row.rank_now))[:MOVERS]

    @property
    def entering(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.rank_now is None and row.rank_new is not None]

    @property
    def leaving(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.rank_now is not None and row.rank_new is None]


def _region_table(formula, *, region_id: int, now: datetime, national) -> dict[int, tuple]:
    """deputy id → (name, score, rank in the region): one statement."""
    scored, params = scored_sql(formula=formula, now=now, region_id=region_id, national=national)
    sql = f"""WITH {scored}
SELECT t.deputy_id, d.full_name, t.score, {region_rank_sql()}
FROM scored t JOIN deputies_deputy d ON d.id = t.deputy_id"""  # noqa: S608  # nosec B608: SQL text only
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {row[0]: row[1:] for row in cursor.fetchall()}


def formula_preview(
    *, candidate: RatingFormula, region_id: int, now: datetime | None = None
) -> FormulaPreview:
    """The region's table by the version in effect now and by `candidate`, ordered by
    the rank under the candidate (unranked last, by name)."""
    now = now or timezone.now()
    current = current_formula(now)
    national = RatingRun.objects.current()
    today = _region_table(current, region_id=region_id, now=now, national=national)
    new = _region_table(candidate, region_id=region_id, now=now, national=national)
    rows = [
        PreviewRow(
            deputy_id=deputy_id,
            name=name,
            score_now=score_now,
            rank_now=rank_now,
            score_new=new[deputy_id][1],
            rank_new=new[deputy_id][2],
        )
        for deputy_id, (name, score_now, rank_now) in today.items()
    ]
    rows.sort(key=lambda r: (r.rank_new is None, r.rank_new or 0, r.name))
    return FormulaPreview(current=current, candidate=candidate, rows=rows)
