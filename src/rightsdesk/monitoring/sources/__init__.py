"""Importers of external formats for the monitoring form, one module per format."""
