"""What the ideas app stores about a person, for the privacy page and download."""

from gemeinsinn.ideas.models import Comment, Follow, Idea, Support


def personal_data(user) -> dict:
    return {
        "ideen": [
            {"titel": i.title, "text": i.text, "eingereicht_am": i.created_at.isoformat()}
            for i in Idea.objects.filter(author=user).order_by("created_at")
        ],
        "kommentare": [
            {"idee": c.idea.title, "text": c.text, "am": c.created_at.isoformat()}
            for c in Comment.objects.filter(author=user).select_related("idea")
        ],
        "unterstuetzt": sorted(
            Support.objects.filter(user=user).values_list("idea__title", flat=True)
        ),
        "folgt": sorted(Follow.objects.filter(user=user).values_list("idea__title", flat=True)),
    }
