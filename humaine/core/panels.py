"""Panels: parts of one object's page that other capabilities contribute.

The inquiry's page (contact) shows matching's similar cases and the check's list of
checks without naming either: each registers a :class:`Panel` for the host model in its
``AppConfig.ready()``::

    panels.PANELS.register(Panel(
        "check", host="contact.inquiry", template="check/_inquiry_panel.html",
        visible=lambda user, inquiry: ..., context=inquiry_panel_context, order=20,
    ))

and the host page renders them with ``{% panels inquiry %}`` (``humaine`` tag library).
``visible(user, obj)`` decides who sees the panel (ask the app's access rules);
``context(request, obj)`` returns the template's context (``obj`` is always in it, also
under the host model's name, e.g. ``inquiry``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .registry import Registry

__all__ = ["Panel", "PANELS", "panels_for", "render_panels"]


@dataclass(frozen=True)
class Panel:
    name: str
    # the model whose page shows the panel, as "app_label.model_name" (lower case)
    host: str
    template: str
    visible: Callable[[Any, Any], bool]
    context: Callable[[Any, Any], dict] | None = None
    order: int = 100


PANELS: Registry[Panel] = Registry("panels")


def host_label(obj: Model) -> str:
    return obj._meta.label_lower


def panels_for(user, obj: Model) -> list[Panel]:
    """The panels registered for ``obj``'s model that ``user`` may see, in order."""
    label = host_label(obj)
    return [panel for panel in PANELS if panel.host == label and panel.visible(user, obj)]


def render_panels(request, obj: Model) -> SafeString:
    """Every visible panel of ``obj``'s page, each in a ``<div data-panel="name">``."""
    parts = []
    for panel in panels_for(request.user, obj):
        context = {"obj": obj, obj._meta.model_name: obj}
        if panel.context is not None:
            context |= panel.context(request, obj)
        html = render_to_string(panel.template, context, request=request)
        parts.append(f'<div data-panel="{panel.name}">{html}</div>')
    return mark_safe("\n".join(parts))  # noqa: S308 - rendered templates, names are ours
