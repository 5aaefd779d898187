"""Placeholder router (owned by helper H3 while the violations room is built)."""

from fastapi import APIRouter

router = APIRouter()
