from django.db.backends.signals import connection_created
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from . import pg_timestamps
from .request_context import current_request_id

connection_created.connect(pg_timestamps.install, dispatch_uid="sia.core.pg_timestamps")


@receiver(pre_create_historical_record)
def stamp_request_id(sender, history_instance, **kwargs):
    if hasattr(history_instance, "request_id"):
        history_instance.request_id = current_request_id()
