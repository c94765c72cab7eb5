"""Settings for the test suite: the normal settings with SIA_ENV=test."""

import os

os.environ["SIA_ENV"] = "test"
os.environ.setdefault("SIA_AXES_ENABLED", "1")

from .settings import *  # noqa: E402,F401,F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# SIA_TEST_MEDIA_STORAGE=memory: every stored file in Django's InMemoryStorage, to show that no code reads a path
# under MEDIA_ROOT (what S3-compatible media of several application servers needs; docs/deployment.md).
if os.environ.get("SIA_TEST_MEDIA_STORAGE") == "memory":
    STORAGES = {**STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}  # noqa: F405
