"""Tests of the interventions form."""
