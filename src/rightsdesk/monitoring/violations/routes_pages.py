"""Placeholder router (owned by helper H2 while the violations room is built)."""

from fastapi import APIRouter

router = APIRouter()
