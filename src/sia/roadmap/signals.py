"""A deleted architecture object is no longer a gap any kegiatan closes: its ``ActivityGap`` rows go with it (each
removal recorded in the kegiatan's history), so no link names a row that is gone."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete
from django.dispatch import receiver


@receiver(post_delete, dispatch_uid="roadmap-gap-object-deleted")
def forget_deleted_gap(sender, instance, **kwargs):
    from sia.architecture.models import ArchitectureObject

    if not isinstance(instance, ArchitectureObject):
        return
    from .models import ActivityGap

    content_type = ContentType.objects.get_for_model(sender)
    for link in ActivityGap.objects.filter(content_type=content_type, object_id=instance.pk):
        link.delete()
