"""Documents generated from a check's record, as markdown in German or English.

The texts live in ``catalogue/documents.yaml``; this module fills them from the case
profile and its classification. The hub renders them to HTML and PDF.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from humaine.check.catalogue import Catalogue, default_catalogue
from humaine.check.citations import cite
from humaine.check.classify import Classification
from humaine.check.profile import CaseProfile


class _Fill(dict):
    """Leaves unknown placeholders visible instead of failing."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _t(cat: Catalogue, key: str, lang: str) -> str:
    return cat.document_texts[key].get(lang)


def _render(cat: Catalogue, doc: str, lang: str, values: dict[str, Any]) -> str:
    template = cat.get("documents", doc).text.get(lang)
    return template.format_map(_Fill(values)).strip() + "\n"


def _functions(cat: Catalogue, profile: CaseProfile, lang: str) -> str:
    if not profile.functions:
        return _t(cat, "placeholder_purpose", lang)
    return "\n".join(f"- {cat.get('functions', f).title.get(lang)}" for f in profile.functions)


def _data(cat: Catalogue, profile: CaseProfile, lang: str) -> str:
    if profile.processes_personal_data is None:
        return _t(cat, "data_unknown", lang)
    if not profile.processes_personal_data:
        return _t(cat, "data_none", lang)
    text = _t(cat, "data_personal", lang)
    if profile.special_category_data:
        text += " " + _t(cat, "data_special", lang)
    return text


def _exclusions(cat: Catalogue, profile: CaseProfile, lang: str) -> str:
    functions = set(profile.functions)
    keys = []
    if not functions & {"worker_monitoring_evaluation", "task_allocation_individual"}:
        keys.append("exclusion_monitoring")
    keys.append("exclusion_decisions")
    if not ("emotion_recognition_workers" in functions and profile.medical_or_safety_purpose):
        keys.append("exclusion_emotion")
    keys += ["exclusion_purpose", "exclusion_transfer"]
    return "\n".join(_t(cat, k, lang) for k in keys)


def _council_active(classification: Classification, profile: CaseProfile) -> bool:
    return profile.works_council == "yes" and profile.country == "DE" and not profile.public_body


def _common(
    cat: Catalogue,
    profile: CaseProfile,
    classification: Classification,
    lang: str,
    organisation: str | None,
    system: str | None,
) -> dict[str, Any]:
    return {
        "organisation": organisation or _t(cat, "placeholder_organisation", lang),
        "system": system or _t(cat, "placeholder_system", lang),
        "purpose": profile.purpose or _t(cat, "placeholder_purpose", lang),
        "functions": _functions(cat, profile, lang),
        "data": _data(cat, profile, lang),
        "exclusions": _exclusions(cat, profile, lang),
        "disclaimer": classification.disclaimer.get(lang),
    }


def worker_notice(
    profile: CaseProfile,
    classification: Classification,
    lang: str = "de",
    organisation: str | None = None,
    system: str | None = None,
    start: dt.date | None = None,
    today: dt.date | None = None,
    catalogue: Catalogue | None = None,
) -> str:
    """Draft the notice to affected workers and their representatives (Art. 26(7))."""
    cat = catalogue or default_catalogue()
    council = _council_active(classification, profile)
    obligations = [o for o in classification.obligations if o.law == "AI Act" and o.own]
    duties = "\n".join(f"- {cite(o.article, lang)}: {o.title.get(lang)}" for o in obligations)
    values = _common(cat, profile, classification, lang, organisation, system)
    values.update(
        recipients=_t(cat, "recipients_council" if council else "recipients_no_council", lang),
        date=(today or dt.date.today()).isoformat(),
        start=start.isoformat() if start else _t(cat, "placeholder_date", lang),
        legal_basis=_t(
            cat,
            "legal_basis_high"
            if any(o.id == "art26_7" for o in classification.obligations)
            else "legal_basis_voluntary",
            lang,
        ),
        decision_role=_t(cat, f"decision_{profile.decision_role}", lang),
        council_line=_t(cat, "council_line", lang) if council else "",
        classification=f"**{classification.risk_label.get(lang)}**\n\n{duties}".strip(),
    )
    return _render(cat, "worker_notice", lang, values)


def codetermination_steps(
    profile: CaseProfile,
    classification: Classification,
    lang: str = "de",
    system: str | None = None,
    catalogue: Catalogue | None = None,
) -> str:
    """List the co-determination steps in their order, with what follows from each."""
    cat = catalogue or default_catalogue()
    flags = sorted(classification.codetermination, key=lambda f: f.step)
    lines = []
    for flag in flags:
        status = _t(cat, "step_applies" if flag.status == "applies" else "step_check", lang)
        line = f"**{flag.norm}: {flag.title.get(lang)}** ({status}). {flag.consequence.get(lang)}"
        if flag.note is not None and flag.status == "check":
            line += f" _{flag.note.get(lang)}_"
        lines.append(line)
    if any(o.id == "art26_7" for o in classification.obligations):
        lines.append(_t(cat, "step_notice", lang))
    elif profile.used_at_workplace is not False:
        lines.append(_t(cat, "step_notice_voluntary", lang))
    if flags:
        lines.append(_t(cat, "step_evaluate", lang))
    steps = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, 1))
    if not flags:
        steps = _t(cat, "no_steps", lang) + ("\n\n" + steps if steps else "")
    notes = [f.note for f in flags if f.note is not None and f.status == "applies"]
    status = (
        _t(cat, "status_council", lang)
        if _council_active(classification, profile)
        else (notes[0].get(lang) if notes else "")
    )
    values = {
        "system": system or _t(cat, "placeholder_system", lang),
        "status": f"**{_t(cat, 'status_heading', lang)}:** {status}".strip(),
        "steps": steps,
        "disclaimer": classification.disclaimer.get(lang),
    }
    return _render(cat, "codetermination_steps", lang, values)


def works_agreement_outline(
    profile: CaseProfile,
    classification: Classification,
    lang: str = "de",
    organisation: str | None = None,
    system: str | None = None,
    catalogue: Catalogue | None = None,
) -> str:
    """Outline a works agreement on the AI system."""
    cat = catalogue or default_catalogue()
    consent = [f.norm for f in classification.codetermination if f.kind == "consent"]
    norms = ", ".join(dict.fromkeys([*consent, "§ 77 BetrVG"]))
    values = _common(cat, profile, classification, lang, organisation, system)
    values.update(
        norms=norms,
        functions=", ".join(cat.get("functions", f).title.get(lang) for f in profile.functions)
        or _t(cat, "placeholder_purpose", lang),
        human_final_say=_t(
            cat,
            "human_final_say_auto" if profile.decision_role == "decides" else "human_final_say",
            lang,
        ),
        art26_7=_t(
            cat,
            "art26_7_yes"
            if any(o.id == "art26_7" for o in classification.obligations)
            else "art26_7_no",
            lang,
        ),
        review_1=_t(cat, "review_1", lang),
        review_2=_t(cat, "review_2", lang),
    )
    return _render(cat, "works_agreement", lang, values)
