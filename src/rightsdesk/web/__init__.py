"""The web workbench: FastAPI app, auth, server-rendered pages and the JSON API."""
