"""Console pages under /staff/segments/ (issue 12): consumption segmentation."""

from django.urls import path

from urja.staff.views import segments

app_name = "segments"

urlpatterns = [
    path("", segments.report, name="report"),
    path("list/", segments.members, name="members"),
]
