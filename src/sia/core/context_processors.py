from .navigation import menu_for
from .roles import Role


def sia(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    from .permissions import grants

    role_labels = sorted({Role(g.role).label for g in grants(user)}, key=str)
    return {"menu": menu_for(user, request.path), "user_roles": role_labels}
