"""Placeholder router (owned by helper H6 while the violations room is built)."""

from fastapi import APIRouter

router = APIRouter()
