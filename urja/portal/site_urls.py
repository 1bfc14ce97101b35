"""The consumer portal at / (URL names under "portal:"). Two modules add to it so that the account
pages (home, login, my account, quick pay, profile) and the request pages (self reading, complaints,
applications, tracking) can grow apart."""

from urja.portal import account_urls, request_urls

app_name = "portal"
urlpatterns = [*account_urls.urlpatterns, *request_urls.urlpatterns]
