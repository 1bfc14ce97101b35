from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from urja.api_v1 import api
from urja.notifications import views as notification_views
from urja.staff.forms.auth import AdminLoginForm
from urja.staff.views import auth as staff_views
from urja.staff.views.health import healthz

admin.site.site_header = "Urja administration"
admin.site.site_title = "Urja"
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("pay/", include("urja.portal.urls")),
    path("staff/payments/", include("urja.staff.collections_urls")),
    path("staff/work/", include("urja.staff.workflow_urls")),
    path("staff/energy/", include("urja.staff.energy_urls")),
    path("staff/reports/", include("urja.staff.reports_urls")),
    path("staff/segments/", include("urja.staff.segments_urls")),
    path("staff/ucc/", include("urja.staff.ucc_urls")),
    path("staff/revenue/", include("urja.staff.revenue_urls")),
    path("staff/", include("urja.staff.urls")),
    path("field/", include("urja.field.urls")),
    path("notifications/", include("urja.notifications.urls")),
    path("", include("urja.portal.site_urls")),
    path("demo/outbox/", notification_views.demo_outbox, name="demo_outbox"),  # 404 unless DEBUG
    path("i18n/setlang/", staff_views.language_set, name="set_language"),
]
handler404 = "urja.portal.account_views.page_not_found"
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
