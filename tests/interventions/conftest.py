"""Fixtures shared by the interventions rooms (each room keeps its own in its folder)."""
