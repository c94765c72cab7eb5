from sia.core.demo import register_demo

from .loader import ensure_default_catalogs


@register_demo(5, "Arsitektur referensi")
def load_reference_catalogs() -> str:
    return ensure_default_catalogs()
