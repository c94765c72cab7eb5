"""The request being served, for code far from the view (history records, audit entries)."""

import contextvars
import uuid

_request_id: contextvars.ContextVar[uuid.UUID | None] = contextvars.ContextVar("sia_request_id", default=None)


def current_request_id() -> uuid.UUID | None:
    return _request_id.get()


def set_request_id(value: uuid.UUID | None):
    return _request_id.set(value)


def reset_request_id(token) -> None:
    _request_id.reset(token)


class action_scope:
    """Ties every change made inside the block to one request ID (an import, a command)."""

    def __init__(self, request_id: uuid.UUID | None = None):
        self.request_id = request_id or uuid.uuid4()

    def __enter__(self):
        self._token = set_request_id(self.request_id)
        return self.request_id

    def __exit__(self, *exc):
        reset_request_id(self._token)
        return False
