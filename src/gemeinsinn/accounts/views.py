"""Account pages: registration with e-mail confirmation, throttled login, privacy."""

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gemeinsinn.accounts import services
from gemeinsinn.accounts.forms import (
    DeleteAccountForm,
    RegistrationForm,
    ThrottledAuthenticationForm,
)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = ThrottledAuthenticationForm


def register(request):
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.register_citizen(
                request,
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                display_name=form.cleaned_data["display_name"],
                home_area=form.cleaned_data["home_area"],
            )
        except services.AccountError as error:
            form.add_error(None, str(error))
        else:
            return redirect("accounts:registered")
    return render(request, "accounts/register.html", {"form": form})


def registered(request):
    return render(request, "accounts/registered.html")


def confirm(request, token):
    try:
        user = services.confirm_email(token)
    except services.AccountError as error:
        return render(request, "accounts/confirm_failed.html", {"error": error}, status=400)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Ihre E-Mail-Adresse ist bestätigt. Willkommen!"))
    return redirect("accounts:privacy")


def privacy(request):
    data = services.personal_data(request.user) if request.user.is_authenticated else None
    return render(request, "accounts/privacy.html", {"data": data, "form": DeleteAccountForm()})


@login_required
def my_data(request):
    content = json.dumps(services.personal_data(request.user), ensure_ascii=False, indent=2)
    response = HttpResponse(content, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meine-daten.json"'
    return response


@login_required
def delete(request):
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_account(request.user, form.cleaned_data["password"])
        except services.AccountError as error:
            form.add_error("password", str(error))
        else:
            logout(request)
            messages.success(request, _("Ihr Konto und Ihre Daten wurden gelöscht."))
            return redirect("home")
    data = services.personal_data(request.user)
    return render(request, "accounts/privacy.html", {"data": data, "form": form}, status=400)
