"""Console pages under /staff/ucc/ (issue 12)."""

from django.urls import path  # noqa: F401

app_name = "ucc"

urlpatterns: list = []
