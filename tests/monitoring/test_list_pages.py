"""The recommendations list (issue 10): numbered pagination with totals, and facets with
"show all" (a plain link without JavaScript) and a filter box."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from fastapi.testclient import TestClient

from rightsdesk.core.config import Settings
from tests.monitoring.conftest import do_import, head_copy, upr_file

Client = Callable[[str], TestClient]


def test_recommendations_pages_and_facets(
    client_for: Client, sqlite_settings: Settings, shared_data: Path, tmp_path: Path
) -> None:
    do_import(
        sqlite_settings, "upr-info", head_copy(upr_file(shared_data), tmp_path / "p.csv", 900)
    )
    viewer = client_for("viewer")
    page = viewer.get("/recommendations", params={"order": "date", "page": 2})
    pager = page.text.split('<nav class="pager"')[1].split("</nav>")[0]
    assert "21–40 of <strong>899</strong> recommendations" in pager
    assert 'hx-target="#results"' in pager and "page=45" in pager  # the last page, numbered
    # facets: no "type a filter in the URL"; "show all" and a filter box instead
    assert "type a filter in the URL" not in page.text
    facet = page.text.split('id="facet-from_state"')[1].split("</details>")[0]
    values = re.findall(r"<li( class=\"selected\")?( hidden)?><a ", facet)
    assert len(values) > 25 and sum(1 for v in values if v[1]) == len(values) - 25
    assert 'class="facet-filter"' in facet and "data-facet-all" in facet
    link = re.search(r'<a href="([^"]+)" data-facet-all="from_state">show all', facet)
    assert link is not None and "all=from_state" in link.group(1)
    full = viewer.get(link.group(1).replace("&amp;", "&").split("#")[0])
    listed = full.text.split('id="facet-from_state"')[1].split("</details>")[0]
    assert not re.search(r'<li( class="selected")? hidden><a ', listed)  # every value shown
    assert "data-facet-all" not in listed
    assert '<script src="/static/facets.js" defer></script>' in page.text
