"""Negotiation: treaties, ratifications, UN resolutions and votes, blocs, positions, forecasts."""
