"""Console pages under /staff/revenue/ (issue 12)."""

from django.urls import path  # noqa: F401

app_name = "revenue"

urlpatterns: list = []
