"""Placeholder commands (owned by helper H6 while the violations room is built)."""

import typer

app = typer.Typer()
