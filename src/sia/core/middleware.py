import uuid

from django.middleware.gzip import GZipMiddleware

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


class IndonesianFirstLocaleMiddleware:
    """Bahasa Indonesia unless the user chose English with the switch (the language cookie).

    Django's own LocaleMiddleware would follow the browser's Accept-Language, so most browsers
    would get English; SIA's users work in Indonesian first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        translation.deactivate()
        return response


class TextCompressionMiddleware(GZipMiddleware):
    """Gzips HTML, JSON, CSV and other text answers; leaves files that are binary or already packed alone.

    Pages are 20-28 KB raw and 3-5 KB gzipped, which matters on island 3G links. Downloads of evidence,
    workbooks and archives (PDF, XLSX, ZIP, images) gain little and would lose their Content-Length,
    so the browser could no longer show their progress. BREACH: Django's GZipMiddleware (since 4.2)
    pads every gzipped answer with a random-length file name (up to ``max_random_bytes``), and the CSRF
    token in pages is masked afresh for every response, so the compressed length leaks no secret.
    """

    TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml",
                  "application/problem+json", "application/vnd.oai.openapi", "image/svg+xml")

    def process_response(self, request, response):
        content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
        if not content_type.startswith(self.TEXT_TYPES):
            return response
        return super().process_response(request, response)
