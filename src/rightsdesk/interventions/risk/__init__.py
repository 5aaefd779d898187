"""Atrocity early warning: the out-of-time risk model of mass-killing onsets (Early Warning
Project panel, PTS, CIRIGHTS, UCDP), its backtest beside EWP's own forecasts, and forecasts
with drivers.
"""
