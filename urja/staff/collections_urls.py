"""Staff console pages for collections, mounted at /staff/payments/."""

from django.urls import path

from urja.staff.views import back_office as back
from urja.staff.views import collections as views

app_name = "payments"
urlpatterns = [
    path("", views.counter_list, name="counters"),
    path("counters/<int:counter_id>/", views.counter_detail, name="counter"),
    path("counters/<int:counter_id>/open/", views.cash_book_open, name="book_open"),
    path("books/verify/", views.books_to_verify, name="books_to_verify"),
    path("books/<int:book_id>/", views.book_detail, name="book"),
    path("books/<int:book_id>/take/", views.payment_take, name="payment_take"),
    path("books/<int:book_id>/close/", views.book_close, name="book_close"),
    path("books/<int:book_id>/verify/", views.book_verify, name="book_verify"),
    path("payments/<int:payment_id>/", views.payment_detail, name="payment"),
    path("payments/<int:payment_id>/cancel/", views.payment_cancel_view, name="payment_cancel"),
    path("payments/<int:payment_id>/bounce/", views.payment_bounce_view, name="payment_bounce"),
    path("payments/<int:payment_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("payments/<int:payment_id>/receipt/", views.receipt_print, name="receipt_print"),
    path("summary/", views.collection_summary, name="summary"),
    path("summary/offices/", back.collection_rollup, name="summary_offices"),
    path("settlements/", back.settlement_list, name="settlements"),
    path("settlements/day/", back.settlement_day, name="settlement_day"),
    path("settlements/<int:file_id>/", back.settlement_detail, name="settlement"),
    path("settlements/<int:file_id>/decide/", back.settlement_decide_view, name="settlement_decide"),
    path("adjustments/", back.adjustment_queue, name="adjustments"),
    path("adjustments/new/<str:account_number>/", back.adjustment_request_view, name="adjustment_request"),
    path("adjustments/<int:adjustment_id>/decide/", back.adjustment_decide_view, name="adjustment_decide"),
    path("ots/", back.ots_list, name="ots"),
    path("ots/register/<str:account_number>/", back.ots_register_view, name="ots_register"),
    path("ots/registrations/<int:registration_id>/settle/", back.ots_settle_view, name="ots_settle"),
    path("statement/<str:account_number>/", back.statement_pdf, name="statement_pdf"),
    path("lpsc/", back.lpsc_run, name="lpsc"),
]
