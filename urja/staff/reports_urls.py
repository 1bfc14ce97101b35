"""Console pages under /staff/reports/ (issue 12): the MIS reports."""

from django.urls import path

from urja.staff.views import reports

app_name = "reports"

urlpatterns: list = [
    path("", reports.index, name="index"),
    path("<slug:slug>/", reports.report, name="report"),
]
