"""Rendering shared by all forms: charts (Vega-Lite via Altair) and reports."""
