"""Console pages under /staff/revenue/ (issue 12): the inspection list, cases, hit rate."""

from django.urls import path

from urja.staff.views import revenue as views

app_name = "revenue"

urlpatterns = [
    path("", views.inspection_list, name="list"),
    path("raise/<int:consumer_id>/", views.case_raise, name="raise"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/outcome/", views.case_outcome, name="outcome"),
    path("hit-rate/", views.hit_rate, name="hit_rate"),
]
