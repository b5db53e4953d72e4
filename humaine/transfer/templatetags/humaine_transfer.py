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


@register.filter
def recommendation_titles(ids) -> str:
    """The check's recommendations by their titles in the reader's language (ids the
    catalogue no longer has are left out)."""
    from humaine.check.catalogue import default_catalogue
    from humaine.core.i18n import active_language

    catalogue, lang = default_catalogue(), active_language()
    return "; ".join(
        catalogue.get("recommendations", rid).title.get(lang)
        for rid in ids or []
        if catalogue.has("recommendations", rid)
    )


@register.filter
def shown_in(version, field: str = "title") -> str:
    """The language a version's ``field`` is shown in: the reader's if written in it, else
    the one it is written in (for the ``lang`` attribute of the text)."""
    from humaine.core.i18n import active_language

    for lang in (active_language(), "de", "en"):
        if getattr(version, f"{field}_{lang}", ""):
            return lang
    return active_language()
