"""Tests of the risk room's data: the eight importers, state codes, the panel and the pages."""
