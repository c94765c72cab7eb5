from django.db import transaction
from django.db.models import ProtectedError
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import policies
from .models import AssessmentTeamMember, Evidence, EvidenceFile


@receiver(post_delete, sender=Evidence)
def drop_unused_blob(sender, instance, **kwargs):
    """A stored file that no evidence links to any more is deleted (the file after the commit), unless a record of an
    app above still holds it (a governance document's file: ``on_delete=PROTECT``)."""
    if instance.blob_id is None:
        return
    blob = EvidenceFile.objects.filter(pk=instance.blob_id).first()
    if blob is None or blob.links.exists():
        return
    name, storage = blob.file.name, blob.file.storage
    try:
        blob.delete()
    except ProtectedError:  # raised before anything is deleted
        return
    transaction.on_commit(lambda: storage.delete(name))


@receiver(post_save, sender=AssessmentTeamMember)
@receiver(post_delete, sender=AssessmentTeamMember)
def team_changed(sender, instance, **kwargs):
    policies.forget_teams()
