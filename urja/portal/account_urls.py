"""Portal account pages: home, OTP login, my account, bills, payments, profile."""

urlpatterns: list = []
