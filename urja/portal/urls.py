"""Online payment pages and gateway webhooks, mounted at /pay/."""

from django.urls import path

from urja.portal import views as gateway_views

app_name = "gateway"
urlpatterns = [
    path("start/", gateway_views.payment_start, name="start"),
    path("return/", gateway_views.payment_return, name="return"),
    path("sandbox/<str:order_id>/", gateway_views.sandbox_page, name="sandbox_page"),
    path("webhooks/<slug:gateway_name>/", gateway_views.webhook, name="webhook"),
]
