"""Privacy: names and scenarios live only in the session and the URL; the server writes no user data to disk.

The test starts ``streamlit run app.py`` on a free loopback port (output to a log file), and drives
it with a distinctive partner name, made fresh for each run of the test, through every way a name
enters: the link (query parameters), typing it in the name fields, a language switch and a slider
move, and an uploaded scenario file (through ``AppTest``, the same page code in this process). Then
it stops the server and searches every file under the repository, the home directory and the
temporary directory that is new or changed since the test started. No file may hold the name
(the server's own log is checked separately: it must not hold it either).

A positive control first proves that the search finds a fresh file holding the name.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import stat
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlencode

from streamlit.testing.v1 import AppTest

import sim
from sim.scenario import Scenario, save_scenario
from ui.query import scenario_to_query

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import load_test  # noqa: E402  (bench/load_test.py: the server and the protocol client)

CHUNK = 1 << 20


def changed_files_containing(needle: bytes, roots: Iterable[Path], since: float, exclude: set[Path]) -> list[Path]:
    """Regular files under ``roots`` modified (or created) at or after ``since`` whose name or bytes hold ``needle``.

    Symbolic links are not followed; unreadable files and vanishing files are skipped (other processes
    work in the same directories).
    """
    hits: list[Path] = []
    seen: set[tuple[int, int]] = set()
    stack = [Path(r) for r in roots]
    text = needle.decode()
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISDIR(info.st_mode):
                if (info.st_dev, info.st_ino) not in seen:
                    seen.add((info.st_dev, info.st_ino))
                    stack.append(Path(entry.path))
                if text in entry.name and max(info.st_mtime, info.st_ctime) >= since:
                    hits.append(Path(entry.path))
                continue
            if not stat.S_ISREG(info.st_mode) or max(info.st_mtime, info.st_ctime) < since:
                continue
            path = Path(entry.path)
            if path in exclude:
                continue
            if text in entry.name or _holds(path, needle):
                hits.append(path)
    return hits


def _holds(path: Path, needle: bytes) -> bool:
    """Whether the file's bytes hold ``needle`` (as UTF-8 or UTF-16), read in chunks."""
    patterns = (needle, needle.decode().encode("utf-16-le"))
    keep = max(len(p) for p in patterns) - 1
    tail = b""
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                window = tail + chunk
                if any(p in window for p in patterns):
                    return True
                tail = window[-keep:]
    except OSError:
        return False
    return False


def test_the_search_finds_a_fresh_file_holding_the_name(tmp_path: Path) -> None:
    """Positive control: files written now, holding the name deep inside or as UTF-16, are found; others not."""
    name = f"Prv{secrets.token_hex(6)}"
    since = time.time() - 1.0
    control = tmp_path / "deep" / "control.bin"
    control.parent.mkdir()
    control.write_bytes(os.urandom(3 * CHUNK) + name.encode() + os.urandom(100))
    wide = tmp_path / "wide.txt"
    wide.write_bytes(f"x{name}y".encode("utf-16-le"))
    clean = tmp_path / "clean.txt"
    clean.write_text("nothing personal")
    found = changed_files_containing(name.encode(), [tmp_path], since, exclude=set())
    assert sorted(found) == sorted([control, wide])
    assert changed_files_containing(name.encode(), [tmp_path], since, exclude={control, wide}) == []
    assert changed_files_containing(name.encode(), [tmp_path], time.time() + 60, exclude=set()) == []


async def visit(port: int, name: str) -> list[str]:
    """One person: opens a link naming both partners, types the name, switches language, moves a slider.

    Returns what went wrong (empty when the page echoed the name back and raised nothing).
    """
    couple = sim.Couple(a=sim.Partner(name=f"{name}a", anxiety=0.75, avoidance=0.15),
                        b=sim.Partner(name=f"{name}b", anxiety=0.15, avoidance=0.75))
    link = urlencode(scenario_to_query(Scenario(couple=couple)))
    session = load_test.Session(port, query=link)
    problems = []
    try:
        runs = [await session.open()]
        if f"{name}a".encode() not in runs[0].raw:
            problems.append("the page did not show the name from the link")
        for widget in load_test.name_widgets(runs[-1]):
            runs.append(await session.set(widget, f"{name}t"))
        switch = session.widget(load_test.language_widget)
        if switch is not None:
            runs.append(await session.set(switch, [load_test.language_option(switch, "nl")]))
        slider = session.widget(lambda w: w.kind == "slider" and not w.proto.disabled)
        if slider is not None:
            runs.append(await session.set(slider, [slider.proto.max]))
        if f"{name}t".encode() not in runs[-1].raw:
            problems.append("the page did not show the typed name")
        if name.encode() not in session.query.encode():
            problems.append("the name is not in the page's address")
        problems += [e for run in runs for e in run.errors]
    finally:
        await session.close()
    return problems


def upload(name: str) -> list[str]:
    """The same page code in this process (AppTest): a scenario file naming the partners is uploaded."""
    couple = sim.Couple(a=sim.Partner(name=f"{name}u", anxiety=0.6), b=sim.Partner(name="B"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30).run()
    at.file_uploader(key="upload").set_value(("couple.json", save_scenario(Scenario(couple=couple)).encode(),
                                             "application/json")).run()
    problems = [e.value for e in at.exception]
    if at.text_input(key="a.name").value != f"{name}u":
        problems.append("the uploaded name did not reach the page")
    return problems


def test_server_writes_no_user_data(tmp_path: Path) -> None:
    """Drive the real server and the page code with a fresh name; no new or changed file anywhere holds it."""
    name = f"Prv{secrets.token_hex(6)}"
    since = time.time() - 1.0
    log = tmp_path / "server.log"
    port = load_test.free_port()
    server = load_test.start_server(ROOT / "app.py", port, log)
    try:
        problems = load_test.run_async(asyncio.wait_for(visit(port, name), 300))
    finally:
        load_test.stop_server(server)
    problems += upload(name)
    assert not problems, problems
    roots = [ROOT, Path.home(), Path(tempfile.gettempdir())]
    hits = changed_files_containing(name.encode(), roots, since, exclude={log})
    assert not hits, f"user data written to disk: {[str(h) for h in hits]}"
    assert name.encode() not in log.read_bytes(), "the server printed a partner name to its log"
