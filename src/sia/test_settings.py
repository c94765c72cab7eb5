"""Settings for the test suite: the normal settings with SIA_ENV=test."""

import os

os.environ["SIA_ENV"] = "test"
os.environ.setdefault("SIA_AXES_ENABLED", "1")

from .settings import *  # noqa: E402,F401,F403

WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
