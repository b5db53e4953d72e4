from django.db import models
from django.utils import timezone

from humaine.contact.models import Inquiry, Person


class RemarkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The remarks on the inquiries ``user`` may see."""
        return self.filter(inquiry__in=Inquiry.objects.visible_to(user))


class Remark(models.Model):
    """A remark on an inquiry, by a person of the hub."""

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = RemarkQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Remark {self.pk}"  # never its text: the label stays in the audit trail
