"""The rating's services (SPEC, The rating), by responsibility:

- recompute.py: the recompute — one statement that computes and writes the table;
- inputs.py: the SQL that sums the window's appeals, misses, medians and feedback;
- lock.py: one recompute at a time;
- preview.py: a formula version's table beside the current one, before it counts;
- relay.py: the relay of the recompute outbox (regions whose requests are due).
"""

from .lock import RUN_LOCK_KEY
from .preview import formula_preview
from .recompute import current_formula, ratings_recompute, ratings_recompute_nightly
from .relay import ratings_recompute_due

__all__ = [
    "RUN_LOCK_KEY",
    "current_formula",
    "formula_preview",
    "ratings_recompute",
    "ratings_recompute_due",
    "ratings_recompute_nightly",
]
