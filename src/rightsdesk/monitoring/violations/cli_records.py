"""Placeholder commands (owned by helper H1 while the violations room is built)."""

import typer

app = typer.Typer()
