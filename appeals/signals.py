"""What appeals tell the apps above them, without importing them."""

from django.dispatch import Signal

# Sent inside the transaction that answered or rated an appeal (kwarg: region_id). The
# ratings app listens and asks for the region's recompute; appeals never imports it.
rating_input_changed = Signal()

# A citizen's data export and erasure (appeals.personal_data) ask the apps above for
# their part: `personal_data_collected` (kwarg: user) is answered with a dict of appeal id
# to {key: value} added to that appeal's entry; `personal_data_erased` (kwarg: user) is
# sent inside the erasure's transaction.
personal_data_collected = Signal()
personal_data_erased = Signal()

# Sent inside the transaction that gave an appeal its final answer (kwarg: message_id).
# The feedback app listens and scores the answer after the commit (formulaic answers).
final_answer_given = Signal()
