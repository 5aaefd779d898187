"""A real workbench server on loopback with the treaty data, and headless Debian Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ADMIN_PASSWORD = "browser test password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    cmd = [sys.executable, "-m", "rightsdesk", *args]
    done = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, shared_data: Path) -> Iterator[str]:
    """`rightsdesk serve` on a fresh SQLite store holding the treaty data."""
    root = tmp_path_factory.mktemp("e2e")
    env = {
        **os.environ,
        "RIGHTSDESK_DATABASE_URL": f"sqlite:///{root / 'e2e.db'}",
        "RIGHTSDESK_DATA_DIR": str(root / "data"),
        "RIGHTSDESK_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    treaties = shared_data / "negotiation" / "treaties"
    _cli(env, "init")
    _cli(env, "import", "auto", str(treaties / "un_hr_ratifications.csv"))
    _cli(env, "users", "add", "admin", "--role", "admin", stdin=ADMIN_PASSWORD + "\n")
    port = _free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "rightsdesk", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/login", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests skipped: install Debian's chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()
