"""HTTP API of the IMR workflow: `create_app(database_url)` returns the FastAPI app."""

from openimr.api.app import create_app

__all__ = ["create_app"]
