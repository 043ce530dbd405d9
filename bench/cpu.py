"""CPU time of a process, read from /proc (Linux): what the bench scripts compare,
since wall time on a shared machine depends on the neighbours."""

import os
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int, *, ended_children: bool = False) -> float:
    """User + system seconds of `pid`; with `ended_children`, also those of its children
    that ended (PostgreSQL's closed connections count to the postmaster)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(map(int, fields[11 : 15 if ended_children else 13])) / TICKS
