"""The load test's simulated people (locust). Started by bench/loadtest.py, which
prepares the accounts and reads the results; see docs/PERFORMANCE.md.

- Filer: a citizen filing appeals through the API, on average `rate` a second each,
  whatever the server's speed (open loop).
- Reader: a citizen following their appeals (API list and detail, the page list).
- DeputyUser: a deputy working the queue: dashboard, the API queue, answering.
- CommitteeUser: a committee analyst reading the region's rating table (page, API).

Each kind names its requests, so the report gives rates and latencies per kind.
Filings carry an Idempotency-Key; every success answer is recorded for the
reconciliation against the database.
"""

import json
import os
import random
import time
import uuid

from locust import FastHttpUser, between, events, task

with open(os.environ["LOADTEST_ACCOUNTS"]) as accounts_file:
    ACCOUNTS = json.load(accounts_file)
FILED = []  # (idempotency key, appeal number) of every 201
HTTPS = {"X-Forwarded-Proto": "https"}  # as the TLS proxy in front of gunicorn says


def session_headers(key):
    # Production cookies are Secure; the proxy speaks TLS, this client plain HTTP.
    return {**HTTPS, "Cookie": f"sessionid={key}"}


def token_headers(token):
    return {**HTTPS, "Authorization": f"Token {token}"}


def call(user, method, path, name, headers, *, ok=(200,), json=None):
    """One request, counted as a failure unless its status is one of `ok`. Returns the
    decoded JSON body of a success, or None."""
    with user.client.request(
        method, path, name=name, headers=headers, json=json, catch_response=True
    ) as response:
        if response.status_code not in ok:
            response.failure(f"{response.status_code}: {response.text[:200]}")
            return None
        response.success()
        is_json = response.headers.get("Content-Type", "").startswith("application/json")
        return response.json() if is_json else None


FILING_RATE = float(os.environ["LOADTEST_FILING_RATE"])  # all set by bench/loadtest.py


class Filer(FastHttpUser):
    """Citizens are independent, so their filings arrive as a Poisson stream: each
    filing is due an exponentially distributed time (mean 1/rate) after the previous
    one was due, not after its answer came. The public does not slow down for a slow
    server, so a filer behind its clock files at once until it has caught up; waiting
    after each answer instead would offer less the slower the server got, and cap what
    is measured at filers / (wait + latency). Fixed pacing would make the filers fall
    into lockstep and arrive in bursts no real public makes."""

    weight = int(os.environ["LOADTEST_FILERS"])

    def on_start(self):
        self.due = time.monotonic()

    def wait_time(self):
        self.due += random.expovariate(FILING_RATE)
        return max(0.0, self.due - time.monotonic())

    @task
    def file(self):
        citizen = random.choice(ACCOUNTS["citizens"])
        key = uuid.uuid4().hex
        body = {
            "region": random.choice(ACCOUNTS["regions"]),
            "topic": random.choice(ACCOUNTS["topics"]),
            "subject": "Нагрузочный тест: яма во дворе",
            "text": "Прошу отремонтировать асфальт во дворе дома 12, яма уже полгода.",
            "consent": True,
        }
        headers = {**token_headers(citizen["token"]), "Idempotency-Key": key}
        filed = call(self, "POST", "/api/v1/appeals/", "file (API)", headers, ok=(201,), json=body)
        if filed:
            FILED.append((key, filed["number"]))


class Reader(FastHttpUser):
    weight = int(os.environ["LOADTEST_READERS"])
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.citizen = random.choice(ACCOUNTS["readers"])

    @task(3)
    def my_appeals_api(self):
        headers = token_headers(self.citizen["token"])
        listed = call(self, "GET", "/api/v1/appeals/", "my appeals (API)", headers)
        if listed and listed["results"]:
            number = random.choice(listed["results"])["number"]
            call(self, "GET", f"/api/v1/appeals/{number}/", "appeal (API)", headers)

    @task(1)
    def my_appeals_page(self):
        headers = session_headers(self.citizen["session"])
        call(self, "GET", "/appeals/", "my appeals (page)", headers)


class DeputyUser(FastHttpUser):
    weight = int(os.environ["LOADTEST_DEPUTIES"])
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.deputy = random.choice(ACCOUNTS["deputies"])

    @task(4)
    def dashboard(self):
        headers = session_headers(self.deputy["session"])
        call(self, "GET", "/dashboard/", "dashboard (page)", headers)

    @task(2)
    def overdue(self):
        headers = session_headers(self.deputy["session"])
        call(self, "GET", "/dashboard/?overdue=on", "dashboard overdue (page)", headers)

    @task(1)
    def answer(self):
        headers = token_headers(self.deputy["token"])
        queue = call(
            self, "GET", "/api/v1/appeals/?status=assigned&ordering=deadline", "queue (API)",
            headers,
        )  # fmt: skip
        if not queue or not queue["results"]:
            return
        number = queue["results"][0]["number"]
        text = "Спасибо за обращение. Направлен запрос в управу, ответ приложен."
        # 409: another simulated session of the same deputy answered it first.
        call(self, "POST", f"/api/v1/appeals/{number}/answer/", "answer (API)", headers,
             ok=(200, 409), json={"text": text})  # fmt: skip


class CommitteeUser(FastHttpUser):
    weight = int(os.environ["LOADTEST_COMMITTEES"])
    wait_time = between(1, 2)

    def on_start(self):
        self.member = random.choice(ACCOUNTS["committees"])

    @task(3)
    def table(self):
        headers = session_headers(self.member["session"])
        call(self, "GET", "/ratings/", "rating table (page)", headers)

    @task(1)
    def table_sorted(self):
        headers = session_headers(self.member["session"])
        call(self, "GET", "/ratings/?sort=score", "rating table sorted (page)", headers)

    @task(2)
    def table_api(self):
        path = f"/api/v1/ratings/regions/{self.member['region']}/"
        call(self, "GET", path, "rating table (API)", token_headers(self.member["token"]))


@events.test_stop.add_listener
def _save_filings(environment, **kwargs):
    with open(os.environ["LOADTEST_FILED"], "w") as out:
        json.dump(FILED, out)
