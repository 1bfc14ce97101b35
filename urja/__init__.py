"""Urja (ऊर्जा): customer information and billing system for electricity distribution companies."""

__version__ = "0.1.0"

# Load the Celery app with Django so that shared tasks bind to it (eager when no broker is configured).
from .celery_app import app as celery_app  # noqa: E402

__all__ = ["celery_app", "__version__"]
