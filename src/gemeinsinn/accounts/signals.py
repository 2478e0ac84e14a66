from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from gemeinsinn.accounts import roles, services


@receiver(user_login_failed)
def remember_failed_login(sender, credentials, request=None, **kwargs):
    if request is not None:
        services.record_attempt("login", credentials.get("username", ""), request)


@receiver(user_logged_in)
def forget_failed_logins(sender, request, user, **kwargs):
    services.clear_failed_logins(user.get_username())


post_migrate.connect(roles.ensure_roles, dispatch_uid="gemeinsinn.accounts.roles")
