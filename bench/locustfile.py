"""The load test's simulated people (locust). Started by bench/loadtest.py, which
prepares the accounts and reads the results; see docs/PERFORMANCE.md.

- Filer: a citizen filing appeals through the API at a steady rate each.
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


def expect(response, *codes):
    if response.status_code not in codes:
        response.failure(f"{response.status_code}: {response.text[:200]}")
    else:
        response.success()


FILING_RATE = float(os.environ.get("LOADTEST_FILING_RATE", "0.5"))


class Filer(FastHttpUser):
    """Citizens are independent, so their filings arrive as a Poisson stream: each
    waits an exponentially distributed time (mean 1/rate). Fixed pacing would make the
    filers fall into lockstep and arrive in bursts no real public makes."""

    weight = int(os.environ.get("LOADTEST_FILERS", "30"))

    def wait_time(self):
        return random.expovariate(FILING_RATE)

    @task
    def file(self):
        citizen = random.choice(ACCOUNTS["citizens"])
        region = random.choice(ACCOUNTS["regions"])
        key = uuid.uuid4().hex
        body = {
            "region": region,
            "topic": random.choice(ACCOUNTS["topics"]),
            "subject": "Нагрузочный тест: яма во дворе",
            "text": "Прошу отремонтировать асфальт во дворе дома 12, яма уже полгода.",
            "consent": True,
        }
        headers = {**token_headers(citizen["token"]), "Idempotency-Key": key}
        with self.client.post(
            "/api/v1/appeals/", json=body, headers=headers, name="file (API)", catch_response=True
        ) as response:
            expect(response, 201)
            if response.status_code == 201:
                FILED.append((key, response.json()["number"]))


class Reader(FastHttpUser):
    weight = int(os.environ.get("LOADTEST_READERS", "8"))
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.citizen = random.choice(ACCOUNTS["readers"])

    @task(3)
    def my_appeals_api(self):
        with self.client.get(
            "/api/v1/appeals/",
            headers=token_headers(self.citizen["token"]),
            name="my appeals (API)",
            catch_response=True,
        ) as response:
            expect(response, 200)
            results = response.json()["results"] if response.status_code == 200 else []
        if results:
            number = random.choice(results)["number"]
            with self.client.get(
                f"/api/v1/appeals/{number}/",
                headers=token_headers(self.citizen["token"]),
                name="appeal (API)",
                catch_response=True,
            ) as detail:
                expect(detail, 200)

    @task(1)
    def my_appeals_page(self):
        with self.client.get(
            "/appeals/",
            headers=session_headers(self.citizen["session"]),
            name="my appeals (page)",
            catch_response=True,
        ) as response:
            expect(response, 200)


class DeputyUser(FastHttpUser):
    weight = int(os.environ.get("LOADTEST_DEPUTIES", "8"))
    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.deputy = random.choice(ACCOUNTS["deputies"])

    @task(4)
    def dashboard(self):
        with self.client.get(
            "/dashboard/",
            headers=session_headers(self.deputy["session"]),
            name="dashboard (page)",
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(2)
    def overdue(self):
        with self.client.get(
            "/dashboard/?overdue=on",
            headers=session_headers(self.deputy["session"]),
            name="dashboard overdue (page)",
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(1)
    def answer(self):
        headers = token_headers(self.deputy["token"])
        with self.client.get(
            "/api/v1/appeals/?status=assigned&ordering=deadline",
            headers=headers,
            name="queue (API)",
            catch_response=True,
        ) as response:
            expect(response, 200)
            results = response.json()["results"] if response.status_code == 200 else []
        if not results:
            return
        number = results[0]["number"]
        with self.client.post(
            f"/api/v1/appeals/{number}/answer/",
            json={"text": "Спасибо за обращение. Направлен запрос в управу, ответ приложен."},
            headers=headers,
            name="answer (API)",
            catch_response=True,
        ) as response:
            # 409: another simulated session of the same deputy answered it first.
            expect(response, 200, 409)


class CommitteeUser(FastHttpUser):
    weight = int(os.environ.get("LOADTEST_COMMITTEES", "4"))
    wait_time = between(1, 2)

    def on_start(self):
        self.member = random.choice(ACCOUNTS["committees"])

    @task(3)
    def table(self):
        with self.client.get(
            "/ratings/",
            headers=session_headers(self.member["session"]),
            name="rating table (page)",
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(1)
    def table_sorted(self):
        with self.client.get(
            "/ratings/?sort=score",
            headers=session_headers(self.member["session"]),
            name="rating table sorted (page)",
            catch_response=True,
        ) as response:
            expect(response, 200)

    @task(2)
    def table_api(self):
        with self.client.get(
            f"/api/v1/ratings/regions/{self.member['region']}/",
            headers=token_headers(self.member["token"]),
            name="rating table (API)",
            catch_response=True,
        ) as response:
            expect(response, 200)


@events.test_stop.add_listener
def _save_filings(environment, **kwargs):
    with open(os.environ["LOADTEST_FILED"], "w") as out:
        json.dump(FILED, out)
