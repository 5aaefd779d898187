"""Importers of external formats for the negotiation form, one module per format."""
