"""Online payment pages and gateway webhooks, mounted at /pay/ (URL names under "gateway:")."""

from django.urls import path

from urja.payments import webhooks
from urja.portal import views

app_name = "gateway"
urlpatterns = [
    path("start/", views.payment_start, name="start"),
    path("return/", views.payment_return, name="return"),
    path("receipt/<str:order_id>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("sandbox/<str:order_id>/", views.sandbox_page, name="sandbox_page"),
    path("webhooks/<slug:gateway_name>/", webhooks.webhook, name="webhook"),
]
