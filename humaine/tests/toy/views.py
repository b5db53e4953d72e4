from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from humaine import policy
from humaine.contact import access as contact_access

from . import access, services


@login_required
def remarks(request):
    listed = access.remarks_visible_to(request.user).select_related("inquiry")
    return render(request, "toy/remarks.html", {"remarks": listed})


@require_POST
@login_required
def count_words(request, pk: int):
    inquiry = contact_access.get_inquiry_for_user(request.user, pk)
    policy.require(access.can_remark_on(request.user, inquiry))
    record = services.request_word_count(inquiry, actor=request.user)
    return redirect("core:progress", record.pk)
