"""The PDF of a run's report, made with the check's renderer (:mod:`humaine.check.pdf`).

The same figures as the run's page, with the plots embedded as SVG: headline figures,
coverage curve, calibration, workload, fairness by group and, for a run built from a
service's records, its comparison with the active version. Per-person figures (the table,
the workload plot, the deployment sentence naming persons) are in the PDF only for
readers who see every person; everyone else who sees the run gets it without them.

PDFs are cached by what they are made from (the run's stored figures, the variant with or
without persons, the language, the day) and rate-limited per client address like the
check's PDFs; erasing a person deletes the cached PDFs of the scenario's runs
(:func:`forget`).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from humaine.check.pdf import forget as forget_owner
from humaine.check.pdf import inputs_key, pdf_response

from . import access as rules
from . import rebuild, report
from .models import Run


def owner(run: Run) -> str:
    return f"human_ai.run:{run.pk}"


def forget(run: Run) -> None:
    """Delete every cached PDF of ``run`` (its figures changed, or a person was erased)."""
    forget_owner(owner(run))


def _context(run: Run, access) -> dict:
    every = access.sees_every_person
    shown, _withheld = report.persons(run, access) if every else ([], True)
    figures = rebuild.comparison(run)
    context = {
        "run": run,
        "sees_every_person": every,
        "persons": shown,
        "headline": report.headline(run),
        "method_reason": report.method_reason(run),
        "aggregate": report.aggregate(run),
        "coverage_chart": report.coverage_chart(run),
        "calibration_chart": report.calibration_chart(run),
        "workload_chart": report.workload_chart(shown, run.person_capacity) if shown else "",
        "groups": report.groups(run),
        "deployment_message": "",
        "comparison": None,
    }
    if every:
        key = "message_de" if (get_language() or "de").startswith("de") else "message_en"
        context["deployment_message"] = ((run.evaluation or {}).get("deployment") or {}).get(
            key
        ) or ""
    if figures:
        context["comparison"] = {
            "version": run.baseline,
            "service": run.baseline.service,
            "figures": figures,
            "rows": rebuild.rows(figures) if figures.get("active") else [],
        }
    return context


def _inputs(run: Run, access) -> str:
    stored = json.dumps([run.evaluation, run.result, run.files], sort_keys=True, default=str)
    return inputs_key(
        "human_ai.run",
        run.pk,
        run.number,
        str(run.dataset),
        stored,
        run.baseline_id,
        access.sees_every_person,
        get_language(),
        timezone.localdate(),
    )


@login_required
def run_pdf(request, pk, run_pk):
    """The run's report as a PDF (404 for who does not see the run, and for an unfinished
    run; per-person figures only for those who see every person)."""
    access, the_run = rules.get_run_for_user(request.user, pk, run_pk)
    if the_run.status != Run.Status.DONE:
        raise Http404
    variant = "persons" if access.sees_every_person else "aggregate"
    return pdf_response(
        "human_ai/run_pdf.html",
        lambda: _context(the_run, access),
        f"run-{the_run.number}-report-{variant}.pdf",
        request,
        owner=owner(the_run),
        inputs=_inputs(the_run, access),
    )
