"""Raw data of matching for hub staff: stored vectors and index versions (read only)."""

from django.contrib import admin

from .models import Embedding, IndexState


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Embedding)
class EmbeddingAdmin(ReadOnlyAdmin):
    list_display = ["kind", "object_id", "encoder", "fingerprint", "revision", "updated_at"]
    list_filter = ["kind", "encoder"]
    search_fields = ["object_id"]
    exclude = ["whole", "vectors"]


@admin.register(IndexState)
class IndexStateAdmin(ReadOnlyAdmin):
    list_display = ["kind", "revision", "generation"]
