"""The pages: their HTML through FastAPI's TestClient, and the same pages
in headless Chromium (Debian's, driven by Playwright; never a downloaded
browser) served by a real uvicorn on loopback.

Set ACCORD_SCREENSHOTS=docs/screenshots to refresh the README's pictures."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from test_api_http import CSP, build_record, running
from typer.testing import CliRunner

import accord
from accord.api import create_app
from accord.cli import app as cli
from accord.web.charts import level_timeline, network, quad_bars
from accord.web.highlight import pieces


@pytest.fixture(scope="module")
def record(tmp_path_factory) -> str:
    return build_record(tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="module")
def web_app(record):
    return create_app(accord.Settings(db=record), write_token="")


@pytest.fixture(scope="module")
def pages(web_app):
    from fastapi.testclient import TestClient

    with TestClient(web_app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def server(web_app):
    with running(web_app) as url:
        yield url


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    if path is None:
        pytest.skip("no chromium on this machine: apt-get install chromium (.ci/run and make test install it)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is missing: pip install -e '.[test]'")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, args=["--no-sandbox"] if os.geteuid() == 0 else [])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that keeps its console errors and uncaught errors."""
    context = browser.new_context(viewport={"width": 1100, "height": 1300})
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def story_id(pages, **params) -> int:
    return pages.get("/api/stories", params=params).json()["items"][0]["id"]


def level_story(pages) -> int:
    return next(s["id"] for s in pages.get("/api/stories", params={"country": "VNM", "type": "SUPPORT"}).json()["items"]
                if s["relation_level"])


def shots() -> Path | None:
    folder = os.environ.get("ACCORD_SCREENSHOTS")
    return Path(folder) if folder else None


# -- the HTML -------------------------------------------------------------

def test_home(pages):
    html = pages.get("/").text
    assert 'action="/search"' in html and 'name="q"' in html
    assert 'href="/stories/' in html and 'href="/relations/AZE/VNM"' in html and "strategic partnership" in html


def test_relation_page(pages):
    response = pages.get("/relations/VNM/AZE")
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CSP
    html = response.text
    assert re.search(r'id="level"[^>]*>Level: <strong>strategic partnership</strong> since 2025-05-07', html)
    assert html.count("<svg") == 2 and 'class="level-line"' in html and '<rect class="q1"' in html
    assert "energy" in html and "VNA/VNS" in html and 'href="/stories/' in html
    moved = pages.get("/relations/Vietnam/az", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == "/relations/VNM/AZE"
    assert pages.get("/relations/VNM/Atlantis").status_code == 404
    assert "two different countries" in pages.get("/relations/VNM/VN").text


def test_story_page_marks_the_sentence(pages):
    sid = level_story(pages)
    story = pages.get(f"/api/stories/{sid}").json()
    html = pages.get(f"/stories/{sid}").text
    marked = re.findall(r"<mark>(.*?)</mark>", html, re.S)
    assert marked and any("Strategic Partnership" in m for m in marked)
    assert html.count('class="report"') == story["article_count"] == 2
    assert "first report" in html


def test_hostile_text_is_escaped(pages):
    sid = story_id(pages, country="JPN", type="SUPPORT")
    html = pages.get(f"/stories/{sid}").text
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&#34;window.__pwned=2&#34;&gt;" in html
    assert "Near-duplicate copies" in html and "a copy of" in html  # the near-copy is listed
    for url in ("/", "/search?q=pwned", "/search?q=%3Cscript%3E"):
        assert "<script" not in pages.get(url).text, url


def test_search_page(pages):
    html = pages.get("/search", params={"q": "Baku"}).text
    assert "Azerbaijan (AZE)" in html and 'href="/relations/AZE/VNM"' in html
    assert re.search(r"Stories \([1-9]\d*\)", html) and re.search(r"Articles \([1-9]\d*\)", html)
    people = pages.get("/search", params={"q": "Ishiba"}).text
    assert "Shigeru Ishiba" in people
    assert pages.get("/search").status_code == 200


def test_network_page(pages):
    html = pages.get("/network").text
    assert '<svg class="chart network"' in html and 'href="/relations/AZE/VNM"' in html
    assert '<select id="level" name="level">' in html and '<select id="year" name="year">' in html
    assert 'href="/relations/AZE/VNM"' in pages.get("/network", params={"level": "4", "year": ""}).text
    assert 'href="/relations/AZE/VNM"' not in pages.get("/network", params={"level": "5"}).text
    assert 'href="/relations/AZE/VNM"' not in pages.get("/network", params={"year": "2024"}).text
    assert pages.get("/network", params={"level": "ten"}).status_code == 422


def test_page_errors_are_pages(pages):
    response = pages.get("/stories/424242")
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "no story 424242" in response.text
    assert pages.get("/nowhere").status_code == 404


# -- the charts and the marking, without a server ---------------------------

def test_pieces_escape_nothing_themselves_and_mark_spans():
    text = "One. <b>Two</b>. Three."
    cut = pieces(text, [(5, 15), (10, 16), (100, 120)])
    assert "".join(p.text for p in cut) == text
    assert [p.text for p in cut if p.marked] == ["<b>Two</b>."]


def test_charts_lay_out_within_their_box():
    levels = [{"level": "partnership", "since": "2019-03-01", "rank": 2, "story_id": 1},
              {"level": "strategic partnership", "since": "2023-09-10", "rank": 4, "story_id": 2},
              {"level": "friendship", "since": None, "rank": -1, "story_id": 3}]
    t = level_timeline(levels)
    assert [p.level for p in t.points] == ["partnership", "strategic partnership"] and t.undated == [levels[2]]
    assert all(t.left <= p.x <= t.right and t.top <= p.y <= t.bottom for p in t.points)
    assert t.points[1].y < t.points[0].y and 1 <= len(t.x_ticks) <= 8
    assert level_timeline([levels[2]]) is None
    bars = quad_bars([{"month": "2025-05", "verbal cooperation": 9, "material cooperation": 1, "verbal conflict": 0,
                       "material conflict": 2}])
    assert len(bars.bars) == 4 and 0.8 < max(b.height for b in bars.bars) / (bars.bottom - bars.top) <= 1
    graph = network([{"a": "AZE", "b": "VNM", "level": "strategic partnership", "since": "2025-05-07", "rank": 4}])
    assert [n.code for n in graph.nodes] == ["AZE", "VNM"] and graph.edges[0].stroke > 1


# -- in Chromium ------------------------------------------------------------

def test_hostile_story_runs_no_script(page, server, pages):
    sid = story_id(pages, country="JPN", type="SUPPORT")
    response = page.goto(f"{server}/stories/{sid}")
    assert response.status == 200
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.locator("script").count() == 0 and page.locator("img").count() == 0
    text = page.locator("article.report").first.inner_text()
    assert "<script>window.__pwned=1</script>" in text and 'onerror="window.__pwned=2"' in text
    assert "<script>window.__pwned=1</script>" in page.locator("h1, h3").all_inner_texts()[1]
    assert page.locator("mark").first.inner_text().startswith("TOKYO, June 3 (Reuters)")
    assert page.errors == []  # no script refused by the CSP, no resource missing


def test_pages_in_the_browser(page, server, pages):
    for path, needle in (("/", "Latest stories"), ("/relations/VNM/AZE", "strategic partnership"),
                         (f"/stories/{level_story(pages)}", "The reports, with the sentences marked"),
                         ("/search?q=Baku", "Azerbaijan (AZE)"), ("/network", "The network of relations"),
                         ("/docs", "/api/relations/{a}/{b}")):
        assert page.goto(server + path).status == 200, path
        assert needle in page.locator("main").inner_text(), path
        assert page.errors == [], (path, page.errors)
    # The level history and the bars are drawn, with the stylesheet applied (no inline style needed).
    page.goto(f"{server}/relations/VNM/AZE")
    assert page.locator("svg.timeline .level-point").count() == 1
    assert page.locator("svg.bars rect").count() >= 4
    assert page.evaluate("getComputedStyle(document.querySelector('svg .level-line')).fill") == "none"
    # The network's form filters by a GET.
    page.goto(f"{server}/network")
    page.select_option("#level", "5")
    page.click("button[type=submit]")
    assert "level=5" in page.url and "No pair has a level of rank 5" in page.locator("main").inner_text()


def test_the_page_the_api_and_the_cli_agree(page, server, record):
    import httpx2

    page.goto(f"{server}/relations/VNM/AZE")
    shown_level = page.locator("#level strong").inner_text()
    shown_count = int(page.locator("#story-count").inner_text())
    api = httpx2.get(f"{server}/api/relations/VNM/AZE", timeout=10).json()
    result = CliRunner().invoke(cli, ["relation", "VNM", "AZE", "--db", record, "--json"])
    assert result.exit_code == 0, result.output
    (printed,) = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert shown_level == api["level"] == printed["level"] == "strategic partnership"
    assert shown_count == len(api["timeline"]) == len(printed["timeline"]) > 0
    assert page.locator("ol.stories > li").count() == shown_count


def test_screenshots(page, server, pages, tmp_path):
    """The pair page and a story page as pictures: to ACCORD_SCREENSHOTS
    when set (docs/screenshots for the README), else to a scratch folder."""
    folder = shots() or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1000, "height": 1100})
    for name, path in (("relation", "/relations/VNM/AZE"), ("story", f"/stories/{level_story(pages)}")):
        page.goto(server + path)
        page.screenshot(path=str(folder / f"{name}.png"))
        png = (folder / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and 10_000 < len(png) < 600_000
