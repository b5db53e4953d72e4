from django import template

from humaine import policy
from humaine.core import navigation
from humaine.core.panels import render_panels

register = template.Library()


@register.filter
def readable_changes(event) -> list[dict]:
    """An audit event's changed fields with their names and choices in words."""
    from humaine.core.audit import readable_changes as readable

    return readable(event)


@register.filter
def has_role(user, role: str) -> bool:
    """``{% if user|has_role:"staff" %}``: asks the access policy."""
    return role in policy.roles(user)


@register.simple_tag(takes_context=True)
def nav(context, area: str):
    """``{% nav "public" as links %}``: the registered menu entries the user may see."""
    request = context.get("request")
    return navigation.entries_for(getattr(request, "user", None), area)


@register.simple_tag(takes_context=True)
def panels(context, obj):
    """``{% panels inquiry %}``: the panels other capabilities registered for this page."""
    return render_panels(context["request"], obj)


@register.inclusion_tag("core/_method_pages.html", takes_context=True)
def method_pages(context, key: str):
    """``{% method_pages "check:REC-HC-SURVEYS" %}``: where the hub describes the method."""
    from humaine.core.methods import pages_for

    request = context.get("request")
    return {"pages": pages_for(getattr(request, "user", None), [key]).get(key, [])}


@register.filter
def job_attempt(result) -> int:
    """The attempt number of a background job's result (1 for the first run)."""
    from humaine.core.jobs import attempt_of

    return attempt_of(result)


@register.inclusion_tag("core/_field.html")
def field(bound_field):
    """Render a form field with its label, help text and errors tied to it for screen readers."""
    described_by = []
    if bound_field.help_text:
        described_by.append(f"{bound_field.auto_id}_helptext")
    if bound_field.errors:
        described_by.append(f"{bound_field.auto_id}_errors")
    attrs = {"aria-describedby": " ".join(described_by)} if described_by else {}
    if bound_field.errors:
        attrs["aria-invalid"] = "true"
    if bound_field.field.required and bound_field.widget_type not in ("radioselect",):
        attrs["required"] = True
    return {"field": bound_field, "widget": bound_field.as_widget(attrs=attrs)}
