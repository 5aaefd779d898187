"""The advocacy form (see ../shared/DESIGN.md); not built yet."""
