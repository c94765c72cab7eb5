import uuid

from .request_context import reset_request_id, set_request_id


class RequestIDMiddleware:
    """Gives every request an ID that the audit trail records with each change it makes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4()
        token = set_request_id(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = str(request.request_id)
        return response
