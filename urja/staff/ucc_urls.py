"""Console pages under /staff/ucc/ (issue 12): the Utility Command Centre."""

from django.urls import path

from urja.staff.views import ucc

app_name = "ucc"

urlpatterns: list = [
    path("", ucc.command_centre, name="dashboard"),
    path("data.json", ucc.command_centre_json, name="data"),
]
