"""Requests/second and p50/p99 latency of the HTTP API under a real load tool (locust).

Starts `openimr serve` on 127.0.0.1 (a free port) over a temporary SQLite database seeded
with the example roster, a staff account and a few eligible, assigned cases (the invented
lumbar application with its case file attached), warms the server up (the first engine
draft loads the clinical models), then runs locust headless for `DURATION` with `USERS`
users: case reads (`GET /cases/{id}`) and engine drafts (`POST .../determination/drafts`)
in a 5:1 mix. Figures come from locust's CSV statistics. The server is always stopped.
"""

from __future__ import annotations

import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCUSTFILE = Path(__file__).resolve().parent / "locust_api.py"
APPLICATION = ROOT / "examples" / "workflow" / "lumbar-application.json"
ROSTER = ROOT / "examples" / "workflow" / "roster.csv"
CASE_FILE = ROOT / "examples" / "cases" / "lumbar-case-file.txt"
WORKERS = ["Dana K. Whitfield", "Alex P. Romero", "Jesse M. Brandt", "Kim L. Osei"]
USERS = 8
DURATION = "20s"
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _seed(url: str, password: str) -> list[int]:
    """Roster, one admin account and len(WORKERS) assigned cases; returns the case ids."""
    from openimr.api import services
    from openimr.model.case import Application
    from openimr.store.engine import Database
    from openimr.store.migrate import upgrade
    from openimr.store.repositories.users import Role
    from openimr.workflow.roster import read_roster

    upgrade(url)
    db = Database(url)
    try:
        services.import_roster(db, read_roster(ROSTER), actor="bench")
        services.add_user(db, "bench", Role.ADMIN, password, actor="bench")
        base = json.loads(APPLICATION.read_text(encoding="utf-8"))
        doc = services.document_input(CASE_FILE.name, CASE_FILE.read_bytes())
        ids = []
        for n, worker in enumerate(WORKERS):
            data = {**base, "application_id": f"BENCH-{n:04d}", "claim_number": f"BN-{n:04d}"}
            data["parties"] = [
                {**p, "name": worker} if p["role"] == "injured_worker" else p
                for p in base["parties"]
            ]
            case_id = services.intake(db, Application.model_validate(data), [doc], actor="bench")
            services.eligibility(db, case_id.case_id, actor="bench", as_of=date(2015, 3, 30))
            services.assign(db, case_id.case_id, actor="bench", as_of=date(2015, 3, 31))
            ids.append(case_id.case_id)
        return ids
    finally:
        db.dispose()


def _call(method: str, url: str, token: str | None = None, data: bytes | None = None) -> bytes:
    request = urllib.request.Request(url, data=data, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    if method == "POST" and data is not None and data.startswith(b"{"):
        request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=60) as response:
        body: bytes = response.read()
        return body


def _wait_up(base: str, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"openimr serve exited with code {proc.returncode}")
        try:
            _call("GET", f"{base}/openapi.json")
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("openimr serve did not answer within 60 s")


def _report(stats_csv: Path) -> None:
    with stats_csv.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    print(
        f"  {'endpoint':<40} {'requests':>8} {'failed':>6} {'req/s':>7} {'p50 ms':>7} {'p99 ms':>7}"
    )
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        print(
            f"  {name:<40} {row['Request Count']:>8} {row['Failure Count']:>6} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>7} {row['99%']:>7}"
        )


def main() -> None:
    password = secrets.token_urlsafe(18)
    with tempfile.TemporaryDirectory(prefix="openimr-bench-") as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'bench.db'}"
        started = time.perf_counter()
        case_ids = _seed(url, password)
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        env = {**os.environ, "OPENIMR_API_SECRET": secrets.token_hex(32)}
        with (work / "server.log").open("wb") as log:
            server = subprocess.Popen(
                [str(BIN / "openimr"), "serve", "--port", str(port), "--database-url", url],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
            )
            try:
                _wait_up(base, server)
                form = urllib.parse.urlencode({"username": "bench", "password": password})
                token = json.loads(_call("POST", f"{base}/auth/token", data=form.encode()))[
                    "access_token"
                ]
                warm = time.perf_counter()
                _call("POST", f"{base}/cases/{case_ids[0]}/determination/drafts", token, b"{}")
                _call("GET", f"{base}/cases/{case_ids[0]}", token)
                print(
                    f"api: {len(case_ids)} seeded cases, server up and warm in "
                    f"{time.perf_counter() - started:.1f} s (first engine draft "
                    f"{time.perf_counter() - warm:.1f} s); locust {USERS} users for {DURATION}, "
                    "reads:drafts 5:1, one uvicorn process on loopback, SQLite"
                )
                prefix = work / "locust"
                command = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--headless"]
                command += ["-u", str(USERS), "-r", str(USERS), "-t", DURATION, "--host", base]
                command += ["--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"]
                locust = subprocess.run(
                    [*command, "--stop-timeout", "5"],
                    env={
                        **env,
                        "OPENIMR_BENCH_TOKEN": token,
                        "OPENIMR_BENCH_CASES": ",".join(map(str, case_ids)),
                    },
                    capture_output=True,
                    timeout=90,
                    check=False,
                )
                stats = Path(f"{prefix}_stats.csv")
                if not stats.exists():
                    tail = locust.stderr.decode(errors="replace")[-800:]
                    raise RuntimeError(
                        f"locust wrote no statistics (exit {locust.returncode})\n{tail}"
                    )
                _report(stats)
            finally:
                server.terminate()
                try:
                    server.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()


if __name__ == "__main__":
    main()
