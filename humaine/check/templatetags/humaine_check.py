from django import template
from django.utils.safestring import mark_safe

from humaine.core.i18n import active_language

from ..citations import cite
from ..markup import to_html

register = template.Library()


language = active_language


@register.filter
def local(text) -> str:
    """A catalogue text ``{de: .., en: ..}`` in the active language."""
    if text is None:
        return ""
    if isinstance(text, dict):
        return text.get(language()) or text.get("de", "")
    return text.get(language())


@register.filter
def markup(text: str) -> str:
    """A generated document (a small Markdown subset) as escaped HTML."""
    return mark_safe(to_html(text or ""))  # noqa: S308 - to_html escapes everything first


def _title(catalogue, section: str, entry_id: str) -> str:
    return catalogue.get(section, entry_id).title.get(language()) if entry_id else ""


@register.filter
def phase_title(catalogue, phase_id: str) -> str:
    return _title(catalogue, "phases", phase_id)


@register.filter
def criterion_title(catalogue, criterion_id: str) -> str:
    return _title(catalogue, "criteria", criterion_id)


@register.filter
def role_title(catalogue, role_id: str) -> str:
    return _title(catalogue, "roles", role_id) if catalogue.has("roles", role_id) else role_id


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def cited(obligation) -> str:
    """'AI Act Art. 26(7)' or 'Art. 26 Abs. 7 KI-VO': the law named once, as the
    active language cites it."""
    return cite(obligation.article, language(), law=obligation.law)


@register.filter
def source_shown(source) -> dict:
    """A recommendation's source as the active language cites it: ``text`` and ``lang``
    (the language the text is written in, for the ``lang`` attribute where it differs)."""
    lang = language()
    text, written_in = source.shown(lang)
    return {"text": text, "lang": written_in, "foreign": written_in != lang}


@register.filter
def citation(article: str) -> str:
    """A citation of the law ('Art. 6(3)(d)') as the active language writes it."""
    return cite(article, language())


@register.filter
def annex_iii_point(point: str) -> str:
    """An Annex III point ('4(a)') as the active language cites it."""
    return cite(f"Annex III point {point}", language())


@register.filter
def option_groups(field) -> list[dict]:
    """A choice field's checkboxes in the groups its question shows them in (see
    ``forms._option_groups``); the options in no group (``none of these``) last, untitled."""
    widgets = {str(choice.data["value"]): choice for choice in field}
    out = []
    for group in field.field.groups:
        choices = [widgets.pop(option) for option in group["options"] if option in widgets]
        out.append({**group, "choices": choices})
    if widgets:
        out.append({"id": "", "title": "", "typical": False, "choices": list(widgets.values())})
    return out
