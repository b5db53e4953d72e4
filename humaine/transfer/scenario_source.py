"""Case studies from application scenarios: what transfer reads of a scenario.

Registered as ``case_studies.SCENARIO_SOURCES["scenarios"]`` when the scenarios app is
installed. It reads only what the scenarios app's access rules let the user see, and
outcome figures only as the scenario's results show them (groups below the anonymity
threshold stay withheld): the "all" row of each scale in the latest wave beside the
baseline.
"""

from __future__ import annotations

from django.utils.translation import get_language

from .case_studies import Outcome, ScenarioFacts

MAX_CHOICES = 300


def choices(user) -> list[tuple[str, str]]:
    from humaine.scenarios import access

    scenarios = access.scenarios_visible_to(user).select_related("organisation")
    return [(str(s.pk), f"{s.title} ({s.organisation.name})")
            for s in scenarios.order_by("-created_at")[:MAX_CHOICES]]  # fmt: skip


def _approach(scenario) -> str:
    lines = [f"- {d.title}: {d.reasons}" for d in scenario.decisions.order_by("decided_on", "pk")]
    return "\n".join(lines[:12])


def _outcomes(scenario, language: str) -> list[Outcome]:
    from humaine.scenarios.library import current_library
    from humaine.scenarios.results import ALL, survey_results

    library = current_library()
    out = []
    for survey in scenario.surveys.order_by("pk"):
        results = survey_results(survey)
        for scale in results.scales:
            shown = [(block, next((c for c in block.cells if c.key == ALL and c.shown), None))
                     for block in scale.waves]  # fmt: skip
            shown = [(block, cell) for block, cell in shown if cell and cell.summary]
            if not shown:
                continue
            block, cell = shown[-1]
            try:
                title = getattr(library.scale(scale.scale).title, language)
            except Exception:  # noqa: BLE001 - a scale the library no longer has keeps its id
                title = scale.scale
            value = f"{cell.summary.mean:.2f} (n = {cell.n})"
            change = next((c for c in block.changes if c.key == ALL and c.shown and c.change), None)
            if change is not None:
                value += f", {change.change.difference:+.2f}"
            out.append(Outcome(f"{title} – {survey.title}", value))
    return out


def _ai_outcomes(scenario, user) -> list[Outcome]:
    """The AI's own figures other apps contribute (``scenarios.outcome_sources``)."""
    from humaine.scenarios.outcome_sources import ai_figures

    return [
        Outcome(f"{figure.label} – {entry.source.title}",
                f"{figure.value} ({figure.note})" if figure.note else str(figure.value))
        for entry in ai_figures(scenario, user)
        for figure in entry.figures
    ]  # fmt: skip


def facts(user, reference: str) -> ScenarioFacts | None:
    from humaine.scenarios import access

    if not str(reference).isdigit():
        return None
    scenario = (
        access.scenarios_visible_to(user)
        .select_related("organisation", "sector")
        .filter(pk=int(reference))
        .first()
    )
    if scenario is None:
        return None
    language = "en" if (get_language() or "de").startswith("en") else "de"
    methods = [f"{s.title}" for s in scenario.surveys.order_by("pk")]
    return ScenarioFacts(
        reference=str(scenario.pk),
        title=scenario.title,
        language=language,
        organisation=scenario.organisation,
        sectors=(scenario.sector,),
        goal=scenario.goal,
        approach=_approach(scenario) or scenario.work_process,
        methods=tuple(methods),
        outcomes=tuple(_outcomes(scenario, language) + _ai_outcomes(scenario, user)),
    )
