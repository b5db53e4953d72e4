from django import template
from django.utils.translation import gettext_lazy as _

from ..models import Maturity

register = template.Library()

FACETS = {
    "kind": _("Kind"),
    "maturity": _("Maturity"),
    "sector": _("Sector"),
    "discipline": _("Discipline"),
}


@register.simple_tag
def facet_title(name: str) -> str:
    return str(FACETS.get(name, name))


@register.inclusion_tag("transfer/_maturity.html")
def maturity(value):
    """The maturity step as five boxes and its name."""
    if value is None:
        return {"maturity": 0, "label": "", "steps": range(1, 6)}
    return {"maturity": int(value), "label": Maturity(int(value)).label, "steps": range(1, 6)}


@register.filter
def in_language(texts: dict, language: str) -> str:
    """``{"de": ..., "en": ...}`` in ``language``, else in the other language."""
    if not texts:
        return ""
    return texts.get(language) or texts.get("en" if language == "de" else "de", "")
