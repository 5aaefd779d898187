"""Implementation tracking: records, planned actions, indicators, progress reports."""
