from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from coalicion.plans import views as plan_views

admin.site.site_header = "Coalición"
admin.site.site_title = "Coalición"

# Every page has its language in the URL (/es/…, /en/…); "/" sends the
# visitor to their language (LocaleMiddleware reads Accept-Language).
urlpatterns = i18n_patterns(
    path("", plan_views.home, name="home"),
    path("plans/", include("coalicion.plans.urls")),
    path("members/", include("coalicion.membership.urls")),
    path("legal/", include("coalicion.legal.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)
