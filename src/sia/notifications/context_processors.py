"""The unread badge of the header: the signed-in user's unread count, asked only when a page draws it (one query;
their grants are read once per request already)."""

from django.utils.functional import SimpleLazyObject


def unread(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .services import unread_count

    return {"notifications_unread": SimpleLazyObject(lambda: unread_count(user))}
