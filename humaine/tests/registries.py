"""Helpers the registries' common tests share: the cast's users and objects by model."""

from django.apps import apps
from django.contrib.auth.models import AnonymousUser


def cast_users(cast) -> dict[str, object]:
    """Every role of the test cast, and a visitor without an account."""
    return {
        "visitor": AnonymousUser(),
        "staff": cast.staff,
        "admin": cast.admin,
        "member": cast.member,
        "other_member": cast.other_member,
        "expert": cast.expert_user,
    }


def objects_of(label: str) -> list:
    """Every object of the model ``app_label.model_name`` in the test database."""
    return list(apps.get_model(label).objects.order_by("pk"))
