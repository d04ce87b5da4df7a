"""Many people planning at once on one Streamlit server (issue 13, item 7).

One server, one headless Chromium, one tab per person, all driven at the same time with
Playwright's async API (its sync API must stay on one thread). Each session types its own
inputs and ticks its own checklist item; the page is then read back, compared with the
core's plan for those inputs, and searched for every other session's markers. The page
shares caches across sessions by design (`ui/replay.py` replays recorded elements by
content, `ui/memo.py` keeps per-option results, functools caches), so this is where one
person's plan could show up on another's screen.

Tabs, not browser contexts: Streamlit keys a session on its websocket, one per tab. Tabs
share cookies and the browser's cache, which spares the two cores a fifth of the browsers'
work (each context compiled the page's code afresh), and sharing can only add a leak
(anything keyed on a cookie would show here), never hide one.

Used by `benchmarks/load.py` (figures) and `tests/test_load.py` (isolation, in CI); the
people are in `benchmarks/people.py`, the server in `benchmarks/server.py`.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.people import NAMES, Expected, Person, expected, leak_markers
from benchmarks.server import Server, tree_cpu_seconds

CHROMIUM = Path("/usr/bin/chromium")
# tests/test_browser.py's flags, and no WebGL: twenty maps drawn in software on the same two
# cores would measure this machine's drawing, not the server (which sends the same map
# either way; test_browser.py checks the map is drawn). The map's box stays empty.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-3d-apis",
]
STEP_MS = 120_000  # one step of one session: generous, forty sessions share two cores
VIEWPORT = {"width": 1280, "height": 900}
FORM = ("from_country", "near", "as_of", "citizenships", "sex", "age", "has_car", "children")

# Every input of the form is drawn: each widget's code has arrived and it shows the value
# the server set. Typing before that hits a bug (see tests/test_load.py's xfail).
_FORM_LOADED = """keys => keys.every(
  k => document.querySelector(`.st-key-${k} input, .st-key-${k} [role="spinbutton"]`))"""
# The date input sends its value when its picker closes (Escape), not on Enter.
_MARK_SUBMIT = """() => document.addEventListener('keydown', e => {
  if (e.key === 'Escape') window.__dpSent = performance.now();
}, {capture: true})"""
# The milliseconds since the last input went in, once the plan for it is on screen: the
# summary box, and the caption that names the plan date (drawn after the summary in the same
# run, so the summary is the new one too).
_PLAN_SHOWN = """marker => {
  const main = document.querySelector('[data-testid="stMain"]');
  if (!document.querySelector('.dp-box') || !main.textContent.includes(marker)) return false;
  return Math.max(performance.now() - window.__dpSent, 0.001);
}"""
_SETTLED = "() => document.querySelectorAll('[data-stale=\"true\"]').length === 0"
# Everything the checks read, in one round trip.
_READ_PAGE = """() => {
  const value = key => (document.querySelector(`.st-key-${key} input`) || {}).value;
  const rows = t => [...t.querySelectorAll('tr')].map(
    r => [...r.querySelectorAll('th,td')].map(c => c.innerText.trim()));
  const tags = document.querySelector(
    '.st-key-citizenships [data-testid="stMultiSelectTagsContainer"]');
  return {
    text: document.querySelector('[data-testid="stMain"]').innerText,
    boxes: [...document.querySelectorAll('[data-testid="stCheckbox"]')].map(
      e => [e.innerText, e.querySelector('input').checked]),
    tables: [...document.querySelectorAll('[data-testid="stDataFrame"] table')].map(rows),
    cards: [...document.querySelectorAll('.dp-card-title')].map(e => e.innerText),
    summary: [...document.querySelectorAll('.dp-box')].map(e => e.innerText),
    progress: [...document.querySelectorAll('[data-testid="stProgress"]')].map(
      e => e.innerText),
    inputs: {
      from_country: value('from_country'),
      near: value('near'),
      as_of: [...document.querySelectorAll('.st-key-as_of [role="spinbutton"]')].map(
        e => e.innerText).join('-'),
      citizenships: tags ? tags.innerText.split('\\n').map(s => s.trim()).filter(s => s) : [],
      sex: [...document.querySelectorAll('.st-key-sex label')].filter(
        l => l.querySelector('input:checked')).map(l => l.innerText.trim()).join(),
      age: value('age'),
    },
  };
}"""


@dataclass
class Session:
    """One person's tab and what happened in it."""

    person: Person
    want: Expected
    page: Any = None  # playwright.async_api.Page
    seconds_to_plan: float | None = None
    problems: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)  # form values the browser sent, in order
    sockets: int = 0  # websockets opened: more than one means it reconnected
    steps: list[tuple[str, float]] = field(default_factory=list)  # (step, when it ended)

    def step(self, name: str) -> None:
        self.steps.append((name, time.monotonic()))

    def slowest_step(self) -> tuple[str, float]:
        """The step that took longest, and how long (from the step before it)."""
        gaps = [(b[0], b[1] - a[1]) for a, b in itertools.pairwise(self.steps)]
        return max(gaps, key=lambda g: g[1], default=("", 0.0))


def watch(s: Session, page: Any) -> None:
    """Note each form value the browser sends when it changes, and each websocket opened:
    when a page shows the wrong plan, this says whether the browser asked for it."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    start = time.monotonic()
    last: dict[str, object] = {}

    def sent(payload: bytes | str) -> None:
        if isinstance(payload, str):
            return
        msg = BackMsg.FromString(payload)
        if msg.WhichOneof("type") != "rerun_script":
            return
        for widget in msg.rerun_script.widget_states.widgets:
            key = widget.id.rsplit("-", 1)[-1]  # keyed widgets' ids end in their key
            kind = widget.WhichOneof("value")
            if key in FORM and kind:
                value = getattr(widget, kind)
                value = list(value.data) if hasattr(value, "data") else value
                if last.get(key) != value:
                    last[key] = value
                    s.sent.append(f"{time.monotonic() - start:.1f}s {key}={value!r}")

    def opened(ws: Any) -> None:
        s.sockets += 1
        ws.on("framesent", sent)

    page.on("websocket", opened)


async def plan_and_tick(tabs: Any, url: str, s: Session) -> None:
    """Open the page in a new tab of `tabs` (a Playwright BrowserContext), type every input
    as a person would, wait for the plan, tick one item."""
    from playwright.async_api import expect

    p = s.person
    page = s.page = await tabs.new_page()
    s.step("open")
    watch(s, page)
    await page.goto(url)
    s.step("load")
    await page.wait_for_function(_FORM_LOADED, arg=list(FORM), polling=100, timeout=STEP_MS)
    s.step("form drawn")
    if p.departure != "RU":  # the default
        box = page.locator(".st-key-from_country")
        await box.locator("input").click()
        await box.locator("input").fill(NAMES[p.departure])
        await page.get_by_role("option", name=f"★ {NAMES[p.departure]}", exact=True).click()
        header = f"What governments say about {NAMES[p.departure]}"
        await expect(page.get_by_text(header)).to_be_visible(timeout=STEP_MS)
        s.step("departure")
    near = page.get_by_label("Where are you now?", exact=True)
    await near.fill(p.typed)
    await near.press("Enter")
    await expect(page.get_by_text(f"Found: {p.place}")).to_be_visible(timeout=STEP_MS)
    s.step("place")
    # Sex and age before the citizenships: until a citizenship is in, a rerun draws no plan
    # (a page a quarter as long), which spares each browser two full redraws.
    await page.get_by_text(s.want.inputs["sex"], exact=True).click()
    age = page.get_by_label("Age", exact=True)
    await age.fill(str(p.age))
    await age.press("Enter")
    s.step("sex, age")
    for code in p.citizenships:
        box = page.locator('[data-testid="stMultiSelect"]').filter(has_text="Your citizenships")
        await box.locator("input").click()
        await box.locator("input").fill(NAMES[code])
        await page.get_by_role("option", name=NAMES[code], exact=True).click()
        await page.keyboard.press("Escape")
        line = f"I have a valid {NAMES[code]} passport"
        await expect(page.get_by_text(line)).to_be_visible(timeout=STEP_MS)
        s.step(f"citizenship {code}")
    date = page.get_by_role("group", name="Plan for the date")
    await date.locator('[role="spinbutton"]').first.click()
    await page.keyboard.type(p.date.strftime("%Y%m%d"))
    await page.keyboard.press("Enter")
    await page.evaluate(_MARK_SUBMIT)
    await page.keyboard.press("Escape")  # the last input: the plan date goes in
    shown = await page.wait_for_function(
        _PLAN_SHOWN, arg=s.want.date_marker, polling=50, timeout=STEP_MS
    )
    s.seconds_to_plan = await shown.json_value() / 1000
    s.step("plan")
    total = len(s.want.checklist)
    progress = page.locator('[data-testid="stProgress"]')
    await expect(progress).to_have_text(f"0 of {total} done", timeout=STEP_MS)
    s.step("checklist")
    item = page.locator('[data-testid="stCheckbox"]').filter(has_text=s.want.tick)
    await item.get_by_text(s.want.tick[:40]).first.click()
    await expect(progress).to_have_text(f"1 of {total} done", timeout=STEP_MS)
    s.step("tick")


async def read_page(s: Session) -> dict:
    """What the page shows, once every element on it is from the latest run."""
    await s.page.wait_for_function(_SETTLED, polling=100, timeout=STEP_MS)
    return await s.page.evaluate(_READ_PAGE)


def problems(shown: dict, s: Session, others: list[Person]) -> list[str]:
    """Where the page is not this person's plan, or shows anything of another person's."""
    p, want, text = s.person, s.want, shown["text"]
    found: list[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            found.append(what)

    wrong = {k: v for k, v in shown["inputs"].items() if v != want.inputs[k]}
    check(not wrong, f"inputs on the page are not those typed: {wrong!r}")
    for marker in want.markers:
        check(marker in text, f"own marker missing: {marker!r}")
    for other in others:
        for marker in leak_markers(other, p):
            check(marker not in text, f"shows {other.place}'s {marker!r}")
    summary = " ".join(shown["summary"])
    check(want.summary in summary, f"summary {summary!r} lacks {want.summary!r}")
    cards = shown["cards"][: len(want.top)]
    titles = [f"{n}. {name}" for n, name in enumerate(want.top, 1)]
    check(
        len(cards) == len(titles) and all(map(str.startswith, cards, titles)),
        f"top cards {cards!r}, expected {titles!r}",
    )
    found += _table_problems(shown["tables"], want)
    items = {
        label.split("\n", 1)[0].removeprefix("NOW "): ticked
        for label, ticked in shown["boxes"]
        if "Why: " in label  # every checklist item says why; no input does
    }
    form = {label: ticked for label, ticked in shown["boxes"] if label in want.form_boxes}
    check(form == want.form_boxes, f"form boxes {form!r}, expected {want.form_boxes!r}")
    check(set(items) == want.checklist, f"checklist differs: {sorted(set(items) ^ want.checklist)}")
    ticked = sorted(k for k, v in items.items() if v)
    check(ticked == [want.tick], f"ticked {ticked!r}, expected {[want.tick]!r}")
    progress = f"1 of {len(want.checklist)} done"
    check(shown["progress"] == [progress], f"progress {shown['progress']!r}, not {progress!r}")
    return found


def _table_problems(tables: list[list[list[str]]], want: Expected) -> list[str]:
    """The routes table (the rows in the DOM: the grid draws the visible ones) and the
    advice table, both replayed by content from a cache all sessions share."""
    found = []
    by_head = {tuple(t[0]): t[1:] for t in tables if t}
    for columns, rows_wanted, least in (
        (want.route_columns, want.rows, 3),
        ((want.advice_column,), tuple((a,) for a in want.advice), len(want.advice)),
    ):
        head = next((h for h in by_head if columns[0] in h), None)
        if head is None:
            found.append(f"no table with a {columns[0]!r} column")
            continue
        at = [head.index(c) for c in columns]
        rows = [tuple(r[i] for i in at) for r in by_head[head] if len(r) == len(head)]
        if len(rows) < least or rows != list(rows_wanted[: len(rows)]):
            found.append(f"{columns[0]!r} table {rows[:4]!r}, expected {rows_wanted[:4]!r}")
    return found


@dataclass
class LoadResult:
    baseline: Session | None
    sessions: list[Session]
    rss_kib: dict[str, int]  # "idle"; "one", the baseline open; "all", everyone; "peak"
    cpu_seconds: float  # the server's CPU time while the sessions planned
    browser_cpu_seconds: float  # and the browser's (Chromium and Playwright's driver)
    wall_seconds: float  # from opening the sessions to the last one ticked
    screenshots: list[Path]

    @property
    def everyone(self) -> list[Session]:
        return [s for s in (self.baseline, *self.sessions) if s is not None]


async def run_load(
    server: Server, people: list[Person], baseline: Person | None = None, shots: Path | None = None
) -> LoadResult:
    """A session for each of `people`, all at once, then check every page; with `baseline`,
    one session plans alone first and stays open throughout.

    The baseline pays for the server's first run; the memory with it open is the figure to
    compare with, and at the end it must still show only its own plan."""
    from playwright.async_api import async_playwright

    wants = expected([*([baseline] if baseline else []), *people])
    base = Session(baseline, wants.pop(0)) if baseline else None
    sessions = [Session(p, w) for p, w in zip(people, wants, strict=True)]
    rss = {"idle": server.rss_kib()}
    async with async_playwright() as pw:
        chromium = await pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            tabs = await chromium.new_context(viewport=VIEWPORT)
            tabs.set_default_timeout(STEP_MS)
            if base is not None:
                await _guard(plan_and_tick(tabs, server.url, base), base)
                await asyncio.sleep(1)
                rss["one"] = server.rss_kib()
            cpu, start = server.cpu_seconds(), time.perf_counter()
            everything = tree_cpu_seconds(os.getpid())  # the server is a child of this process
            await asyncio.gather(*(_guard(plan_and_tick(tabs, server.url, s), s) for s in sessions))
            wall, cpu = time.perf_counter() - start, server.cpu_seconds() - cpu
            browsers = tree_cpu_seconds(os.getpid()) - everything - cpu
            await asyncio.sleep(1)
            rss["all"], rss["peak"] = server.rss_kib(), server.peak_rss_kib()
            result = LoadResult(base, sessions, rss, cpu, browsers, wall, [])
            everyone = [s.person for s in result.everyone]
            await asyncio.gather(*(_check(s, everyone) for s in result.everyone))
            if shots:
                result.screenshots = await _screenshots(result.everyone, shots)
        finally:
            await chromium.close()
    return result


async def _check(s: Session, everyone: list[Person]) -> None:
    if s.page is None:
        return
    shown = await _guard(read_page(s), s)
    if shown is not None:
        s.problems += problems(shown, s, [o for o in everyone if o is not s.person])


async def _guard(step: Any, s: Session) -> Any:
    """Run one session's step; its failure (a timeout, a missing element) is reported as
    that session's problem and does not stop the others."""
    try:
        return await step
    except Exception as exc:
        s.problems.append(f"{type(exc).__name__}: {str(exc).splitlines()[0]}")
        return None


async def _screenshots(sessions: list[Session], out: Path) -> list[Path]:
    """The whole page of the first session from each country and of any with a problem
    (~3 s each under load; the page scrolls inside its own container: grow the viewport to
    its height)."""
    out.mkdir(parents=True, exist_ok=True)
    chosen: list[Session] = []
    for s in sessions:
        if s.problems or all(c.person.departure != s.person.departure for c in chosen):
            chosen.append(s)
    paths = []
    for s in chosen:
        if s.page is None:
            continue
        main = "document.querySelector('[data-testid=stMain]').scrollHeight"
        height = int(await s.page.evaluate(main))
        await s.page.set_viewport_size({"width": VIEWPORT["width"], "height": min(height, 16000)})
        await s.page.wait_for_timeout(500)
        name = f"load-{'FAILED-' if s.problems else ''}{s.person.departure}-{s.person.place}"
        path = out / f"{name.replace(' ', '_')}.png"
        await s.page.screenshot(path=str(path))
        paths.append(path)
    return paths
