"""Walk every page a role can reach from the navigation, as a newcomer would (issue 10, item 9).

For each role (viewer, collector, analyst, editor, admin), in headless Chromium at 1366×768,
starting at ``/`` and the navigation bar's pages (depth 0) and following same-origin links
breadth-first to depth 2 (a list, a record, what the record links to), each page must answer
200 on the URL asked for, log no console error, draw its charts, fit the window's width (wide
tables scroll inside their own box, ``.table-scroll``), and show no raw code from ``raw_codes.py``.

Links of one shape (``/states/NOR`` and ``/states/FRA``; ``/votes?page=2`` and ``?page=3``) are
the same template with other data: one of each is opened, and at most ``PER_PATH_QUERIES``
filtered views of one page, so the budget goes to kinds of pages, not to 200 state pages.
Downloads, exports, the API and log-out are skipped (``SKIP``).

Every page is photographed (the first screen, as a newcomer sees it) to ``build/walk/ROLE/``,
with ``findings.txt`` listing what failed, for a person to look through.
"""

from __future__ import annotations

import re
import shutil
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest

from tests.e2e.conftest import WALK_PASSWORD, WALK_ROLES
from tests.e2e.raw_codes import find_raw_codes

SHOTS = Path(__file__).resolve().parents[2] / "build" / "walk"
VIEWPORT = {"width": 1366, "height": 768}
MAX_DEPTH = 2
MAX_PAGES = 60  # per role
PER_SHAPE = 1
PER_PATH_QUERIES = 3  # /recommendations?state=..., ?group=...: filtered views of one page
CHART_TIMEOUT_MS = 15_000
OVERFLOW_TOLERANCE_PX = 2
SKIP = re.compile(
    r"^/(?:api/|static/|login|logout|docs|redoc|openapi)"  # machine pages, the session's ends
    r"|/export|\.(?:csv|xlsx|json|pdf|png|svg|zip|docx)$"  # downloads
)
SKIP_QUERY_KEYS = frozenset({"format", "download", "export"})
CODE_SEGMENT = re.compile(r"^(?:\d+|[A-Z][A-Z0-9_.-]{1,15})$")  # ids, ISO3, treaty short names

# One round trip per page: the visible text (less code elements), the width check and the links.
PAGE_FACTS = """(tol) => {
  const SKIP = "code, kbd, samp, script, style, noscript, template, textarea";
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !n.textContent.trim() || el.closest(SKIP)) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    parts.push(n.textContent);
  }
  const doc = document.documentElement;
  const width = doc.clientWidth;
  const wide = [];
  if (doc.scrollWidth > width + tol) {
    const boxed = (el) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const clips = ["auto", "scroll", "hidden", "clip"];
        if (clips.includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (typeof el.className === "string" && el.className.trim()
         ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    for (const el of document.body.querySelectorAll("*")) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + tol || boxed(el)) continue;
      const parent = el.parentElement;
      if (parent && parent !== document.body
          && parent.getBoundingClientRect().right > width + tol) continue;
      wide.push(name(el) + " to " + Math.round(r.right) + " px");
      if (wide.length >= 3) break;
    }
  }
  const links = Array.from(document.querySelectorAll("a[href]"), (a) => a.href);
  return {text: parts.join("\\n"), title: document.title, scrollWidth: doc.scrollWidth,
          width: width, wide: wide, links: links};
}"""

CHARTS_DRAWN = """() => Array.from(document.querySelectorAll("[data-vega-spec]")).every(
  (el) => el.classList.contains("vega-rendered") || el.textContent.includes("chart unavailable"))"""


@dataclass(frozen=True)
class Finding:
    role: str
    url: str
    what: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.role}] {self.url}: {self.what}: {self.detail}"


def shape(path_query: str) -> tuple[str, str]:
    """``/states/NOR?page=2`` → ``("/states/{}", "page")``: one template, whatever the data."""
    parts = urlsplit(path_query)
    segments = ["{}" if CODE_SEGMENT.match(s) else s for s in parts.path.split("/")]
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return "/".join(segments), "&".join(keys)


def page_name(path_query: str) -> str:
    """A file name for a page's screenshot: ``/states/NOR?page=2`` → ``states_NOR__page-2``."""
    if path_query == "/":
        return "home"
    path, _, query = path_query.partition("?")
    name = path.strip("/").replace("/", "_") + ("__" + query if query else "")
    name = re.sub(r"[^A-Za-z0-9_.-]+", "-", name.replace("=", "-"))
    return name[:120]


def _same_origin(link: str, origin: str) -> str | None:
    """The path and query of ``link`` when it is a page of ``origin`` worth opening."""
    link, _ = urldefrag(link)
    parts = urlsplit(link)
    if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
        return None
    if any(k in SKIP_QUERY_KEYS for k, _ in parse_qsl(parts.query)):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def _login(page: Any, origin: str, role: str) -> None:
    page.goto(origin + "/login")
    page.fill("input[name=username]", role)
    page.fill("input[name=password]", WALK_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def _check_page(
    page: Any, origin: str, role: str, target: str, errors: list[tuple[str, str]]
) -> tuple[list[Finding], list[str]]:
    """Open one page; what is wrong with it, and its links."""
    found: list[Finding] = []

    def finding(what: str, detail: str) -> None:
        found.append(Finding(role, target, what, detail))

    del errors[:]
    try:
        response = page.goto(origin + target, wait_until="load")
    except Exception as exc:  # a page that does not load is a finding, not a stop
        finding("load", str(exc).splitlines()[0])
        return found, []
    status = response.status if response else 0
    landed = _same_origin(page.url, origin) or page.url
    if status != 200:
        finding("status", f"HTTP {status}")
    if landed.split("?")[0] != target.split("?")[0]:
        finding("redirect", f"landed on {landed}")
    try:
        page.wait_for_function(CHARTS_DRAWN, timeout=CHART_TIMEOUT_MS)
    except Exception:  # Playwright's TimeoutError: report, keep walking
        finding("chart", f"not drawn within {CHART_TIMEOUT_MS // 1000} s")
    try:
        facts = page.evaluate(PAGE_FACTS, OVERFLOW_TOLERANCE_PX)
    except Exception:  # the page navigated away (a refresh): read it again
        page.wait_for_load_state("load")
        facts = page.evaluate(PAGE_FACTS, OVERFLOW_TOLERANCE_PX)
    for message, where in errors:
        if status != 200 and where == page.url:
            continue  # the page's own status, reported above
        finding("console error", message[:300])
    if facts["scrollWidth"] > facts["width"] + OVERFLOW_TOLERANCE_PX:
        wide = "; ".join(facts["wide"]) or "no single element"
        finding("horizontal overflow", f"{facts['scrollWidth']} px > {facts['width']} px: {wide}")
    for name, snippet in find_raw_codes(facts["title"] + "\n" + facts["text"]):
        finding(f"raw code ({name})", snippet)
    folder = SHOTS / role
    page.screenshot(path=str(folder / f"{page_name(target)}.png"), full_page=False)
    links = [p for p in (_same_origin(h, origin) for h in facts["links"]) if p is not None]
    return found, links


def walk(browser: Any, origin: str, role: str) -> tuple[list[str], list[Finding]]:
    """Breadth-first from ``/``: the pages opened and what was wrong with them."""
    folder = SHOTS / role
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[tuple[str, str]] = []

    def console(message: Any) -> None:
        if message.type == "error":
            errors.append((message.text, message.location.get("url", "")))

    page.on("console", console)
    page.on("pageerror", lambda exc: errors.append((f"uncaught: {exc}", "")))
    _login(page, origin, role)
    nav = page.eval_on_selector_all("header nav a[href]", "links => links.map(a => a.href)")
    roots = ["/"] + [p for p in (_same_origin(h, origin) for h in nav) if p and p != "/"]
    queue: deque[tuple[str, int]] = deque((p, 0) for p in roots)
    seen = set(roots)
    shapes: dict[tuple[str, str], int] = {}
    queries: dict[str, int] = {}
    opened: list[str] = []
    timings: list[str] = []
    findings: list[Finding] = []
    while queue and len(opened) < MAX_PAGES:
        target, depth = queue.popleft()
        started = time.perf_counter()
        found, links = _check_page(page, origin, role, target, errors)
        opened.append(target)
        timings.append(f"{time.perf_counter() - started:6.2f} s  {target}")
        findings.extend(found)
        if depth >= MAX_DEPTH:
            continue
        for link in links:
            path, keys = shape(link)
            if link in seen or shapes.get((path, keys), 0) >= PER_SHAPE:
                continue
            if keys and queries.get(path, 0) >= PER_PATH_QUERIES:
                continue
            seen.add(link)
            shapes[path, keys] = shapes.get((path, keys), 0) + 1
            queries[path] = queries.get(path, 0) + bool(keys)
            queue.append((link, depth + 1))
    context.close()
    report = [f"{role}: {len(opened)} pages opened, {len(findings)} findings", ""]
    report += [str(f) for f in findings] + ["", "pages (seconds to open, check, photograph):"]
    report += timings
    (folder / "findings.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    return opened, findings


@pytest.mark.e2e
@pytest.mark.parametrize("role", WALK_ROLES)
def test_walk_every_page(walk_server: str, browser: Any, role: str) -> None:
    opened, findings = walk(browser, walk_server, role)
    nav = {"/states", "/treaties", "/votes", "/recommendations"}
    assert nav <= set(opened), f"the walk missed navigation pages: {sorted(nav - set(opened))}"
    listing = "\n".join(str(f) for f in findings)
    assert not findings, f"{len(findings)} findings on {len(opened)} pages:\n{listing}"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Source record hrc 31267", "body code"),
        ("resolutions.csv (hrc-resolutions, 2005-03-14 to 2023-10-13)", "body code"),
        ("Body\nunga", "body code"),
        ("Regional group\nUN-APG\n330", "group code"),
        ("UN-GRULAC", "group code"),
        ("Source: #2", "number for a name"),
        ("adopted without-vote", "vote type code"),
        ("not-considered", "vote type code"),
        ("Themes: upr-info:Women's rights", "taxonomy prefix"),
        ('{"name": "admin", "role": "admin"}', "raw JSON"),
        ("Reservations\nNone\n", "Python value"),
        ("share nan %", "Python value"),
        ("Traceback (most recent call last):", "traceback"),
        ("chart unavailable: Error", "chart failure"),
    ],
)
def test_raw_codes_are_found(text: str, code: str) -> None:
    assert code in [name for name, _ in find_raw_codes(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Human Rights Council, 2005 to 2023 (repository lszoszk/hrc-voting)",
        "Asia-Pacific Group",
        "Recommendation\n#163 · para. 115.163",
        "cluster #5",
        "Reservations and declarations\n0\nNone recorded.",
        "Yes No Abstain Absent / non-voting",
        "A/HRC/RES/52/1 adopted without a vote",
        "nanny, Nancy, financial",
    ],
)
def test_words_are_not_raw_codes(text: str) -> None:
    assert find_raw_codes(text) == []


def test_one_shape_per_template() -> None:
    assert shape("/states/NOR") == shape("/states/FRA") == ("/states/{}", "")
    assert shape("/votes?body=all&page=2") == shape("/votes?page=3&body=hrc")
    assert shape("/recommendations?state=NOR") != shape("/recommendations?group=UN-APG")
    assert shape("/treaties/ICCPR-OP1") == ("/treaties/{}", "")
    assert shape("/votes/integrity") == ("/votes/integrity", "")
    assert page_name("/") == "home"
    assert page_name("/votes?body=unsc&page=2") == "votes__body-unsc-page-2"


def test_downloads_and_other_sites_are_skipped() -> None:
    origin = "http://127.0.0.1:8000"
    assert _same_origin(origin + "/states/NOR#votes", origin) == "/states/NOR"
    assert _same_origin(origin + "/recommendations?state=NOR", origin) == (
        "/recommendations?state=NOR"
    )
    for link in (
        origin + "/recommendations/export.csv?state=NOR",
        origin + "/api/v1/states",
        origin + "/static/style.css",
        origin + "/logout",
        origin + "/votes?format=csv",
        "https://treaties.un.org/Pages/ViewDetails.aspx",
    ):
        assert _same_origin(link, origin) is None, link
