"""Console pages under /staff/segments/ (issue 12)."""

from django.urls import path  # noqa: F401

app_name = "segments"

urlpatterns: list = []
