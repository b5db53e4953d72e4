"""The hub's figures: staff's dashboard for any period with exports, and a public summary."""

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from humaine import policy
from humaine.check.pdf import pdf_response
from humaine.core.models import Hub

from .. import access, dashboard
from ..forms import PeriodForm, quarter_of

FORMATS = ("csv", "xlsx", "pdf")


def _period_form(request) -> PeriodForm:
    data = request.GET if request.GET.get("start") or request.GET.get("end") else None
    return PeriodForm(data, initial=PeriodForm.default_initial())


def _presets(today: date) -> list[tuple[str, date, date]]:
    q_start, q_end = quarter_of(today)
    last_q_start, last_q_end = quarter_of(q_start - timezone.timedelta(days=1))
    return [
        (_("This year"), date(today.year, 1, 1), today),
        (_("Last year"), date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)),
        (_("This quarter"), q_start, min(q_end, today)),
        (_("Last quarter"), last_q_start, last_q_end),
    ]


def _bounds(form: PeriodForm):
    if form.is_bound:
        return form.bounds() if form.is_valid() else None
    form = PeriodForm(form.initial)
    form.is_valid()
    return form.bounds()


@login_required
def figures_dashboard(request):
    policy.require(access.can_view_figures(request.user))
    form = _period_form(request)
    bounds = _bounds(form)
    period = dashboard.figures_for(*bounds) if bounds else None
    query = request.GET.urlencode() if form.is_bound and bounds else ""
    return render(
        request,
        "transfer/figures.html",
        {
            "form": form,
            "period": period,
            "presets": _presets(timezone.localdate()),
            "query": query,
        },
        status=200 if bounds else 400,
    )


def _header() -> list[str]:
    return [_("key"), _("figure"), _("breakdown"), _("value")]


@login_required
def figures_export(request, fmt):
    policy.require(access.can_view_figures(request.user))
    if fmt not in FORMATS:
        raise Http404
    form = _period_form(request)
    bounds = _bounds(form)
    if bounds is None:
        return render(
            request,
            "transfer/figures.html",
            {"form": form, "period": None, "presets": _presets(timezone.localdate())},
            status=400,
        )
    period = dashboard.figures_for(*bounds)
    hub = Hub.current()
    name = f"figures-{period.start.date():%Y-%m-%d}-{period.last_day:%Y-%m-%d}"
    if fmt == "csv":
        response = HttpResponse(
            dashboard.as_csv(period, _header()), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        title = _("Figures of %(hub)s") % {"hub": hub.name}
        response = HttpResponse(
            dashboard.as_xlsx(period, _header(), title),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        # rate-limited, one render slot of the installation, cached by content (check.pdf)
        context = {"period": period, "hub": hub}
        return pdf_response("transfer/figures_pdf.html", context, f"{name}.pdf", request)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def public_figures(request):
    """A few headline counts of the last twelve months, for everyone."""
    today = timezone.localdate()
    form = PeriodForm({"start": date(today.year - 1, today.month, 1), "end": today})
    form.is_valid()
    period = dashboard.figures_for(*form.bounds())
    headlines = [f for key in dashboard.HEADLINES if (f := period.get(key)) is not None]
    return render(
        request, "transfer/public_figures.html", {"period": period, "headlines": headlines}
    )
