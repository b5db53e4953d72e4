from django import template
from django.utils.formats import number_format
from django.utils.safestring import mark_safe

from ..kinds import get_kind
from ..process_model import default_process_model
from ..selectors import lang

register = template.Library()


@register.filter
def text(value) -> str:
    """A data text ``{de: .., en: ..}`` in the active language."""
    if value is None:
        return ""
    return value.get(lang())


@register.filter
def num(value, digits: int = 2) -> str:
    """A figure with ``digits`` decimals in the active language's format ("–" for none)."""
    if value is None or value == "":
        return "–"
    return number_format(round(float(value), int(digits)), int(digits))


@register.filter
def signed(value, digits: int = 2) -> str:
    if value is None:
        return "–"
    return ("+" if value > 0 else "") + number_format(round(float(value), int(digits)), int(digits))


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{round(100 * float(value))} %"


@register.filter
def role_title(role_id: str) -> str:
    model = default_process_model()
    return model.role(role_id).title.get(lang()) if model.has_role(role_id) else role_id


@register.filter
def position_label(position: str) -> str:
    """A gate position ("agree", "conditions", "object") in words."""
    from ..models import GatePosition

    return str(dict(GatePosition.Position.choices).get(position, position))


@register.filter
def codetermination_titles(ids) -> str:
    """The check's co-determination rights by their titles (e.g. § 87 Abs. 1 Nr. 6 BetrVG)."""
    from humaine.check.catalogue import default_catalogue

    catalogue = default_catalogue()
    return ", ".join(
        catalogue.get("codetermination", cid).title.get(lang())
        if catalogue.has("codetermination", cid)
        else cid
        for cid in ids or []
    )


@register.filter
def phase_title(phase_id: str) -> str:
    model = default_process_model()
    return model.phase(phase_id).title.get(lang()) if model.has_phase(phase_id) else ""


@register.simple_tag
def item_url(scenario, kind: str, pk) -> str:
    return get_kind(kind).url(scenario.pk, pk)


@register.filter
def svg(markup: str) -> str:
    """Our own generated SVG charts (every label escaped when built)."""
    return mark_safe(markup or "")  # noqa: S308 - charts.py escapes every text it writes


@register.filter
def verb(code: str) -> str:
    from ..feed import verb_text

    return verb_text(code)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def field_named(form, name: str):
    return form[name]


@register.filter
def source_of(library, item_id: str):
    return library.source_of(item_id)
