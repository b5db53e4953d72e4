"""Private storage of the scenarios' files: never under MEDIA_URL, served only by views
that ask the access rules.

By default the file system under ``HUMAINE_DATA_DIR/private``; an operator who sets
``PRIVATE_STORAGE_BACKEND`` (e.g. ``storages.backends.s3.S3Storage`` from django-storages)
and ``PRIVATE_STORAGE_OPTIONS`` (JSON) gets that store instead (docs/operations.md).
"""

import secrets

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    """``STORAGES["private"]``, looked up when first used and again after a change."""

    def _setup(self):
        self._wrapped = storages["private"]


private = PrivateStorage()


def private_storage():
    """The storage of uploads that must not be public (what the file fields use)."""
    return private


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty


def upload_path(instance, filename: str) -> str:
    """A random name under the scenario's folder: the original name is kept in the row."""
    scenario_id = _scenario_id(instance)
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"scenarios/{scenario_id}/{secrets.token_hex(16)}.{suffix[:10]}"


def _scenario_id(instance) -> str:
    for path in ("file.scenario_id", "requirement.scenario_id", "scenario_id"):
        obj = instance
        try:
            for part in path.split("."):
                obj = getattr(obj, part)
        except AttributeError:
            continue
        if obj is not None:
            return str(obj)
    return "other"
