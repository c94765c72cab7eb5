"""Django's makemessages, also extracting the aliases SIA's modules import (``gettext_lazy as _l``,
``gettext_lazy as _lazy``, ``gettext as _g``): xgettext knows only the standard names, so those labels stayed in
Indonesian in every other language."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_l", "--keyword=_lazy", "--keyword=_g"]
