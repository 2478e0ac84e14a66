"""URLs of the Mängelmelder: the public pages, the staff queue and the Open311 GeoReport v2
server, the latter both under /open311/v2/ and /georeport/v2/ (the path German clients
know)."""

from django.urls import include, path, re_path

from gemeinsinn.servicerequests import api, staff, views

FORMAT = r"(?P<fmt>xml|json)"

open311_patterns = [
    re_path(rf"^discovery\.{FORMAT}$", api.discovery, name="discovery"),
    re_path(rf"^services\.{FORMAT}$", api.service_list, name="services"),
    re_path(rf"^services?/(?P<code>[^/]+)\.{FORMAT}$", api.service_definition, name="service"),
    re_path(rf"^requests\.{FORMAT}$", api.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[0-9]+)\.{FORMAT}$", api.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+)\.{FORMAT}$", api.token, name="token"),
    re_path(r"^(?P<rest>[\s\S]*)$", api.not_found),
]

app_name = "servicerequests"
urlpatterns = [
    path("maengelmelder/", views.report_list, name="reports"),
    path("maengelmelder/melden/", views.report_start, name="report"),
    path("maengelmelder/melden/angaben/", views.report_details, name="report_details"),
    path("maengelmelder/<int:pk>/", views.detail, name="detail"),
    path("maengelmelder/<int:pk>/unterstuetzen/", views.support, name="support"),
    path("maengelmelder/<int:pk>/rueckmeldung/<str:secret>/", views.feedback, name="feedback"),
    path("maengelmelder/fotos/<int:pk>.jpg", views.photo, name="photo"),
    path("maengelmelder/feed.atom", views.ReportFeed(), name="feed"),
    path("maengelmelder/statistik/", views.statistics_page, name="statistics"),
    path("maengelmelder/benachrichtigung/", views.alert_order, name="alert"),
    path(
        "maengelmelder/benachrichtigung/<str:token>/bestaetigen/",
        views.alert_confirm,
        name="alert_confirm",
    ),
    path(
        "maengelmelder/benachrichtigung/<str:token>/abbestellen/",
        views.alert_end,
        name="alert_end",
    ),
    path("verwaltung/maengelmelder/", staff.queue, name="queue"),
    path("verwaltung/maengelmelder/<int:pk>/", staff.detail, name="staff_detail"),
    path(
        "verwaltung/maengelmelder/kennzahlen/",
        staff.update_indicators,
        name="update_indicators",
    ),
    path("open311/v2/", include((open311_patterns, "open311"))),
    path("georeport/v2/", include((open311_patterns, "georeport"))),
]
