"""Console pages under /staff/reports/ (issue 12): the MIS reports.

Only the registered reports' slugs are routed here: other paths under /staff/reports/ (the unindexed
consumers report, /staff/reports/unindexed/) fall through to the staff URLs."""

import re

from django.urls import path, re_path

from urja.mis.reports import REPORTS
from urja.staff.views import reports

app_name = "reports"

_SLUGS = "|".join(re.escape(slug) for slug in REPORTS)

urlpatterns: list = [
    path("", reports.index, name="index"),
    re_path(rf"^(?P<slug>{_SLUGS})/$", reports.report, name="report"),
]
