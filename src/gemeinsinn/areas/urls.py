from django.urls import path

from gemeinsinn.areas import views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("<slug:level>/<str:key>/", views.profile, name="profile"),
]
