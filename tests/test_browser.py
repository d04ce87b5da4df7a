"""The real page in headless Chromium: fill the form, see routes, map and checklist, tick an
item, download the PDF, star a route and find its details in the PDF; open a stranger's
crafted plan file. Screenshots go to test-output/ for a person to look at.

Every request the page makes during a whole plan (map included) is recorded: the page talks
to no host but its own. Needs Debian's chromium (`apt-get install chromium`); skipped with a
reason otherwise. The app runs with no network: advice comes from the bundled snapshot, and
feed URLs point at a closed local port in case anything tried to fetch.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "test-output"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    port = _free_port()
    env = {
        **os.environ,
        "DEPARTURE_PLANNER_CACHE": str(tmp_path_factory.mktemp("cache")),
        "DEPARTURE_PLANNER_FEED_BASE": "http://127.0.0.1:9",  # nothing listens there
    }
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("w")
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "streamlit"),
            "run",
            "app.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"the app did not start (see {log.name})")
                time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _full_page(page, path: Path, width: int) -> None:
    """Streamlit scrolls inside its own container: grow the viewport to its height first."""
    height = page.evaluate("document.querySelector('[data-testid=stMain]').scrollHeight")
    page.set_viewport_size({"width": width, "height": min(int(height), 16000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path))


def _choose(page, label: str, typed: str, option: str) -> None:
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    box.locator("input").click()
    box.locator("input").fill(typed)
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")


def _record_hosts(page) -> list[str]:
    """Every network request the page makes from now on, as scheme://host:port (data: and
    blob: URLs never leave the browser)."""
    seen: list[str] = []

    def note(request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob"):
            seen.append(f"{parts.scheme}://{parts.netloc}")

    page.on("request", note)
    return seen


STARRED_CARD = re.compile(r"^[A-Z]+ \d+\. Verkhny Lars", flags=re.MULTILINE)  # not its row


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_plan_in_the_browser(app_url, browser):
    from playwright.sync_api import expect

    OUT.mkdir(exist_ok=True)
    started = time.monotonic()
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    hosts = _record_hosts(page)
    page.goto(app_url)
    expect(page.get_by_text("Add your citizenship above")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Offline copy")).to_be_visible()

    near = page.get_by_label("Where are you now?", exact=True)
    near.fill("Москва")
    near.press("Enter")
    expect(page.get_by_text("Found: Moscow")).to_be_visible(timeout=20_000)
    _choose(page, "Your citizenships", "United States", "United States")
    _choose(page, "Your citizenships", "Russia", "Russia")
    page.get_by_text("Male", exact=True).click()
    age = page.get_by_label("Age", exact=True)
    age.fill("30")
    age.press("Enter")
    date = page.get_by_role("group", name="Plan for the date")
    date.locator('[role="spinbutton"]').first.click()
    page.keyboard.type("20220928")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")

    # Routes: the summary, the top cards with verdict words, the table.
    expect(page.get_by_text("Best way out now")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Best 3 for you")).to_be_visible()
    expect(page.locator(".dp-badge.dp-big").first).to_have_text("CAUTION")
    expect(page.get_by_text("All routes shown")).to_be_visible()
    page.screenshot(path=str(OUT / "browser-top.png"))
    # What changed: near the top, a week back by default, each change with its source, and
    # the verdict timeline drawn in the page from the spec (the host check below: offline).
    changed = page.locator(".dp-box").filter(has_text="After 21 Sep 2022, up to 28 Sep 2022")
    expect(changed).to_be_visible()
    expect(changed.get_by_text("Verkhny Lars (Upper Lars)", exact=False).first).to_be_visible()
    assert changed.locator("a", has_text="source").count() >= 3
    timeline = page.locator('[data-testid="stVegaLiteChart"]')
    timeline.scroll_into_view_if_needed()
    expect(timeline.locator("canvas, svg").first).to_be_visible(timeout=20_000)
    page.wait_for_timeout(500)
    page.locator('[data-testid="stMain"]').screenshot(path=str(OUT / "browser-changes.png"))
    # The map draws offline (no tiles): the deck.gl canvas is there.
    chart = page.locator('[data-testid="stDeckGlJsonChart"]')
    chart.scroll_into_view_if_needed()
    expect(chart.locator("canvas").first).to_be_visible(timeout=20_000)
    # Checklist: tick an item, progress follows.
    expect(page.get_by_text("0 of", exact=False)).to_be_visible()
    item = page.get_by_text("Take a valid Russian passport as well as your other passport")
    item.scroll_into_view_if_needed()
    item.click()
    expect(page.get_by_text("1 of", exact=False)).to_be_visible(timeout=15_000)
    page.wait_for_timeout(1500)  # the map canvas paints after load
    _full_page(page, OUT / "browser-plan.png", 1280)

    # PDF download (generated when clicked).
    page.set_viewport_size({"width": 1280, "height": 900})
    button = page.get_by_role("button", name="Download the PDF")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    pdf = OUT / "browser-plan.pdf"
    download.save_as(str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert download.suggested_filename == "departure-plan-RU-2022-09-28.pdf"

    # A phone-sized screen: the same page, one column.
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.querySelector('[data-testid=stMain]').scrollTo(0, 0)")
    page.get_by_text("Best way out now").scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(OUT / "browser-phone.png"))
    assert time.monotonic() - started < 60

    # Star a route far down the list: its card says so, and the PDF now gives its details.
    page.set_viewport_size({"width": 1280, "height": 900})
    other = page.locator('[data-testid="stSelectbox"]').filter(has_text="another route")
    other.scroll_into_view_if_needed()
    other.click()
    page.keyboard.type("Verkhny Lars")
    page.get_by_role("option").filter(has_text="Verkhny Lars").first.click()
    title = page.locator(".dp-card-title", has_text="Verkhny Lars")
    card = page.locator('[data-testid="stVerticalBlock"]').filter(has=title).last  # innermost
    star = card.get_by_text("Star this route", exact=False)
    expect(star).to_be_visible(timeout=15_000)
    star.click()
    expect(card.get_by_text("★ starred: details in the PDF")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(500)  # the click scrolled the card into view
    page.screenshot(path=str(OUT / "browser-star.png"))
    assert not re.search(STARRED_CARD, _pdf_text(pdf))
    with page.expect_download(timeout=30_000) as info:
        button.click()
    info.value.save_as(str(pdf))
    assert re.search(STARRED_CARD, _pdf_text(pdf))
    # The whole plan, map and PDF included, asked nothing of any host but the page's own.
    own = app_url.replace("http://", "")
    assert len(hosts) > 20 and set(hosts) <= {f"http://{own}", f"ws://{own}"}, set(hosts)


HOSTILE = '<img src=x onerror="window.pwned=1"><b>PWN</b> [click](javascript:window.pwned=2)'


def _hostile_planfile(tmp_path: Path) -> Path:
    """A stranger's plan file: markup in a route's name and note and in the place name."""
    from planner import geo
    from planner.export.planfile import dump_planfile
    from planner.plan import build_plan
    from planner.traveler import make_traveler

    traveler = make_traveler(citizenships=("US",), near="Moscow")
    plan = build_plan(traveler, dt.date(2022, 9, 28), "RU", location=geo.find_place("Moscow"))
    doc = json.loads(dump_planfile(plan))
    doc["user_routes"] = [
        {
            "id": "user-pwn",
            "kind": "land",
            "name": HOSTILE,
            "to_country": "GE",
            "place": {"name": HOSTILE, "lat": 43.03, "lon": 44.68, "country": "RU"},
            "note": HOSTILE + " www.evil.example",
            "added": "2022-09-28",
        }
    ]
    path = tmp_path / "from-a-chat.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_crafted_plan_file_stays_text_in_the_browser(app_url, browser, tmp_path):
    from playwright.sync_api import expect

    OUT.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    hosts = _record_hosts(page)
    page.goto(app_url)
    expect(page.get_by_text("Add your citizenship above")).to_be_visible(timeout=30_000)
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    uploader.set_input_files(str(_hostile_planfile(tmp_path)))
    expect(page.get_by_text("Plan restored")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Best way out now")).to_be_visible(timeout=30_000)
    # Listed under "Add a route" as the person's own, the markup shown as the text it is.
    mine = page.get_by_text("added by you, no source given", exact=False).first
    expect(mine).to_be_attached(timeout=15_000)
    assert HOSTILE in mine.inner_text()
    mine.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    main = page.locator('[data-testid="stMain"]')
    assert main.locator('img[src="x"]').count() == 0
    assert main.locator("b", has_text="PWN").count() == 0
    hrefs = main.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert not [h for h in hrefs if not h.startswith(("http://", "https://"))], hrefs
    assert not [h for h in hrefs if "evil" in h], hrefs
    assert page.evaluate("window.pwned") is None
    page.screenshot(path=str(OUT / "browser-hostile-planfile.png"))
    own = app_url.replace("http://", "")
    assert set(hosts) <= {f"http://{own}", f"ws://{own}"}, set(hosts)
