"""Placeholder commands (owned by helper H3 while the violations room is built)."""

import typer

app = typer.Typer()
