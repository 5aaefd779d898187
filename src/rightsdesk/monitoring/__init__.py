"""Monitoring and reporting: UN mechanisms' recommendations, responses, themes, implementation."""
