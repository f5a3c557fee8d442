"""Real-browser fixtures: a ``streamlit run`` server and Debian's Chromium driven by Playwright.

Reusable by every page's browser tests (mark them ``@pytest.mark.e2e``):

``app_url`` (session)
    Base address (``http://127.0.0.1:<port>``) of ``streamlit run app.py`` started from the
    repository root on a free loopback port, headless and without usage statistics. Its output goes
    to ``artifacts/e2e/streamlit.log`` (never to an unread pipe); at the end of the session it is
    stopped with terminate, wait 10 s, kill. Other pages of the app are at ``app_url + "/<page>"``.
``browser_type_launch_args`` (session)
    pytest-playwright's launch arguments, pointed at ``/usr/bin/chromium`` with the flags of
    ``TOOLCHAIN.md`` (``LAUNCH_ARGS``); the test is skipped only when that browser is missing.
``browser_context_args`` (session)
    A 1400 x 1000 viewport (a laptop screen); tests that take screenshots set a taller one.

Helpers: :func:`wait_for_app` (the script finished, nothing stale, every image loaded) and
:func:`streamlit_server` (a context manager for any script, if a test needs its own server).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
"""Chromium flags that work headless on this kind of machine (see TOOLCHAIN.md)."""
STARTUP_TIMEOUT = 60.0
"""Seconds for the server to answer its health check."""
WARMUP_TIMEOUT = 900.0
"""Seconds for compiling the simulator's numba kernel when its cache is cold (minutes on a busy machine)."""
RENDER_TIMEOUT_MS = 120_000
"""Milliseconds a test waits for the first render of a page."""
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
"""A phone's and a laptop's viewport, as the small-screen and guided-start walks use them."""
INNER_SCROLL = """() => Array.from(document.querySelectorAll('[data-testid="stMain"] *')).filter(e => {
    const s = getComputedStyle(e);
    return /(auto|scroll)/.test(s.overflowY) && e.scrollHeight > e.clientHeight + 2 && e.clientHeight > 0;
  }).map(e => (e.getAttribute('data-testid') || e.className.toString()).slice(0, 60))"""
"""Elements of the main area that scroll by themselves (the main area itself is the page's scroller)."""
EXPECT_TIMEOUT_MS = 30_000
"""Milliseconds every ``expect`` waits (Playwright's default is 5 s): the tests run two at a time
under pytest-xdist on a shared two-core machine, where a rerun can take seconds."""

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def free_port() -> int:
    """A TCP port on the loopback interface that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(STREAMLIT_SERVER_HEADLESS="true", STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
               PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")])))
    return env


def warm_up() -> None:
    """Run the simulator once in a child process, so that a cold numba cache is compiled before the page opens."""
    subprocess.run([sys.executable, "-c", "import sim; sim.simulate()"], cwd=ROOT, env=_env(), check=True,
                   timeout=WARMUP_TIMEOUT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200 and answer.read().strip() == b"ok"
    except OSError:
        return False


@contextmanager
def streamlit_server(script: str = "app.py", log: Path | None = None) -> Iterator[str]:
    """Run ``streamlit run <script>`` from the repository root; yields its base address.

    The server listens on a free loopback port; its output goes to ``log`` (default
    ``artifacts/e2e/streamlit.log``; ``streamlit<worker>.log`` under pytest-xdist). On exit it is
    stopped: terminate, wait 10 s, then kill.
    """
    # one log per pytest-xdist worker, so that two servers never write into one file
    log = log or ARTIFACTS / "e2e" / f"streamlit{os.environ.get('PYTEST_XDIST_WORKER', '')}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", script, "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=ROOT, env=_env(), stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            while not _healthy(url):
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited with status {proc.returncode}; see {log}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not become healthy in {STARTUP_TIMEOUT:.0f} s; see {log}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def outside_requests(page: Any, base: str) -> list[str]:
    """Record every request the page makes beyond ``base``: a workshop room may have no internet,
    and nothing a visitor does should leave the coach's server. Returns the (growing) list."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url)
            if not request.url.startswith((base, "data:", "blob:")) else None)
    return seen


def wait_for_app(page: Any, timeout: float = RENDER_TIMEOUT_MS) -> None:
    """Wait until the page's script has finished and everything is drawn.

    That is: the app reports ``notRunning``, nothing is stale, no placeholder (skeleton) is left
    where an element's code is still loading (tables, for one, load lazily), and every image has
    loaded.
    """
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        """() => !document.querySelector('[data-stale="true"]')
                 && !document.querySelector('[data-testid^="stSkeleton"], [data-testid="stAppSkeleton"]')
                 && Array.from(document.images).every(img => img.complete && img.naturalWidth > 0)""",
        timeout=timeout,
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium with the flags that work here; skip when it is not installed."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": LAUNCH_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A laptop-sized viewport."""
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    """Base address of ``streamlit run app.py`` for the whole session (see the module docstring)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    warm_up()
    with streamlit_server("app.py") as url:
        yield url
