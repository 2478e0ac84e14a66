"""When an account is deleted, its ideas and comments stay part of the public record (with
the administration's answers) but no longer name the person."""

from django.contrib.auth import get_user_model
from django.db.models.signals import pre_delete


def anonymise_contributions(sender, instance, **_kwargs) -> None:
    from gemeinsinn.ideas.models import Comment, Idea

    Idea.objects.filter(author=instance).update(author_name="", client_key="")
    Comment.objects.filter(author=instance).update(author_name="", client_key="")


def connect() -> None:
    pre_delete.connect(
        anonymise_contributions, sender=get_user_model(), dispatch_uid="ideas.anonymise"
    )
