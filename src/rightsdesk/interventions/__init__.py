"""The interventions form (see ../shared/DESIGN.md); not built yet."""
