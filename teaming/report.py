"""One self-contained HTML report per evaluation, with inline SVG plots (matplotlib)."""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["PERSONS_SHOWN", "person_names", "render_report", "write_report"]

_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;
margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:1rem 0}
th,td{padding:.3rem .7rem;border-bottom:1px solid #e5e5e5;text-align:right}
th:first-child,td:first-child{text-align:left}figure{margin:1rem 0}
figcaption{font-size:.9rem;color:#444}.note{color:#444;font-size:.95rem}
"""


def _svg(fig: Any) -> str:
    import matplotlib.pyplot as plt

    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def _figure(title: str) -> tuple[Any, Any]:
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.8))
    ax.set_title(title, fontsize=11)
    ax.grid(alpha=0.3)
    return fig, ax


_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Human-AI team: evaluation",
        "intro": (
            "{n} held-out cases; method <strong>{method}</strong>; capacity of people {cap}, "
            "audit share {audit}. {deferred} cases deferred, {audited} audited, {second} "
            "flagged for a second look. AI calibration: {calibration}, ECE {ece}."
        ),
        "headline": "Headline figures",
        "approach": "approach",
        "accuracy": "accuracy",
        "interval": "95 % interval",
        "share": "share to people",
        "cases": "cases",
        "team": "team ({method})",
        "baseline": "least confident to the best person",
        "ai": "AI alone",
        "practice": "current practice (majority of recorded decisions)",
        "base_rate": "always “{label}” (most frequent class)",
        "oracle": "oracle (anyone available right)",
        "ties": "{n} cases with tied recorded decisions count as a fair draw among the tied "
        "classes.",
        "adds": "What the person models add",
        "adds_body": (
            "The simple baseline keeps the AI's decision except on its least confident cases "
            "(up to the capacity), which go to the person with the best overall accuracy. On "
            "the same cases the team is {diff} against it{ci}, and {diff_ai} against the AI "
            "alone."
        ),
        "adds_ci": " (95 % interval {range})",
        "pp": "{value} percentage points",
        "choice": "How the method was chosen",
        "features": "Features used",
        "feature": "feature",
        "kind": "kind",
        "numeric": "number",
        "categorical": "category",
        "text": "text",
        "no_features": "The AI is an existing model given by its scores; no features.",
        "leaks": "Suspected leaks",
        "coverage": "Coverage curve",
        "coverage_caption": (
            "Team accuracy as the share of cases people may take goes from 0 to 100 % (no audit)."
        ),
        "calibration": "Calibration",
        "calibration_caption": (
            "Confidence of the AI against its accuracy in bins; the dashed line is perfect "
            "calibration."
        ),
        "people": "People",
        "aggregate": (
            "{n} persons decided between {lo} and {hi} of the held-out cases (median {median}); "
            "their accuracy on the cases they decided lies between {acc_lo} and {acc_hi} "
            "(median {acc_median}). Per-person figures are shown only when asked for "
            "(persons='pseudonymous' or 'named')."
        ),
        "no_people": "No person decided any of these cases.",
        "person": "person",
        "decided": "decided",
        "routed": "share of all cases routed",
        "routed_accuracy": "accuracy on routed cases",
        "person_note": (
            "Accuracy on the cases each person decided, with a Wilson 95 % interval: few cases "
            "give a wide interval."
        ),
        "pile_named": (
            "Routed as new cases with everybody available, {name} would get {share} of the "
            "{n} deferred cases; to spread them, limit each person to about {limit} of the "
            "cases (person_capacity={limit_value})."
        ),
        "pile_anon": (
            "Routed as new cases with everybody available, one person would get {share} of "
            "the {n} deferred cases; to spread them, limit each person to about {limit} of the "
            "cases (person_capacity={limit_value})."
        ),
        "spread": (
            "Routed as new cases with everybody available, no person would get more than "
            "{share} of the {n} deferred cases."
        ),
        "groups": "Groups",
        "plot_coverage": "Team accuracy against the share of cases given to people",
        "plot_coverage_x": "share of cases handled by people",
        "plot_accuracy": "accuracy",
        "plot_team": "team",
        "plot_oracle": "oracle",
        "plot_reliability": "Reliability of the AI's confidence",
        "plot_perfect": "perfect",
        "plot_calibrated": "AI (calibrated)",
        "plot_confidence": "confidence",
        "plot_workload": "Workload per person (share of all cases)",
        "plot_share": "share of cases",
        "plot_group": "Per group of {col}",
        "plot_group_accuracy": "team accuracy",
        "plot_group_share": "share to people",
        "pseudonym": "person {k}",
    },
    "de": {
        "title": "Mensch-KI-Team: Auswertung",
        "intro": (
            "{n} zurückgehaltene Fälle; Methode <strong>{method}</strong>; Kapazität der "
            "Personen {cap}, Prüfanteil {audit}. {deferred} Fälle an Personen gegeben, "
            "{audited} zur Prüfung, {second} für einen zweiten Blick markiert. Kalibrierung "
            "der KI: {calibration}, ECE {ece}."
        ),
        "headline": "Die wichtigsten Kennzahlen",
        "approach": "Vorgehen",
        "accuracy": "Trefferquote",
        "interval": "95-%-Intervall",
        "share": "Anteil an Personen",
        "cases": "Fälle",
        "team": "Team ({method})",
        "baseline": "unsicherste Fälle an die beste Person",
        "ai": "KI allein",
        "practice": "bisherige Praxis (Mehrheit der erfassten Entscheidungen)",
        "base_rate": "immer „{label}“ (häufigste Klasse)",
        "oracle": "Orakel (richtig, wenn irgendjemand Verfügbares richtig liegt)",
        "ties": "{n} Fälle mit Gleichstand der erfassten Entscheidungen zählen als faire "
        "Auslosung unter den gleichauf liegenden Klassen.",
        "adds": "Was die Modelle der Personen beitragen",
        "adds_body": (
            "Die einfache Vergleichsregel behält die Entscheidung der KI außer bei ihren "
            "unsichersten Fällen (bis zur Kapazität), die an die Person mit der besten "
            "Trefferquote insgesamt gehen. Auf denselben Fällen liegt das Team {diff} "
            "gegenüber dieser Regel{ci} und {diff_ai} gegenüber der KI allein."
        ),
        "adds_ci": " (95-%-Intervall {range})",
        "pp": "{value} Prozentpunkte",
        "choice": "Wie die Methode gewählt wurde",
        "features": "Verwendete Merkmale",
        "feature": "Merkmal",
        "kind": "Art",
        "numeric": "Zahl",
        "categorical": "Kategorie",
        "text": "Text",
        "no_features": "Die KI ist ein vorhandenes Modell, gegeben durch seine Werte; keine "
        "Merkmale.",
        "leaks": "Vermutete Lecks",
        "coverage": "Abdeckungskurve",
        "coverage_caption": (
            "Trefferquote des Teams, wenn der Anteil der Fälle, den Personen übernehmen "
            "dürfen, von 0 bis 100 % steigt (ohne Prüfanteil)."
        ),
        "calibration": "Kalibrierung",
        "calibration_caption": (
            "Sicherheit der KI gegen ihre Trefferquote in Klassen; die gestrichelte Linie ist "
            "perfekte Kalibrierung."
        ),
        "people": "Personen",
        "aggregate": (
            "{n} Personen haben zwischen {lo} und {hi} der zurückgehaltenen Fälle entschieden "
            "(Median {median}); ihre Trefferquote auf diesen Fällen liegt zwischen {acc_lo} "
            "und {acc_hi} (Median {acc_median}). Kennzahlen je Person erscheinen nur auf "
            "Wunsch (persons='pseudonymous' oder 'named')."
        ),
        "no_people": "Keine Person hat einen dieser Fälle entschieden.",
        "person": "Person",
        "decided": "entschieden",
        "routed": "Anteil aller Fälle zugeteilt",
        "routed_accuracy": "Trefferquote auf zugeteilten Fällen",
        "person_note": (
            "Trefferquote auf den Fällen, die jede Person entschieden hat, mit 95-%-Intervall "
            "nach Wilson: wenige Fälle ergeben ein breites Intervall."
        ),
        "pile_named": (
            "Als neue Fälle verteilt, mit allen Personen verfügbar, bekäme {name} {share} der "
            "{n} an Personen gegebenen Fälle; um sie zu verteilen, jede Person auf etwa "
            "{limit} der Fälle begrenzen (person_capacity={limit_value})."
        ),
        "pile_anon": (
            "Als neue Fälle verteilt, mit allen Personen verfügbar, bekäme eine Person {share} "
            "der {n} an Personen gegebenen Fälle; um sie zu verteilen, jede Person auf etwa "
            "{limit} der Fälle begrenzen (person_capacity={limit_value})."
        ),
        "spread": (
            "Als neue Fälle verteilt, mit allen Personen verfügbar, bekäme keine Person mehr "
            "als {share} der {n} an Personen gegebenen Fälle."
        ),
        "groups": "Gruppen",
        "plot_coverage": "Trefferquote des Teams gegen den Anteil der Fälle bei Personen",
        "plot_coverage_x": "Anteil der Fälle bei Personen",
        "plot_accuracy": "Trefferquote",
        "plot_team": "Team",
        "plot_oracle": "Orakel",
        "plot_reliability": "Verlässlichkeit der Sicherheit der KI",
        "plot_perfect": "perfekt",
        "plot_calibrated": "KI (kalibriert)",
        "plot_confidence": "Sicherheit",
        "plot_workload": "Arbeitslast je Person (Anteil aller Fälle)",
        "plot_share": "Anteil der Fälle",
        "plot_group": "Je Gruppe von {col}",
        "plot_group_accuracy": "Trefferquote des Team",
        "plot_group_share": "Anteil an Personen",
        "pseudonym": "Person {k}",
    },
}

PERSONS_SHOWN = ("aggregate", "pseudonymous", "named")


def _texts(language: str) -> dict[str, str]:
    if language not in _TEXT:
        raise ValueError(f"language must be 'en' or 'de', got {language!r}")
    return _TEXT[language]


def coverage_plot(evaluation: Any, language: str = "en") -> str:
    """Team accuracy of every method as the people's share of cases grows (SVG)."""
    t = _texts(language)
    fig, ax = _figure(t["plot_coverage"])
    for name, group in evaluation.coverage.groupby("method", sort=False):
        chosen = name == evaluation.method
        ax.plot(
            group.human_share,
            group.accuracy,
            marker="o",
            markersize=3,
            linewidth=2.5 if chosen else 1.2,
            label=f"{name}{' (' + t['plot_team'] + ')' if chosen else ''}",
        )
    figures = evaluation.figures
    ax.axhline(figures["ai"]["accuracy"], color="grey", linestyle="--", linewidth=1, label=t["ai"])
    ax.axhline(
        figures["oracle"]["accuracy"],
        color="black",
        linestyle=":",
        linewidth=1,
        label=t["plot_oracle"],
    )
    ax.set_xlabel(t["plot_coverage_x"])
    ax.set_ylabel(t["plot_accuracy"])
    ax.legend(fontsize=8, loc="lower right")
    return _svg(fig)


def reliability_plot(evaluation: Any, language: str = "en") -> str:
    """Reliability diagram of the calibrated AI (SVG)."""
    t = _texts(language)
    fig, ax = _figure(t["plot_reliability"])
    bins = evaluation.reliability
    used = np.asarray(bins["count"]) > 0
    conf = np.asarray(bins["confidence"])[used]
    acc = np.asarray(bins["accuracy"])[used]
    ax.plot([0, 1], [0, 1], color="grey", linestyle="--", linewidth=1, label=t["plot_perfect"])
    ax.plot(conf, acc, marker="o", label=t["plot_calibrated"])
    ax.set_xlabel(t["plot_confidence"])
    ax.set_ylabel(t["plot_accuracy"])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)
    return _svg(fig)


def workload_plot(evaluation: Any, language: str = "en", names: Any = None) -> str:
    """Share of cases routed to each person (SVG); ``names`` maps persons to shown names."""
    t = _texts(language)
    persons = evaluation.figures["persons"]
    fig, ax = _figure(t["plot_workload"])
    shown = list(persons)[:40]
    labels = [(names or {}).get(p, p) for p in shown]
    ax.bar(range(len(shown)), [persons[p]["workload"] for p in shown], color="#4c72b0")
    ax.set_xticks(range(len(shown)))
    ax.set_xticklabels(labels, rotation=45 if len(shown) > 6 else 0, ha="right", fontsize=8)
    ax.set_ylabel(t["plot_share"])
    return _svg(fig)


def group_plots(evaluation: Any, language: str = "en") -> list[tuple[str, str]]:
    """Per group column: accuracy and share to people per group (SVGs)."""
    t = _texts(language)
    out = []
    for col, groups in (evaluation.figures.get("groups") or {}).items():
        names = [g for g in groups if not g.startswith("_")][:30]
        fig, ax = _figure(t["plot_group"].format(col=col))
        x = np.arange(len(names))
        ax.bar(x - 0.2, [groups[g]["accuracy"] for g in names], 0.4, label=t["plot_group_accuracy"])
        ax.bar(
            x + 0.2,
            [groups[g]["deferral_rate"] for g in names],
            0.4,
            label=t["plot_group_share"],
        )
        ax.set_xticks(x)
        ax.set_xticklabels(names, fontsize=8)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
        out.append((str(col), _svg(fig)))
    return out


def _finite(value: Any) -> bool:
    return value is not None and bool(np.isfinite(value))


def _pct(value: Any, language: str = "en", digits: int = 1) -> str:
    if not _finite(value):
        return "–"
    text = f"{100 * value:.{digits}f} %"
    return text.replace(".", ",") if language == "de" else text


def _pp(value: Any, language: str) -> str:
    """A difference of two shares in percentage points, with its sign."""
    if not _finite(value):
        return "–"
    number = f"{100 * value:+.1f}".replace("-", "−")
    if language == "de":
        number = number.replace(".", ",")
    return _texts(language)["pp"].format(value=number)


def _pp_range(low: Any, high: Any, language: str) -> str:
    """An interval of a difference in percentage points: "+1.5 to +4.7 percentage points"."""
    if low is None or high is None:
        return "–"
    number = _pp(high, language)
    joiner = " bis " if language == "de" else " to "
    return _pp(low, language).split(" ")[0] + joiner + number


def _num(value: Any, language: str, digits: int = 3) -> str:
    if not _finite(value):
        return "–"
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "de" else text


def _e(value: Any) -> str:
    return html.escape(str(value))


def person_names(persons: Any, shown: str, language: str = "en") -> dict[str, str]:
    """How each person is shown: their own name or a pseudonym ("person 1", ...).

    Parameters
    ----------
    persons : iterable of str
    shown : {"aggregate", "pseudonymous", "named"}
    language : {"en", "de"}

    Returns
    -------
    dict

    Examples
    --------
    >>> person_names(["anna", "ben"], "pseudonymous", "de")
    {'anna': 'Person 1', 'ben': 'Person 2'}
    """
    t = _texts(language)
    persons = list(persons)
    if shown == "named":
        return {p: p for p in persons}
    return {p: t["pseudonym"].format(k=k) for k, p in enumerate(persons, 1)}


def _headline(evaluation: Any, t: dict[str, str], language: str) -> list[str]:
    figures = evaluation.figures
    base = figures.get("base_rate") or {}
    rows = [
        ("team", t["team"].format(method=evaluation.method)),
        ("baseline", t["baseline"]),
        ("ai", t["ai"]),
        ("current_practice", t["practice"]),
        ("base_rate", t["base_rate"].format(label=base.get("class", ""))),
        ("oracle", t["oracle"]),
    ]
    out = [
        f"<table><thead><tr><th>{t['approach']}</th><th>{t['accuracy']}</th>"
        f"<th>{t['interval']}</th><th>{t['share']}</th><th>{t['cases']}</th></tr></thead>"
        "<tbody>"
    ]
    for key, label in rows:
        item = figures.get(key)
        if not item or not _finite(item.get("accuracy")):
            continue
        lo, hi = (item.get("accuracy_ci") or [None, None])[:2]
        ci = f"{_pct(lo, language)} – {_pct(hi, language)}" if _finite(lo) else ""
        share = item.get("human_share")
        if key == "ai" or key == "base_rate":
            share = 0.0
        out.append(
            f"<tr><td>{_e(label)}</td><td>{_pct(item['accuracy'], language)}</td>"
            f"<td>{ci}</td><td>{_pct(share, language)}</td>"
            f"<td>{int(item.get('n_cases', evaluation.n_cases))}</td></tr>"
        )
    out.append("</tbody></table>")
    ties = (figures.get("current_practice") or {}).get("n_ties")
    if ties:
        out.append(f'<p class="note">{t["ties"].format(n=ties)}</p>')
    return out


def _adds(evaluation: Any, t: dict[str, str], language: str) -> list[str]:
    figures = evaluation.figures
    baseline = figures.get("baseline")
    if not baseline or not _finite(baseline.get("accuracy")):
        return []
    ci = ""
    lo, hi = (baseline.get("difference_ci") or [None, None])[:2]
    if _finite(lo) and _finite(hi):
        ci = t["adds_ci"].format(range=_pp_range(lo, hi, language))
    diff_ai = figures["team"]["accuracy"] - figures["ai"]["accuracy"]
    body = t["adds_body"].format(
        diff=_pp(baseline["difference"], language), ci=ci, diff_ai=_pp(diff_ai, language)
    )
    return [f"<h2>{t['adds']}</h2>", f"<p>{_e(body)}</p>"]


def _choice(evaluation: Any, t: dict[str, str], language: str) -> list[str]:
    selection = evaluation.figures.get("selection") or {}
    if selection.get("choice"):
        from .selection import selection_sentence

        sentence = selection_sentence(selection["choice"], language)
    elif selection.get("reason") and language == "en":
        sentence = selection["reason"]
    else:
        return []
    return [f"<h2>{t['choice']}</h2>", f"<p>{_e(sentence)}</p>"]


def _features(evaluation: Any, t: dict[str, str], language: str) -> list[str]:
    features = evaluation.figures.get("features")
    if features is None:
        return []
    out = [f"<h2>{t['features']}</h2>"]
    used = features.get("used") or {}
    if not used:
        out.append(f"<p>{t['no_features']}</p>")
    else:
        out.append(
            f"<table><thead><tr><th>{t['feature']}</th><th>{t['kind']}</th></tr></thead><tbody>"
        )
        out += [
            f"<tr><td>{_e(col)}</td><td>{_e(t.get(kind, kind))}</td></tr>"
            for col, kind in used.items()
        ]
        out.append("</tbody></table>")
    leaks = features.get("leaks") or []
    if leaks:
        from .leaks import describe_leak

        out.append(f"<h3>{t['leaks']}</h3><ul>")
        out += [f"<li>{_e(describe_leak(leak, language))}</li>" for leak in leaks]
        out.append("</ul>")
    return out


def _people(evaluation: Any, t: dict[str, str], language: str, shown: str) -> list[str]:
    figures = evaluation.figures
    persons = figures.get("persons") or {}
    out = [f"<h2>{t['people']}</h2>"]
    decided = {p: item for p, item in persons.items() if item.get("n_decided")}
    if not decided:
        out.append(f"<p>{t['no_people']}</p>")
    elif shown == "aggregate":
        counts = np.array([item["n_decided"] for item in decided.values()])
        acc = np.array([item["accuracy"] for item in decided.values()], dtype=float)
        out.append(
            "<p>"
            + t["aggregate"].format(
                n=len(decided),
                lo=int(counts.min()),
                hi=int(counts.max()),
                median=_num(float(np.median(counts)), language, 0),
                acc_lo=_pct(float(acc.min()), language),
                acc_hi=_pct(float(acc.max()), language),
                acc_median=_pct(float(np.median(acc)), language),
            )
            + "</p>"
        )
    else:
        names = person_names(persons, shown, language)
        out.append(
            f"<table><thead><tr><th>{t['person']}</th><th>{t['decided']}</th>"
            f"<th>{t['accuracy']}</th><th>{t['interval']}</th><th>{t['routed']}</th>"
            f"<th>{t['routed_accuracy']}</th></tr></thead><tbody>"
        )
        for p, item in persons.items():
            lo, hi = (item.get("accuracy_ci") or [None, None])[:2]
            ci = f"{_pct(lo, language)} – {_pct(hi, language)}" if _finite(lo) else ""
            out.append(
                f"<tr><td>{_e(names[p])}</td><td>{int(item['n_decided'])}</td>"
                f"<td>{_pct(item['accuracy'], language)}</td><td>{ci}</td>"
                f"<td>{_pct(item['workload'], language)}</td>"
                f"<td>{_pct(item.get('accuracy_routed'), language)}</td></tr>"
            )
        out.append("</tbody></table>")
        out.append(f'<p class="note">{t["person_note"]}</p>')
        out.append(f"<figure>{workload_plot(evaluation, language, names)}</figure>")
    out += _pile_up(figures.get("deployment") or {}, t, language, shown, persons)
    return out


def _pile_up(
    deployment: dict[str, Any], t: dict[str, str], language: str, shown: str, persons: Any
) -> list[str]:
    n = deployment.get("n_deferred")
    if not n:
        return []
    share = _pct(deployment.get("busiest_share"), language, 0)
    if not deployment.get("concentrated"):
        return [f'<p class="note">{t["spread"].format(share=share, n=n)}</p>']
    limit = deployment.get("suggested_person_limit")
    values = {
        "share": share,
        "n": n,
        "limit": _pct(limit, language, 0),
        "limit_value": f"{limit:g}" if _finite(limit) else "?",
    }
    busiest = deployment.get("busiest")
    if shown == "aggregate" or busiest is None:
        return [f"<p><strong>{_e(t['pile_anon'].format(**values))}</strong></p>"]
    name = person_names(list(persons) or [busiest], shown, language).get(busiest, busiest)
    return [f"<p><strong>{_e(t['pile_named'].format(name=name, **values))}</strong></p>"]


def render_report(
    evaluation: Any,
    title: str | None = None,
    *,
    language: str = "en",
    persons: str = "aggregate",
) -> str:
    """The report as one HTML string (no external files or scripts).

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`teaming.evaluate`.
    title : str, optional
        Page title (default: "Human-AI team: evaluation" or its German).
    language : {"en", "de"}
        Language of the report (numbers too: "81,2 %" in German).
    persons : {"aggregate", "pseudonymous", "named"}
        Per-person figures: only in aggregate (the default; no names), per person under
        pseudonyms ("person 1", ...), or per person by name.

    Returns
    -------
    str

    Examples
    --------
    See :func:`write_report`.
    """
    t = _texts(language)
    if persons not in PERSONS_SHOWN:
        raise ValueError(f"persons must be one of {PERSONS_SHOWN}, got {persons!r}")
    title = title or t["title"]
    figures = evaluation.figures
    team = figures["team"]
    intro = t["intro"].format(
        n=evaluation.n_cases,
        method=_e(evaluation.method),
        cap=_pct(evaluation.capacity, language, 0),
        audit=_pct(evaluation.audit, language, 0),
        deferred=team["n_deferred"],
        audited=team["n_audited"],
        second=team["n_second_look"],
        calibration=_e(figures["ai"].get("calibration")),
        ece=_num(figures["ai"]["ece"], language),
    )
    parts = [
        "<!doctype html>",
        f'<html lang="{language}"><head><meta charset="utf-8">',
        f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f'<p class="note">{intro}</p>',
        f"<h2>{t['headline']}</h2>",
        *_headline(evaluation, t, language),
        *_adds(evaluation, t, language),
        *_choice(evaluation, t, language),
        *_features(evaluation, t, language),
        f"<h2>{t['coverage']}</h2>",
        f"<figure>{coverage_plot(evaluation, language)}<figcaption>"
        f"{t['coverage_caption']}</figcaption></figure>",
        f"<h2>{t['calibration']}</h2>",
        f"<figure>{reliability_plot(evaluation, language)}<figcaption>"
        f"{t['calibration_caption']}</figcaption></figure>",
        *_people(evaluation, t, language, persons),
    ]
    group_svgs = group_plots(evaluation, language)
    if group_svgs:
        parts.append(f"<h2>{t['groups']}</h2>")
        parts += [
            f"<figure>{svg}<figcaption>{_e(col)}</figcaption></figure>" for col, svg in group_svgs
        ]
    parts.append("</body></html>")
    return "\n".join(parts)


def write_report(
    evaluation: Any,
    path: Any,
    title: str | None = None,
    *,
    language: str = "en",
    persons: str = "aggregate",
) -> Path:
    """Write the HTML report of an evaluation to ``path``.

    Parameters
    ----------
    evaluation : Evaluation
        From :func:`teaming.evaluate`.
    path : str or path
        The HTML file.
    title : str, optional
        Page title.
    language : {"en", "de"}
        Language of the report.
    persons : {"aggregate", "pseudonymous", "named"}
        How per-person figures are shown (see :func:`render_report`).

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> import numpy as np, pandas as pd, tempfile, os
    >>> from teaming import HumanAITeam, evaluate, load_data, split_data
    >>> rng = np.random.default_rng(0)
    >>> df = pd.DataFrame({"a": rng.normal(size=600)})
    >>> df["y"] = (df.a + rng.normal(size=600) > 0).astype(int)
    >>> df["anna"] = np.where(rng.random(600) < 0.85, df.y, 1 - df.y)
    >>> train, test = split_data(load_data(df, target="y", humans=["anna"]))
    >>> team = HumanAITeam(method="combine").fit(train)
    >>> target = os.path.join(tempfile.mkdtemp(), "bericht.html")
    >>> out = write_report(evaluate(team, test, n_bootstrap=10), target, language="de")
    >>> "Trefferquote" in out.read_text() and "anna" not in out.read_text()
    True
    """
    target = Path(path)
    html_text = render_report(evaluation, title, language=language, persons=persons)
    target.write_text(html_text, encoding="utf-8")
    return target
