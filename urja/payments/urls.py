"""Staff console pages for collections, mounted at /staff/payments/."""

app_name = "payments"
urlpatterns: list = []
