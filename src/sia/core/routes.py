"""URL patterns for a model's standard pages, named ``<model>_list``, ``<model>``, ``<model>_add`` ..."""

from django.urls import path

SUFFIXES = {
    "list": "",
    "add": "tambah/",
    "detail": "<int:pk>/",
    "edit": "<int:pk>/ubah/",
    "delete": "<int:pk>/hapus/",
    "history": "<int:pk>/riwayat/",
    "toggle": "<int:pk>/status/",
}


def object_routes(segment: str, model_name: str, **views) -> list:
    patterns = []
    for action, view in views.items():
        name = model_name if action == "detail" else f"{model_name}_{action}"
        patterns.append(path(f"{segment}/{SUFFIXES[action]}", view.as_view(), name=name))
    return patterns
