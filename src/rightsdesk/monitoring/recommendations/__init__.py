"""Recommendations of the UN mechanisms: tables, importers, search, exports, pages and API."""
