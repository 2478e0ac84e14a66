from django.contrib import admin
from django.urls import include, path

from gemeinsinn.accounts.urls import auth_urlpatterns
from gemeinsinn.monitoring import views as monitoring_views

urlpatterns = [
    path("", monitoring_views.overview, name="home"),
    path("gebiete/", include("gemeinsinn.areas.urls")),
    path("", include("gemeinsinn.monitoring.urls")),
    path("verwaltung/", include("gemeinsinn.monitoring.staff_urls")),
    path("", include("gemeinsinn.servicerequests.urls")),
    path("", include("gemeinsinn.ideas.urls")),
    path("", include("gemeinsinn.surveys.urls")),
    path("", include("gemeinsinn.events.urls")),
    path("", include("gemeinsinn.assemblies.urls")),
    path("", include("gemeinsinn.planning.urls")),
    path("", include("gemeinsinn.socialreport.urls")),
    path("konto/", include(auth_urlpatterns)),
    path("konto/", include("gemeinsinn.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
