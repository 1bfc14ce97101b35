"""Portal request pages: self meter reading, complaints, applications and their tracking."""

from django.urls import path

from urja.portal import request_views as views

urlpatterns: list = [
    path("reading/", views.reading, name="reading"),
    path("complaints/", views.complaints, name="complaints"),
    path("complaints/new/", views.complaint_new, name="complaint_new"),
    path("complaints/<str:number>/", views.complaint, name="complaint"),
    path("theft/", views.theft, name="theft"),
    path("apply/", views.apply, name="apply"),
    path("apply/fees/", views.fees, name="apply_fees"),
    path("track/", views.track, name="track"),
    path("requests/", views.my_requests, name="requests"),
    path("requests/reconnection/", views.reconnection, name="reconnection"),
    path("requests/bill-revision/", views.bill_revision, name="bill_revision"),
    path("requests/new/<slug:kind>/", views.request_new, name="request_new"),
]
