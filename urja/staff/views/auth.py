"""Signing in to the console, and the language it is shown in."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import reverse

from urja.org.services import staff_language_set
from urja.staff.forms.auth import StaffLoginForm
from urja.staff.navigation import landing_url


class LoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = StaffLoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self):
        """A page the user asked for before logging in; the console's front page (where every
        unauthenticated visit is sent) is not one: then each role lands on its job."""
        url = super().get_redirect_url()
        return "" if url in (reverse("staff:home"), "/") else url

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def form_valid(self, form):
        """Show the console in the staff user's own language unless this browser already chose one."""
        response = super().form_valid(form)
        language = form.get_user().preferred_language
        if language and settings.LANGUAGE_COOKIE_NAME not in self.request.COOKIES:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax"
            )
        return response


def language_set(request):
    """Django's set_language, remembering a logged-in staff user's choice for their next login."""
    from django.views.i18n import set_language

    response = set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        staff_language_set(user=request.user, language=language)
    return response
