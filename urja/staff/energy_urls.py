"""Console pages under /staff/energy/ (issue 12)."""

from django.urls import path  # noqa: F401

app_name = "energy"

urlpatterns: list = []
