from django.db.models.signals import post_save
from django.dispatch import receiver

from sia.organizations.models import Institution

from .values import seed_value_lists


@receiver(post_save, sender=Institution)
def give_new_institution_value_lists(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        seed_value_lists(instance)
