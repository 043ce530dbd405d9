"""What appeals tell the apps above them, without importing them."""

from django.dispatch import Signal

# Sent inside the transaction that answered or rated an appeal (kwarg: region_id). The
# ratings app listens and asks for the region's recompute; appeals never imports it.
rating_input_changed = Signal()
