"""Load test: many people on one server, driven through Streamlit's own websocket protocol.

Starts ``streamlit run app.py`` on 127.0.0.1 (a free port, headless, its output in a log file),
then opens sessions the way a browser does (a websocket at ``/_stcore/stream`` speaking
``BackMsg``/``ForwardMsg`` protobufs) and lets each of them act like a person in a workshop: pick a
preset, type a distinctive partner name, move sliders, switch the language, with a short pause
between actions. Every session keeps its own widget values and URL query string, exactly as the
browser's widget manager would, and fetches the images of each run.

Measured: rerun latency, from sending the action to the end of the script run (``script_finished``),
first for one session alone, then for N sessions at once, both at the same pace between actions
(after one unmeasured visit that warms the server's caches, so that the single-session figure is
the steady one). Checked after every rerun: the script
raised no exception, and the session received nothing of any other session's state (no other
partner's name anywhere in its messages, its own language's texts and not the other's, its own
preset selected).

Why the protocol rather than 30 browser tabs: on a 2-core machine 30 Chromium renderers would
compete with the server for the CPU and the figures would measure the browsers; in a real
workshop every browser runs on its own laptop. The protocol client costs almost nothing.

Bounded: at most ``MAX_SESSIONS`` sessions and ``MAX_ROUNDS`` rounds, a deadline for the whole run
(``--timeout``) and for each rerun; loopback only; the server is always stopped.

Usage::

    python bench/load_test.py                      # 30 sessions x 5 rounds, prints a report
    python bench/load_test.py --sessions 30 --rounds 2 --json
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import json
import os
import random
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sim.presets import PRESET_TEXT, PRESETS  # noqa: E402
from ui.i18n import catalog  # noqa: E402

MAX_SESSIONS = 60
MAX_ROUNDS = 50
HOST = "127.0.0.1"
RERUN_TIMEOUT = 60.0
"""Seconds one rerun may take before the session counts it as an error."""
FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
WIDGETS = ("slider", "text_input", "radio", "selectbox", "checkbox", "number_input", "button_group", "toggle")
LANG_WORDS = {"en": ("english", "en"), "nl": ("nederlands", "nl")}


# --- the server ---------------------------------------------------------------------------------


def run_async(coro: Any) -> Any:
    """Run a coroutine to completion in a thread of its own.

    ``asyncio.run`` refuses to start inside a running event loop, which is what a caller has when,
    for example, Playwright's sync API ran earlier in the same pytest process.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(app: Path, port: int, log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    """``streamlit run app`` on 127.0.0.1:port, headless, output to ``log``; returns when healthy."""
    env = {**os.environ, "STREAMLIT_SERVER_HEADLESS": "true", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "PYTHONPATH": str(cwd)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", HOST,
           "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {proc.returncode}; see {log}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return proc
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"streamlit did not become healthy in 60 s; see {log}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


# --- one session, as a browser would hold it ----------------------------------------------------


@dataclass
class Widget:
    """A widget as the last run drew it: its id, kind ("slider", "radio", ...), label and proto."""

    id: str
    kind: str
    label: str
    proto: Any

    @property
    def options(self) -> list[str]:
        if self.kind == "button_group":
            return [o.content for o in self.proto.options]
        return list(getattr(self.proto, "options", []))


@dataclass
class Run:
    """What one script run sent: elements in page order, raw bytes, latency and problems."""

    latency: float
    elements: list[tuple[tuple[int, ...], Any]]
    raw: bytes
    errors: list[str]
    images: list[str]

    def widgets(self) -> list[Widget]:
        out = []
        for _, el in self.elements:
            kind = el.WhichOneof("type")
            if kind in WIDGETS:
                proto = getattr(el, kind)
                out.append(Widget(proto.id, kind, proto.label, proto))
        return out

    def texts(self) -> str:
        """Every text a person could read on the page (not the images)."""
        parts = []
        for _, el in self.elements:
            kind = el.WhichOneof("type")
            proto = getattr(el, kind) if kind else None
            for attr in ("body", "label", "value", "message", "title", "help", "placeholder", "raw_value"):
                value = getattr(proto, attr, None)
                if isinstance(value, str):
                    parts.append(value)
            if kind == "button_group":
                parts.extend(o.content for o in proto.options)
            else:
                parts.extend(getattr(proto, "options", []))
        return "\n".join(parts)


def widget_state(widget: Widget, value: Any) -> WidgetState:
    """The WidgetState a browser sends for ``widget`` holding ``value``."""
    state = WidgetState(id=widget.id)
    if widget.kind == "slider":
        state.double_array_value.data[:] = [float(v) for v in value]
    elif widget.kind in ("text_input", "radio", "selectbox"):
        state.string_value = str(value)
    elif widget.kind in ("checkbox", "toggle"):
        state.bool_value = bool(value)
    elif widget.kind == "number_input":
        state.double_value = float(value)
    elif widget.kind == "button_group":
        state.string_array_value.data[:] = [str(v) for v in value]
    return state


def current_value(widget: Widget) -> Any:
    """The value the browser shows for a widget it has not touched (or that the script set)."""
    p = widget.proto
    if widget.kind == "slider":
        return list(p.value) if p.set_value else list(p.default)
    if widget.kind == "text_input":
        return p.value if p.set_value else p.default
    if widget.kind in ("radio", "selectbox"):
        if p.set_value and p.raw_value:
            return p.raw_value
        return p.options[p.default] if p.HasField("default") and p.options else None
    if widget.kind in ("checkbox", "toggle"):
        return p.value if p.set_value else p.default
    if widget.kind == "number_input":
        return p.value if p.set_value else p.default
    if widget.kind == "button_group":
        return list(p.raw_values) if p.set_value else [p.options[i].content for i in p.default]
    return None


class Session:
    """One person's tab: a websocket, the URL's query string and the widget values of the page."""

    def __init__(self, port: int, query: str = "", fetch_images: bool = True) -> None:
        self.url = f"ws://{HOST}:{port}/_stcore/stream"
        self.http = f"http://{HOST}:{port}"
        self.query = query
        self.fetch_images = fetch_images
        self.values: dict[str, Any] = {}
        self.last: Run | None = None
        self.page_hash = ""
        self.ws: Any = None

    async def open(self) -> Run:
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=2**26,  # type: ignore[list-item]
                                           open_timeout=30, ping_interval=None)
        return await self.rerun()

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    def widget(self, match: Any) -> Widget | None:
        assert self.last is not None
        for w in self.last.widgets():
            if match(w):
                return w
        return None

    async def set(self, widget: Widget, value: Any) -> Run:
        """Change one widget as a person would, and wait for the page to finish its rerun."""
        self.values[widget.id] = value
        return await self.rerun()

    async def rerun(self) -> Run:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        if self.last is not None:
            for w in self.last.widgets():
                value = self.values.get(w.id, current_value(w))
                if value is not None and w.kind != "button":
                    state.widget_states.widgets.append(widget_state(w, value))
        start = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        run = await asyncio.wait_for(self._collect(start), RERUN_TIMEOUT)
        for w in run.widgets():  # the script may have set a value (session state): adopt it, as a browser does
            if w.proto.set_value if hasattr(w.proto, "set_value") else False:
                self.values[w.id] = current_value(w)
        live = {w.id for w in run.widgets()}
        self.values = {k: v for k, v in self.values.items() if k in live}
        if self.fetch_images:
            await asyncio.gather(*(asyncio.to_thread(self._fetch, url, run) for url in run.images))
        self.last = run
        return run

    def _fetch(self, url: str, run: Run) -> None:
        if not url.startswith("/"):
            return
        try:
            with urllib.request.urlopen(self.http + url, timeout=30) as resp:
                resp.read()
        except OSError as err:
            run.errors.append(f"image {url}: {err}")

    async def _collect(self, start: float) -> Run:
        elements: dict[tuple[int, ...], Any] = {}
        raw = bytearray()
        errors: list[str] = []
        while True:
            data = await self.ws.recv()
            raw.extend(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                elements.clear()
                self.page_hash = fwd.new_session.page_script_hash or self.page_hash
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                elements[tuple(fwd.metadata.delta_path)] = fwd.delta.new_element
            elif kind == "page_info_changed":
                self.query = fwd.page_info_changed.query_string
            elif kind == "script_finished":
                status = fwd.script_finished
                if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                if status not in FINISHED:
                    errors.append(f"script finished with status {status}")
                break
        latency = time.perf_counter() - start
        ordered = sorted(elements.items())
        images = []
        for _, el in ordered:
            kind = el.WhichOneof("type")
            if kind == "exception":
                errors.append(f"exception {el.exception.type}: {el.exception.message}")
            elif kind == "imgs":
                images.extend(img.url for img in el.imgs.imgs)
        return Run(latency, ordered, bytes(raw), errors, images)


# --- a person's actions, and the isolation checks -----------------------------------------------


def language_widget(w: Widget) -> bool:
    words = {o.strip().lower() for o in w.options}
    return w.kind in ("radio", "selectbox", "button_group") and bool(words) and all(
        any(o == x or o.startswith(x) or x in o for x in (*LANG_WORDS["en"], *LANG_WORDS["nl"])) for o in words)


def language_option(w: Widget, lang: str) -> str:
    for option in w.options:
        low = option.strip().lower()
        if low in LANG_WORDS[lang] or LANG_WORDS[lang][0] in low:
            return option
    raise LookupError(f"no option for {lang!r} in {w.options}")


PRESET_LABELS = list(PRESETS)


def preset_widget(w: Widget) -> bool:
    return w.kind in ("selectbox", "radio") and len(w.options) == len(PRESETS) and not language_widget(w)


def name_widgets(run: Run) -> list[Widget]:
    return [w for w in run.widgets() if w.kind == "text_input"][:2]


def markers(page: str = "app") -> dict[str, set[str]]:
    """Texts that only one language of the page shows: the catalog entries whose translations differ."""
    en, nl = catalog(page, "en"), catalog(page, "nl")
    out: dict[str, set[str]] = {"en": set(), "nl": set()}
    for key in en.keys() & nl.keys():
        a, b = en[key], nl[key]
        if a != b and "{" not in a and "{" not in b and len(a) > 12 and len(b) > 12 and a not in b and b not in a:
            out["en"].add(a)
            out["nl"].add(b)
    return out


@dataclass
class Person:
    """What one session intends: its partner name, language and preset. Others must never see them."""

    index: int
    token: str
    lang: str
    preset: int
    round: int = 0
    typed: bool = False
    picked: bool = False
    moved: bool = False

    @property
    def stem(self) -> str:
        """Unique to this person across the whole test: the part of every name it types."""
        return f"Qx{self.token}{self.index:02d}"

    @property
    def name(self) -> str:
        return f"{self.stem}r{self.round}"


@dataclass
class Report:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    reruns: int = 0

    def add(self, other: Report) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.leaks += other.leaks
        self.reruns += other.reruns


def check(run: Run, me: Person, everyone: Sequence[Person], lang_markers: dict[str, set[str]],
          session: Session) -> list[str]:
    """Anything of another session's state in what this session received, or its own state missing."""
    problems = []
    for other in everyone:
        if other.index != me.index and other.stem.encode() in run.raw:
            problems.append(f"session {me.index} received the name of session {other.index}")
    texts = run.texts()
    if me.typed and me.name not in texts and me.name.encode() not in run.raw:
        problems.append(f"session {me.index} does not see its own partner name {me.name}")
    other_lang = "nl" if me.lang == "en" else "en"
    seen_other = [m for m in lang_markers[other_lang] if m in texts]
    seen_mine = [m for m in lang_markers[me.lang] if m in texts]
    if seen_other or not seen_mine:
        problems.append(f"session {me.index} ({me.lang}) shows {len(seen_other)} texts of {other_lang} "
                        f"and {len(seen_mine)} of its own")
    preset = session.widget(preset_widget)
    if preset is not None and me.picked:
        # the picker is an action: after a pick it waits for the next one, and the caption names the
        # couple the panels show (until a moved slider makes the couple one's own)
        value = session.values.get(preset.id, current_value(preset))
        if value not in (None, ""):
            problems.append(f"session {me.index}'s picker still holds {value!r} after its pick")
        chosen = PRESET_TEXT[list(PRESETS)[me.preset]][me.lang]
        if not me.moved and chosen not in texts.replace("\\", ""):
            problems.append(f"session {me.index} does not show the couple of the preset it chose (option {me.preset})")
    return problems


async def act(session: Session, me: Person, everyone: Sequence[Person], rounds: int, rng: random.Random,
              pause: tuple[float, float], lang_markers: dict[str, set[str]]) -> Report:
    """One person's visit: open the page, pick a preset, type a name, then rounds of slider and language."""
    report = Report()

    async def step(action: Any) -> None:
        await asyncio.sleep(rng.uniform(*pause))
        try:
            run = await action()
        except TimeoutError:
            report.errors.append(f"session {me.index}: rerun took more than {RERUN_TIMEOUT} s")
            raise
        report.reruns += 1
        report.latencies.append(run.latency)
        report.errors += [f"session {me.index}: {e}" for e in run.errors]
        report.leaks += check(run, me, everyone, lang_markers, session)

    first = await session.open()
    report.errors += [f"session {me.index}: {e}" for e in first.errors]

    async def choose_language() -> Run:
        w = session.widget(language_widget)
        if w is None:
            raise LookupError("the page has no language switch")
        option = language_option(w, me.lang)
        return await session.set(w, [option] if w.kind == "button_group" else option)

    async def choose_preset() -> Run:
        w = session.widget(preset_widget)
        if w is None:
            raise LookupError("the page has no preset selector")
        me.picked = True
        return await session.set(w, w.options[me.preset])

    async def type_name() -> Run:
        w = name_widgets(session.last)[0]  # type: ignore[arg-type]
        me.typed = True
        return await session.set(w, me.name)

    async def move_slider() -> Run:
        sliders = [w for w in session.last.widgets() if w.kind == "slider" and not w.proto.disabled]  # type: ignore[union-attr]
        w = rng.choice(sliders)
        p = w.proto
        steps = max(1, round((p.max - p.min) / p.step)) if p.step > 0 else 20
        value = p.min + rng.randint(0, steps) * (p.step if p.step > 0 else (p.max - p.min) / 20)
        value = min(p.max, max(p.min, round(value, 10)))
        now = list(session.values.get(w.id, current_value(w)))
        me.moved = True
        return await session.set(w, [value] * max(1, len(now)))

    await step(choose_language)
    await step(choose_preset)
    await step(type_name)
    for r in range(rounds):
        me.round = r + 1
        await step(type_name)
        await step(move_slider)
        me.lang = "nl" if me.lang == "en" else "en"
        await step(choose_language)
    return report


async def crowd(port: int, sessions: int, rounds: int, seed: int, pause: tuple[float, float],
                fetch_images: bool, lang_markers: dict[str, set[str]]) -> Report:
    """``sessions`` people acting at once; returns every latency, error and leak."""
    token = secrets.token_hex(3)
    people = [Person(i, token, "en" if i % 2 == 0 else "nl", i % len(PRESETS)) for i in range(sessions)]
    rng = random.Random(seed)
    tabs = [Session(port, fetch_images=fetch_images) for _ in people]
    try:
        reports = await asyncio.gather(*(act(tab, p, people, rounds, random.Random(rng.random()), pause, lang_markers)
                                         for tab, p in zip(tabs, people, strict=True)), return_exceptions=True)
    finally:
        await asyncio.gather(*(tab.close() for tab in tabs), return_exceptions=True)
    total = Report()
    for i, rep in enumerate(reports):
        if isinstance(rep, BaseException):
            total.errors.append(f"session {i} stopped: {type(rep).__name__}: {rep}")
        else:
            total.add(rep)
    return total


def percentile(values: Iterable[float], q: float) -> float:
    data = sorted(values)
    if not data:
        return float("nan")
    if len(data) == 1:
        return data[0]
    return statistics.quantiles(data, n=100, method="inclusive")[int(q) - 1] if 1 <= q <= 99 else data[-1]


def run_load_test(*, app: Path = ROOT / "app.py", sessions: int = 30, rounds: int = 5, seed: int = 0,
                  pause: tuple[float, float] = (2.0, 6.0), timeout: float = 600.0, log: Path | None = None,
                  fetch_images: bool = True, lang_markers: dict[str, set[str]] | None = None) -> dict[str, Any]:
    """Start the server, measure one session alone, then ``sessions`` at once; stop the server.

    Returns a JSON-ready dict: p50/p95 latency (seconds) single and crowd, their ratio, rerun
    counts, errors and leaks (both must be empty), and the server log's tracebacks.
    """
    if not 1 <= sessions <= MAX_SESSIONS or not 1 <= rounds <= MAX_ROUNDS:
        raise ValueError(f"sessions must be in [1, {MAX_SESSIONS}] and rounds in [1, {MAX_ROUNDS}]")
    port = free_port()
    log = log or Path(os.environ.get("TMPDIR", "/tmp")) / f"attract-repel-load-{port}.log"
    lang_markers = lang_markers or markers()
    self_before, children_before = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                                         resource.RUSAGE_CHILDREN))
    proc = start_server(app, port, log)
    started = time.perf_counter()
    try:
        crowd_wall = [0.0]

        async def both() -> tuple[Report, Report]:
            # a visit first, not measured: the first reruns of a fresh server fill caches (both
            # languages' texts, the first charts) and would make the single-session figure noisy
            await crowd(port, 1, 1, seed + 7, (0.1, 0.2), fetch_images, lang_markers)
            # the same person alone, at the same pace as in the crowd: the pace by itself changes the
            # figures (a server idle for seconds answers its first request more slowly)
            single = await crowd(port, 1, max(rounds, 3), seed, pause, fetch_images, lang_markers)
            begin = time.perf_counter()
            many = await crowd(port, sessions, rounds, seed + 1, pause, fetch_images, lang_markers)
            crowd_wall[0] = time.perf_counter() - begin
            return single, many

        single, many = run_async(asyncio.wait_for(both(), timeout))
    finally:
        stop_server(proc)
    wall = time.perf_counter() - started
    self_after, children_after = (resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    client_cpu = (self_after.ru_utime + self_after.ru_stime) - (self_before.ru_utime + self_before.ru_stime)
    server_cpu = (children_after.ru_utime + children_after.ru_stime) - (children_before.ru_utime
                                                                        + children_before.ru_stime)
    reruns = single.reruns + many.reruns + 7 + 1 + sessions  # the actions, the warm-up visit (7), the first runs
    server_log = log.read_text(encoding="utf-8", errors="replace")
    tracebacks = server_log.count("Traceback")
    p50_1, p95_1 = percentile(single.latencies, 50), percentile(single.latencies, 95)
    p50_n, p95_n = percentile(many.latencies, 50), percentile(many.latencies, 95)
    return {
        "sessions": sessions, "rounds": rounds, "pause_s": list(pause),
        "single": {"reruns": single.reruns, "p50_s": p50_1, "p95_s": p95_1},
        "crowd": {"reruns": many.reruns, "p50_s": p50_n, "p95_s": p95_n, "max_s": max(many.latencies, default=0.0)},
        "p95_ratio": p95_n / p95_1 if p95_1 > 0 else float("nan"),
        "target_met": p95_n <= 2.0 * p95_1,
        "errors": single.errors + many.errors,
        "leaks": single.leaks + many.leaks,
        "server_tracebacks": tracebacks,
        "wall_s": wall,
        "server_cpu_s": server_cpu,
        "server_cpu_per_rerun_s": server_cpu / reruns,
        "client_cpu_s": client_cpu,
        "crowd_reruns_per_s": many.reruns / crowd_wall[0] if crowd_wall[0] else float("nan"),
        "load_average": os.getloadavg(),
        "log": str(log),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pause", type=float, nargs=2, default=(2.0, 6.0), metavar=("MIN", "MAX"),
                        help="think time between a person's actions, seconds")
    parser.add_argument("--timeout", type=float, default=600.0, help="deadline for the whole test, seconds")
    parser.add_argument("--app", type=Path, default=ROOT / "app.py")
    parser.add_argument("--no-images", action="store_true", help="do not fetch the images of each run")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = run_load_test(app=args.app.resolve(), sessions=args.sessions, rounds=args.rounds, seed=args.seed,
                           pause=tuple(args.pause), timeout=args.timeout, fetch_images=not args.no_images)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        s, c = result["single"], result["crowd"]
        print(f"single session : {s['reruns']:4d} reruns, p50 {s['p50_s'] * 1000:7.0f} ms, "
              f"p95 {s['p95_s'] * 1000:7.0f} ms")
        print(f"{result['sessions']:2d} sessions    : {c['reruns']:4d} reruns, p50 {c['p50_s'] * 1000:7.0f} ms, "
              f"p95 {c['p95_s'] * 1000:7.0f} ms, max {c['max_s'] * 1000:7.0f} ms")
        print(f"p95 ratio {result['p95_ratio']:.2f} (target <= 2: {'met' if result['target_met'] else 'NOT met'}); "
              f"errors {len(result['errors'])}, leaks {len(result['leaks'])}, "
              f"server tracebacks {result['server_tracebacks']}, wall {result['wall_s']:.0f} s")
        print(f"server CPU {result['server_cpu_s']:.0f} s ({result['server_cpu_per_rerun_s'] * 1000:.0f} ms a rerun), "
              f"client CPU {result['client_cpu_s']:.0f} s, machine load average {result['load_average'][0]:.1f}")
        for line in (result["errors"] + result["leaks"])[:20]:
            print("  ", line)
    return 0 if not result["errors"] and not result["leaks"] and not result["server_tracebacks"] else 1


if __name__ == "__main__":
    sys.exit(main())
