from django.contrib.auth import views as auth_views
from django.urls import path

from gemeinsinn.accounts import views

app_name = "accounts"
urlpatterns = [
    path("registrieren/", views.register, name="register"),
    path("registrieren/gesendet/", views.registered, name="registered"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("datenschutz/", views.privacy, name="privacy"),
    path("meine-daten.json", views.my_data, name="my_data"),
    path("loeschen/", views.delete, name="delete"),
]

# login and logout keep their global names, used by Django's decorators and settings
auth_urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", auth_views.LogoutView.as_view(), name="logout"),
]
