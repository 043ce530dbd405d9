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


PROCESS_KINDS = ("postgres", "gunicorn", "celery", "redis-server", "nginx")


def cpu_by_kind() -> dict:
    """CPU seconds of the machine's processes so far, by kind: where the two cores went
    during the run. PostgreSQL's count includes its connections that closed."""
    totals = dict.fromkeys(PROCESS_KINDS, 0.0)
    for process in Path("/proc").glob("[0-9]*"):
        try:
            command = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            kind = next((k for k in PROCESS_KINDS if k in command), None)
            if kind:
                totals[kind] += cpu_seconds(int(process.name), ended_children=True)
        except OSError:
            continue  # the process ended meanwhile
    return totals
