"""Portal account pages: home, OTP login, my account, bills, payments, profile."""

from django.urls import path

from urja.portal import account_views as views

urlpatterns: list = [
    path("", views.home, name="home"),
    path("login/", views.login, name="login"),
    path("login/code/", views.login_verify, name="login_verify"),
    path("login/apply/", views.applicant_login, name="applicant_login"),
    path("login/apply/code/", views.applicant_verify, name="applicant_verify"),
    path("logout/", views.logout, name="logout"),
    path("account/", views.account, name="account"),
    path("account/switch/", views.account_switch, name="account_switch"),
    path("account/bills/<int:bill_id>.pdf", views.bill_pdf, name="bill_pdf"),
    path("account/receipts/<int:payment_id>.pdf", views.receipt_pdf, name="receipt_pdf"),
    path("account/profile/", views.profile, name="profile"),
    path("account/profile/mobile/", views.mobile_verify, name="mobile_verify"),
    path("account/profile/email/", views.email_verify, name="email_verify"),
]
