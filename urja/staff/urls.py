from django.contrib.auth import views as auth_views
from django.urls import path

from .views import auth
from .views import billing as views
from .views import changes as change_views
from .views import connections as connection_views
from .views import consumers as consumer_views
from .views import disconnection as disconnection_views
from .views import helpdesk as helpdesk_views

app_name = "staff"
urlpatterns = [
    path("login/", auth.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", consumer_views.home, name="home"),
    path("consumers/<str:account_number>/", consumer_views.consumer_detail, name="consumer_detail"),
    path("consumers/<str:account_number>/edit/", consumer_views.consumer_edit, name="consumer_edit"),
    path("consumers/<str:account_number>/apply/<slug:process>/", change_views.apply, name="change_apply"),
    path("changes/<int:item_id>/approve/", change_views.approve, name="change_approve"),
    path(
        "consumers/<str:account_number>/statement/",
        consumer_views.consumer_statement,
        name="consumer_statement",
    ),
    path("reports/unindexed/", consumer_views.unindexed_report, name="unindexed_report"),
    path("tariffs/quote/", views.tariff_quote, name="tariff_quote"),
    path("billing/runs/", views.bill_runs, name="bill_runs"),
    path("billing/runs/<int:run_id>/", views.bill_run_detail, name="bill_run_detail"),
    path("billing/runs/<int:run_id>/progress.json", views.bill_run_progress, name="bill_run_progress"),
    path("billing/runs/<int:run_id>/resume/", views.bill_run_resume, name="bill_run_resume"),
    path("billing/review/", views.review_queue, name="review_queue"),
    path("billing/bills/<int:bill_id>/", views.bill_detail, name="bill_detail"),
    path("billing/bills/<int:bill_id>/pdf/", views.bill_pdf, name="bill_pdf"),
    path("billing/bills/<int:bill_id>/approve/", views.bill_approve, name="bill_approve"),
    path("billing/bills/<int:bill_id>/correct/", views.bill_correct, name="bill_correct"),
    path("billing/bills/<int:bill_id>/hold/", views.bill_hold, name="bill_hold"),
    path("billing/bills/<int:bill_id>/revise/", views.bill_revise, name="bill_revise"),
    path("billing/revisions/", views.revisions_pending, name="revisions_pending"),
    path("billing/revisions/<int:revision_id>/decide/", views.revision_decide, name="revision_decide"),
    path("disconnection/", disconnection_views.disconnection_list, name="disconnection_list"),
    path("disconnection/serve/", disconnection_views.notices_serve, name="disconnection_serve"),
    path("disconnection/orders/", disconnection_views.orders_due, name="disconnection_orders"),
    path("disconnection/orders/issue/", disconnection_views.orders_issue, name="disconnection_orders_issue"),
    path(
        "disconnection/notices/<int:notice_id>/",
        disconnection_views.notice_print,
        name="disconnection_notice",
    ),
    path(
        "disconnection/notices/<int:notice_id>/pdf/",
        disconnection_views.notice_pdf,
        name="disconnection_notice_pdf",
    ),
    path(
        "disconnection/notices/<int:notice_id>/protest/",
        disconnection_views.notice_protest,
        name="disconnection_protest",
    ),
    path("connections/", connection_views.application_list, name="connection_list"),
    path("connections/new/", connection_views.application_new, name="connection_new"),
    path("connections/<int:pk>/", connection_views.application_detail, name="connection_detail"),
    path("connections/<int:pk>/<slug:step>/", connection_views.application_step, name="connection_step"),
    path("helpdesk/", helpdesk_views.ticket_list, name="ticket_list"),
    path("helpdesk/new/", helpdesk_views.ticket_new, name="ticket_new"),
    path("helpdesk/report/", helpdesk_views.ticket_report, name="ticket_report"),
    path("helpdesk/<str:number>/", helpdesk_views.ticket_detail, name="ticket_detail"),
    path("helpdesk/<str:number>/<slug:action>/", helpdesk_views.ticket_act, name="ticket_act"),
]
