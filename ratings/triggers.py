"""How other apps ask for a recompute: after their transaction commits, never waiting
on the broker. Filled in by the rating capability."""


def region_changed(*, region_id: int) -> None:
    return None
