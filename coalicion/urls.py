from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from coalicion.accounts import views as account_views
from coalicion.composition import views as composition_views
from coalicion.core import views as core_views
from coalicion.plans import views as plan_views

# Every page has its language in the URL (/es/…, /en/…); "/" sends the
# visitor to their language (LocaleMiddleware reads Accept-Language).
urlpatterns = [
    path("favicon.ico", composition_views.favicon, name="favicon"),
    # For load balancers, without a language (coalicion.core.health).
    path("health/", core_views.health, name="health"),
]
urlpatterns += i18n_patterns(
    path("", plan_views.home, name="home"),
    path("my-work/", composition_views.my_work, name="my_work"),
    path("my-account/", composition_views.my_account, name="my_account"),
    path("plans/", include("coalicion.plans.urls")),
    path("members/", include("coalicion.membership.urls")),
    path("legal/", include("coalicion.legal.urls")),
    path("monitoring/", include("coalicion.monitoring.urls")),
    path("meetings/", include("coalicion.meetings.urls")),
    path("statistics/", include("coalicion.statistics.urls")),
    path("cooperation/", include("coalicion.cooperation.urls")),
    path("reports/", include("coalicion.reports.urls")),
    # Users cannot change their own e-mail address: this page replaces allauth's.
    path("accounts/email/", account_views.email_address, name="account_email_managed"),
    path("accounts/", include("allauth.urls")),
    path("users/", include("coalicion.accounts.urls")),
    path("audit/", include("coalicion.audit.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

handler403 = "coalicion.composition.views.permission_denied"
# The 500 page shows the request id; a database that does not answer gives a 503 page.
handler500 = "coalicion.core.views.server_error"
