"""Load: N clients for D seconds on a fixed mix against a real `rightsdesk serve`, with
editors writing and one import running, then Datasette on the same SQLite file as the reference.

Builds a SQLite store from the open data folder once (`rightsdesk load`, into a temp folder,
or reuses --store), then runs two phases of the same length and client count:

1. rightsdesk (`serve --workers W`): state pages, treaty matrix, votes list, recommendation
   search, state votes, blocs, violations list pages (filters, facets, pages) and event pages,
   and API calls, logged in as an analyst; meanwhile an editor changes implementation
   statuses through the API (Bearer token), another editor enters violation events through
   the web form (`/violations/new`, CSRF token, one a second: `load_violations.py`) and an
   import (`rightsdesk import auto FILE --force`) runs in a loop;
2. Datasette serving the same file on comparable table pages (state, treaty, roll call,
   recommendation, state votes, JSON), with the same import loop running.

Before the run, ``--events`` violation events (public, restricted, confidential) are entered
through the JSON API so the violations pages have something to list and count.

Prints requests/s, p50/p95/p99 and errors of each side by side, the writers' rows (writes/s,
latency of each write), the machine's load average and the server's CPU time. Usage:
.venv/bin/python benchmarks/load.py [--clients 50] [--duration 300] [--workers N] [--store DB]
    [--events 300] [--no-datasette]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_violations import form_editor_loop, seed_events, violations_paths

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(os.environ.get("RIGHTSDESK_SHARED_DATA", ROOT.parent / "shared" / "data"))
PASSWORD = "benchmark password"
IMPORT_FILE = DATA / "monitoring" / "upr-info" / "sessions-1-5.csv"
STATES = ["NOR", "FRA", "BRA", "IND", "ZAF", "JPN", "MEX", "KEN", "DEU", "CHN", "USA", "EGY"]


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "rightsdesk", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"rightsdesk {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, log: Path | None = None) -> None:
    """Wait (up to 3 minutes: a loaded machine starts slowly) until ``url`` answers; else stop
    with the end of the server's log."""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=5)
            return
        except httpx.HTTPError:
            time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:] if log and log.is_file() else ""
    raise SystemExit(f"{url} did not come up\n{tail}")


def tree_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        child = int(stat.parent.name)
        parents[child], ticks[child] = int(fields[1]), int(fields[11]) + int(fields[12])
    tree, grew = {pid}, True
    while grew:
        more = {c for c, p in parents.items() if p in tree} - tree
        tree |= more
        grew = bool(more)
    return sum(ticks.get(p, 0) for p in tree) / os.sysconf("SC_CLK_TCK")


@dataclass
class Tally:
    timings: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, ms: float, problem: str | None) -> None:
        with self.lock:
            self.timings.append(ms)
            if problem:
                self.errors[problem] = self.errors.get(problem, 0) + 1

    def row(self, name: str, seconds: float) -> str:
        t = sorted(self.timings) or [0.0]

        def pct(p: float) -> float:
            return t[min(len(t) - 1, int(p * (len(t) - 1)))]

        errors = sum(self.errors.values())
        return (
            f"{name:<15} {len(self.timings):>8} {len(self.timings) / seconds:>8.1f} "
            f"{pct(0.5):>8.0f} {pct(0.95):>8.0f} {pct(0.99):>8.0f} {errors:>7}"
        )


def run_clients(
    paths: list[str],
    clients: int,
    duration: float,
    make_client: Callable[[], httpx.Client],
    parts: Sequence[tuple[tuple[str, ...], Tally]] = (),
) -> Tally:
    """Every request in the returned tally; those under a part's prefixes in its tally too."""
    tally = Tally()
    stop = time.monotonic() + duration

    def client_loop(n: int) -> None:
        with make_client() as client:
            for path in itertools.islice(itertools.cycle(paths), n, None):
                if time.monotonic() >= stop:
                    return
                began = time.perf_counter()
                problem = None
                try:
                    r = client.get(path)
                    if r.status_code >= 400:
                        problem = f"{r.status_code} {path.split('?')[0]}"
                except httpx.HTTPError as exc:
                    problem = f"{type(exc).__name__} {path.split('?')[0]}"
                ms = (time.perf_counter() - began) * 1000
                tally.add(ms, problem)
                for prefixes, part in parts:
                    if path.startswith(prefixes):
                        part.add(ms, problem)

    threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return tally


def import_loop(env: dict[str, str], stop: threading.Event, done: list[str]) -> None:
    while not stop.is_set():
        r = subprocess.run(
            [sys.executable, "-m", "rightsdesk", "import", "auto", str(IMPORT_FILE), "--force"],
            env=env,
            capture_output=True,
            text=True,
        )
        done.append("ok" if r.returncode == 0 else f"exit {r.returncode}: {r.stderr[-200:]}")


def editor_loop(
    base: str, token: str, rec_ids: list[int], stop: threading.Event, tally: Tally
) -> None:
    statuses = itertools.cycle(
        ["in progress", "implemented", "not started", "partially implemented"]
    )
    with httpx.Client(base_url=base, timeout=60) as client:
        for rec_id in itertools.cycle(rec_ids):
            if stop.is_set():
                return
            began = time.perf_counter()
            problem = None
            try:
                r = client.put(
                    f"/api/v1/implementation/recommendations/{rec_id}",
                    json={"status": next(statuses), "notes": "load benchmark"},
                    headers={"Authorization": f"Bearer {token}"},
                )
                if r.status_code >= 400:
                    problem = f"{r.status_code} PUT"
            except httpx.HTTPError as exc:
                problem = type(exc).__name__
            tally.add((time.perf_counter() - began) * 1000, problem)
            time.sleep(0.5)


def build_store(env: dict[str, str]) -> None:
    began = time.monotonic()
    cli(env, "init")
    cli(env, "load", str(DATA))
    print(f"store built in {time.monotonic() - began:.0f} s", flush=True)


def login(base: str, name: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, page.text[:200]
    r = client.post(
        "/login", data={"csrf_token": match.group(1), "username": name, "password": PASSWORD}
    )
    assert r.status_code < 400, r.status_code
    return client


def rightsdesk_paths(base: str, rec_ids: list[int]) -> list[str]:
    paths = []
    for i, iso3 in enumerate(STATES):
        paths += [
            f"/states/{iso3}",
            "/treaties",
            "/votes",
            "/recommendations?q=torture",
            f"/states/{iso3}/votes",
            "/blocs",
            f"/api/v1/states/{iso3}",
            "/api/v1/treaties/matrix",
            f"/api/v1/votes?page={i % 3 + 1}",
            f"/api/v1/recommendations/{rec_ids[i % len(rec_ids)]}",
        ]
    return paths


def interventions_paths() -> list[str]:
    """The interventions pages a desk officer opens in a crisis: the ranking, the state risk
    page (risk, assessment, events, register, escalation), the register and the API."""
    paths = ["/interventions", "/interventions/register", "/interventions/framework"]
    for iso3 in STATES:
        paths += [
            f"/interventions/states/{iso3}",
            f"/interventions/escalation/{iso3}",
            f"/api/v1/interventions/risk/{iso3}",
            f"/api/v1/interventions/escalation/{iso3}",
        ]
    return paths


def datasette_paths(db: Path) -> list[str]:
    name = db.stem
    with sqlite3.connect(db) as con:
        tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
    wanted = ["state", "treaty", "roll_call", "recommendation", "state_vote", "ratification"]
    have = [t for t in wanted if t in tables]
    paths = []
    for i, iso3 in enumerate(STATES):
        paths += [f"/{name}/{t}" for t in have]
        if "state" in have:
            paths.append(f"/{name}/state/{iso3}")
            paths.append(f"/{name}/state.json?_size=50")
        if "state_vote" in have:
            paths.append(f"/{name}/state_vote?iso3={iso3}")
        if "recommendation" in have:
            paths.append(f"/{name}/recommendation?_search=torture&_size=20&_sort=id&_next={i}")
    return paths


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=300, help="seconds per phase")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--store", type=Path, help="an existing store to copy (skips the build)")
    parser.add_argument("--keep", type=Path, help="copy the built store here for reuse")
    parser.add_argument("--events", type=int, default=300, help="violation events to seed")
    parser.add_argument("--form-pause", type=float, default=1.0, help="seconds between events")
    parser.add_argument("--no-datasette", action="store_true", help="skip the reference phase")
    parser.add_argument("--server-log", type=Path, help="keep the server's output in this file")
    args = parser.parse_args()
    cpu: dict[str, float] = {}
    load_avg: list[tuple[float, float, float]] = [os.getloadavg()]
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        env = {
            **os.environ,
            "RIGHTSDESK_DATABASE_URL": f"sqlite:///{db}",
            "RIGHTSDESK_DATA_DIR": f"{tmp}/data",
        }
        if args.store:
            shutil.copy(args.store, db)
            if (args.store.parent / "data").is_dir():
                shutil.copytree(args.store.parent / "data", f"{tmp}/data")
            cli(env, "init")  # a store kept from an older schema is migrated first
            # measured as users meet it after an import: warmed (an upgrade keys results anew)
            cli(env, "warm")
        else:
            build_store(env)
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(db, args.keep / "bench.db")
                shutil.copytree(f"{tmp}/data", args.keep / "data", dirs_exist_ok=True)
        for name, role in (("analyst", "analyst"), ("editor", "editor")):
            with contextlib.suppress(SystemExit):  # a kept store has them already
                cli(env, "users", "add", name, "--role", role, stdin=PASSWORD + "\n")
        token = cli(env, "users", "token", "editor").strip().split()[-1]

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server_log = args.server_log or Path(tmp) / "server.log"
        server = subprocess.Popen(
            [sys.executable, "-m", "rightsdesk", "serve", "--port", str(port)]
            + ["--workers", str(args.workers)],
            env=env,
            stdout=server_log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        results: list[tuple[str, Tally]] = []
        imports: dict[str, list[str]] = {}
        try:
            wait_up(f"{base}/login", server_log)
            warm = login(base, "analyst")
            listing = warm.get("/api/v1/recommendations?per_page=50").json()
            rec_ids = [int(hit["id"]) for hit in listing["hits"]][:40] or [1]
            event_ids = seed_events(base, token, args.events)
            vpaths = violations_paths(event_ids)
            paths = rightsdesk_paths(base, rec_ids)
            ipaths = interventions_paths()
            paths = [
                p for group in itertools.zip_longest(paths, vpaths, ipaths) for p in group if p
            ]
            for path in paths[:20]:  # warm up each kind of page once
                warm.get(path)
            cookies = dict(warm.cookies)
            warm.close()

            def ours() -> httpx.Client:
                return httpx.Client(base_url=base, timeout=60, cookies=cookies)

            stop = threading.Event()
            writes, entered = Tally(), Tally()
            form_client = login(base, "editor")
            imports["rightsdesk"] = []
            side = [
                threading.Thread(target=editor_loop, args=(base, token, rec_ids, stop, writes)),
                threading.Thread(
                    target=form_editor_loop, args=(form_client, stop, entered, args.form_pause)
                ),
                threading.Thread(target=import_loop, args=(env, stop, imports["rightsdesk"])),
            ]
            cpu_before = tree_cpu_seconds(server.pid)
            for t in side:
                t.start()
            violations, interventions = Tally(), Tally()
            parts = [
                (("/violations", "/api/v1/violations"), violations),
                (("/interventions", "/api/v1/interventions"), interventions),
            ]
            everything = run_clients(paths, args.clients, args.duration, ours, parts)
            results.append(("rightsdesk", everything))
            stop.set()
            for t in side:
                t.join()
            form_client.close()
            results.append(("  violations", violations))
            results.append(("  interventions", interventions))
            cpu["rightsdesk server"] = tree_cpu_seconds(server.pid) - cpu_before
            load_avg.append(os.getloadavg())
            results.append(("  API editor", writes))
            results.append(("  form events", entered))
        finally:
            server.terminate()
            server.wait()

        if args.no_datasette:
            report(args, results, imports, cpu, load_avg)
            return
        dport = free_port()
        dbase = f"http://127.0.0.1:{dport}"
        datasette = subprocess.Popen(
            [sys.executable, "-m", "datasette", "serve", str(db), "--port", str(dport)]
            + ["--setting", "sql_time_limit_ms", "30000"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_up(f"{dbase}/")
            dpaths = datasette_paths(db)
            for path in dpaths[:10]:
                httpx.get(dbase + path, timeout=60)
            stop = threading.Event()
            imports["datasette"] = []
            loop = threading.Thread(target=import_loop, args=(env, stop, imports["datasette"]))
            loop.start()

            def theirs() -> httpx.Client:
                return httpx.Client(base_url=dbase, timeout=60)

            cpu_before = tree_cpu_seconds(datasette.pid)
            results.append(("datasette", run_clients(dpaths, args.clients, args.duration, theirs)))
            cpu["datasette"] = tree_cpu_seconds(datasette.pid) - cpu_before
            stop.set()
            loop.join()
            load_avg.append(os.getloadavg())
        finally:
            datasette.terminate()
            datasette.wait()
    report(args, results, imports, cpu, load_avg)


def report(
    args: argparse.Namespace,
    results: list[tuple[str, Tally]],
    imports: dict[str, list[str]],
    cpu: dict[str, float],
    load_avg: list[tuple[float, float, float]],
) -> None:
    """The figures: each side's row, the writers' rows, errors, imports, CPU and load."""
    print(
        f"\n{args.clients} clients, {args.duration:.0f} s per phase, rightsdesk with "
        f"{args.workers} workers; an API editor, a form editor (events) and an import loop "
        'running ("violations", "interventions": those pages and API among all requests; the '
        "writers' rows: writes, writes/s, latency of each write)"
    )
    heads = ("requests", "req/s", "p50 ms", "p95 ms", "p99 ms")
    print(f"{'':<15} " + " ".join(f"{h:>8}" for h in heads) + f" {'errors':>7}")
    for name, tally in results:
        print(tally.row(name, args.duration))
    for name, tally in results:
        for problem, n in sorted(tally.errors.items()):
            print(f"  {name.strip()} error: {problem} x{n}")
    for name, runs in imports.items():
        failed = [r for r in runs if r != "ok"]
        print(f"imports during {name}: {len(runs)} run, {len(failed)} failed {failed[:2]}")
    for name, seconds in cpu.items():
        print(f"CPU time of {name} (all processes): {seconds:.0f} s")
    print(
        "load average (1, 5, 15 min): "
        + " -> ".join(f"{a:.1f} {b:.1f} {c:.1f}" for a, b, c in load_avg)
    )


if __name__ == "__main__":
    main()
