from .navigation import menu_for
from .roles import Role


def sia(request):
    """The menu and the reader's roles. Computed once per request: a page's panels rendered with the request
    (``render_to_string(..., request=request)``) run the context processors again."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"menu": []}
    cached = getattr(request, "_sia_context", None)
    if cached is not None and cached[0] is user and cached[1] == request.path:
        return cached[2]
    from .permissions import grants

    role_labels = sorted({Role(g.role).label for g in grants(user)}, key=str)
    values = {"menu": menu_for(user, request.path), "user_roles": role_labels}
    request._sia_context = (user, request.path, values)
    return values
