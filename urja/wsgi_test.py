"""WSGI application for in-process tests (uses whatever settings module is already configured)."""

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
