"""The workflow console (workflow:), mounted at /staff/work/."""

from django.urls import path

from .views import workflow as views

app_name = "workflow"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("items/<int:item_id>/", views.item_detail, name="item"),
    path("items/<int:item_id>/act/<slug:action>/", views.item_act, name="act"),
    path("items/<int:item_id>/documents/<int:event_id>/<int:index>/", views.item_document, name="document"),
    path("breaches/", views.breaches, name="breaches"),
    path("orders/", views.work_orders, name="orders"),
    path("orders/<int:order_id>/", views.work_order_detail, name="order"),
    path("orders/<int:order_id>/assign/", views.work_order_assign, name="order_assign"),
    path("orders/<int:order_id>/complete/", views.work_order_complete, name="order_complete"),
    path("orders/<int:order_id>/cancel/", views.work_order_cancel, name="order_cancel"),
]
