"""Mounted at /notifications/ (names under "notifications:")."""

from django.urls import path

from . import webhooks

app_name = "notifications"

urlpatterns = [
    path("delivery/", webhooks.delivery_report, name="delivery"),
]
