"""What the scenarios' views share: the scenario's sub-navigation and form helpers."""

from django.contrib import messages
from django.shortcuts import render

from ..kinds import kinds
from ..selectors import lang

SECTIONS = [
    ("workspace", "scenarios:workspace"),
    ("process", "scenarios:process"),
    ("members", "scenarios:members"),
    ("groups", "scenarios:groups"),
    ("items", "scenarios:items"),
    ("checks", "scenarios:checks"),
    ("surveys", "scenarios:surveys"),
    ("outcomes", "scenarios:outcomes"),
    ("literacy", "scenarios:literacy"),
    ("activity", "scenarios:activity"),
    ("report", "scenarios:report"),
]


def page(
    request, template: str, access, section: str, context: dict | None = None, status: int = 200
):
    """Render a page of a scenario with its navigation and the user's rights."""
    base = {
        "scenario": access.scenario,
        "access": access,
        "section": section,
        "lang": lang(),
        "item_kinds": [k for k in kinds() if k.visible(access)],
    }
    return render(request, template, base | (context or {}), status=status)


def status_of(*forms) -> int:
    return 400 if any(f is not None and f.errors for f in forms) else 200


def fail(request, error) -> None:
    messages.error(request, str(error))
