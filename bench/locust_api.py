"""Locust load profile of the OpenIMR API, run headless by bench/bench_api.py.

Each simulated user is staff (an admin token) working a seeded set of assigned cases:
mostly case reads (`GET /cases/{id}`), now and then an engine draft (`POST
/cases/{id}/determination/drafts` with an empty body, which runs the determination engine
on the case's documents and saves a new draft version). The bench passes the case ids and
a token (or a username and password to log in with) through the environment.
"""

from __future__ import annotations

import os
import random

from locust import HttpUser, between, task

CASE_IDS = [int(x) for x in os.environ.get("OPENIMR_BENCH_CASES", "1").split(",") if x]
READ_NAME = "GET /cases/{id}"
DRAFT_NAME = "POST /cases/{id}/determination/drafts"


class StaffUser(HttpUser):
    """Staff reading cases, and asking the engine for a draft about once in six requests."""

    wait_time = between(0.0, 0.05)

    def on_start(self) -> None:
        token = os.environ.get("OPENIMR_BENCH_TOKEN")
        if not token:
            response = self.client.post(
                "/auth/token",
                data={
                    "username": os.environ.get("OPENIMR_BENCH_USER", "bench"),
                    "password": os.environ.get("OPENIMR_BENCH_PASSWORD", ""),
                },
                name="POST /auth/token",
            )
            response.raise_for_status()
            token = response.json()["access_token"]
        self.client.headers["Authorization"] = f"Bearer {token}"

    @task(5)
    def read_case(self) -> None:
        self.client.get(f"/cases/{random.choice(CASE_IDS)}", name=READ_NAME)

    @task(1)
    def engine_draft(self) -> None:
        self.client.post(
            f"/cases/{random.choice(CASE_IDS)}/determination/drafts", json={}, name=DRAFT_NAME
        )
