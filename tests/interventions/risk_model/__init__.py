"""Tests of the atrocity risk model (H1a): protocol, metrics, backtest, commands."""
