"""Tests of the register of responses (interventions form)."""
