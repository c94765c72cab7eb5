"""A deleted architecture object is no longer a gap any kegiatan closes: its ``ActivityGap`` rows go with it (each
removal recorded in the kegiatan's history, the kegiatan at its next version), so no link names a row that is gone."""

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

    from . import review

    content_type = ContentType.objects.get_for_model(sender)
    for link in ActivityGap.objects.filter(content_type=content_type, object_id=instance.pk).select_related("activity"):
        link.delete()
        # the kegiatan's next version (an older read must not put the link back); its review stays as it is: the
        # one who deleted the object did not change the kegiatan's plan (the delete page named the kegiatan)
        review.part_written(link.activity, None, plan=False)
