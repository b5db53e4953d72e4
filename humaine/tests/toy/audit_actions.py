from django.utils.translation import gettext_lazy as _

from humaine.core.audit import Action

ACTIONS = (Action("remark.added", _("Remark added")),)
