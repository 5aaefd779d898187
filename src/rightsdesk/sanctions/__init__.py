"""The sanctions form (see ../shared/DESIGN.md); not built yet."""
