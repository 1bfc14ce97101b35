"""Staff console pages for collections, mounted at /staff/payments/."""

from django.urls import path

from urja.staff.views import arrears, consumers, settlements
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
    path("books/<int:book_id>/print/", views.book_print, name="book_print"),
    path("books/<int:book_id>/verify/", views.book_verify, name="book_verify"),
    path("payments/<int:payment_id>/", views.payment_detail, name="payment"),
    path("payments/<int:payment_id>/cancel/", views.payment_cancel_view, name="payment_cancel"),
    path("payments/<int:payment_id>/bounce/", views.payment_bounce_view, name="payment_bounce"),
    path("payments/<int:payment_id>/receipt.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("payments/<int:payment_id>/receipt/", views.receipt_print, name="receipt_print"),
    path("summary/", views.collection_summary, name="summary"),
    path("summary/offices/", settlements.collection_rollup, name="summary_offices"),
    path("settlements/", settlements.settlement_list, name="settlements"),
    path("settlements/day/", settlements.settlement_day, name="settlement_day"),
    path("settlements/<int:file_id>/", settlements.settlement_detail, name="settlement"),
    path("settlements/<int:file_id>/decide/", settlements.settlement_decide_view, name="settlement_decide"),
    path("adjustments/", arrears.adjustment_queue, name="adjustments"),
    path("adjustments/new/<str:account_number>/", arrears.adjustment_request_view, name="adjustment_request"),
    path("adjustments/<int:adjustment_id>/decide/", arrears.adjustment_decide_view, name="adjustment_decide"),
    path("ots/", arrears.ots_list, name="ots"),
    path("ots/register/<str:account_number>/", arrears.ots_register_view, name="ots_register"),
    path("ots/registrations/<int:registration_id>/settle/", arrears.ots_settle_view, name="ots_settle"),
    path("statement/<str:account_number>/", consumers.statement_pdf, name="statement_pdf"),
    path("lpsc/", arrears.lpsc_run, name="lpsc"),
]
