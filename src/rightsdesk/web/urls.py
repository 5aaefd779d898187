"""Links of faceted list pages: the current search with one thing changed.

Every list page with facets and paging (recommendations, programmes, ...) builds its chips and
page links this way, so a filter toggled on one page behaves the same on all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import Request


def search_url_builder(request: Request, default_path: str) -> Callable[..., str]:
    """``url(toggle=(name, value), page=N, name=value, ...)``: this request's search with one
    facet value toggled and/or some parameters replaced (the page number is always reset)."""
    base = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]

    def url(path: str = default_path, toggle: tuple[str, str] | None = None, **changes: Any) -> str:
        items = [(k, v) for k, v in base if k not in changes]
        if toggle is not None:
            if toggle in items:
                items.remove(toggle)
            else:
                items.append(toggle)
        items += [(k, str(v)) for k, v in changes.items() if v not in (None, "")]
        return path + ("?" + urlencode(items) if items else "")

    return url
