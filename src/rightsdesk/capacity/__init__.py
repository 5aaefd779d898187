"""The capacity form (see ../shared/DESIGN.md); not built yet."""
