"""Where a filing's Python goes: the same API filings in-process, counted by callgrind
(instructions, repeatable on a noisy machine) with one piece left out at a time. A
piece's cost is how many instructions per filing its absence saves. The pieces are
left out by replacing them in this process only; nothing here is a way to run the
site.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/izb_bench REDIS_URL=redis://127.0.0.1:6379/3 \\
        .venv/bin/python bench/filing_pieces.py

Each piece is two runs under valgrind (10 and 40 filings; the difference over 30 is
per filing, start-up cancelled out): about a minute each. Adds filings to the
database it runs on.
"""

import argparse
import contextlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.server import in_process_env

PIECES = {
    "nothing (the whole filing)": None,
    "the throttle (Redis)": "throttle",
    "the token lookup": "token",
    "the 201 answer's body": "body",
    "the two history rows": "history",
    "the two notification rows": "notifications",
    "middleware but SecurityMiddleware": "middleware",
}


def instructions(piece: str | None, filings: int) -> int:
    command = [
        "valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
        sys.executable, __file__, "--file", str(filings), "--without", piece or "",
    ]  # fmt: skip
    output = subprocess.run(command, capture_output=True, text=True, check=True).stderr
    line = next(line for line in output.splitlines() if "Collected" in line)
    return int(line.rsplit(":", 1)[1])


def file(filings: int, without: str):
    """The child: file `filings` appeals with one piece left out."""
    os.environ.update(in_process_env())
    import django

    django.setup()

    from django.test import Client, override_settings
    from rest_framework.response import Response

    from accounts.authentication import TokenAuthentication  # the site's, not DRF's
    from accounts.models import ApiToken
    from accounts.tokens import api_token_digest
    from appeals import events
    from appeals.api import views as api_views
    from appeals.services import filing
    from appeals.throttling import FilingThrottle
    from bench.people import Filings

    appeals = Filings()
    by_digest = ApiToken.objects.select_related("user").in_bulk(
        [api_token_digest(key) for key in appeals.tokens], field_name="digest"
    )
    tokens = {key: by_digest[api_token_digest(key)] for key in appeals.tokens}
    replaced = {
        "throttle": (FilingThrottle, "allow_request", lambda self, request, view: True),
        "token": (
            TokenAuthentication,
            "authenticate_credentials",
            lambda self, key: (tokens[key].user, tokens[key]),
        ),
        "body": (
            api_views,
            "_respond",
            lambda request, appeal, status_code=200: Response(
                {"number": appeal.number}, status=status_code
            ),
        ),
        "history": (events, "filed", lambda appeal, actor, why, **kwargs: []),
        "notifications": (filing, "notify_all", lambda **kwargs: None),
    }
    with contextlib.ExitStack() as stack:
        if without == "middleware":
            stack.enter_context(
                override_settings(MIDDLEWARE=["django.middleware.security.SecurityMiddleware"])
            )
        elif without:
            owner, name, stand_in = replaced[without]
            stack.enter_context(_replaced(owner, name, stand_in))
        client = Client()
        for _ in range(filings):
            appeals.file_in_process(client)


@contextlib.contextmanager
def _replaced(owner, name, stand_in):
    original = getattr(owner, name)
    setattr(owner, name, stand_in)
    try:
        yield
    finally:
        setattr(owner, name, original)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--without", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.file is not None:
        return file(args.file, args.without)
    whole = None
    print("Instructions of Python per API filing (callgrind, in-process):")
    for label, piece in PIECES.items():
        per_filing = (instructions(piece, 40) - instructions(piece, 10)) / 30
        whole = whole or per_filing
        saved = "" if piece is None else f"   saves {(whole - per_filing) / 1e6:5.2f} M"
        print(f"  without {label:36} {per_filing / 1e6:6.2f} M{saved}", flush=True)


if __name__ == "__main__":
    main()
