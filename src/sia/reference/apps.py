from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "sia.reference"
    label = "reference"
    verbose_name = _("Arsitektur Referensi")

    def ready(self):
        from . import dashboard, demo, navigation, policies  # noqa: F401
        from .models import ReferenceNode
        from .signals import load_default_catalogs, national_node_deleted

        post_migrate.connect(load_default_catalogs, sender=self, dispatch_uid="sia.reference.load_default_catalogs")
        post_delete.connect(national_node_deleted, sender=ReferenceNode, dispatch_uid="sia.reference.national_node_deleted")
