"""The model card of a saved team, in English and German (Markdown)."""

from __future__ import annotations

from typing import Any

from .leaks import describe_leak


def readable_time(value: Any) -> str:
    """A stored time (numpy's ISO text, nanoseconds and all) as people write it: the date,
    and the time of day only when it is not midnight.

    >>> readable_time("2023-07-14T00:00:00.000000000")
    '2023-07-14'
    >>> readable_time("2023-02-24T06:00:00.000000000")
    '2023-02-24 06:00'
    """
    import pandas as pd

    stamp = pd.Timestamp(value)
    if stamp == stamp.normalize():
        return stamp.strftime("%Y-%m-%d")
    return stamp.strftime("%Y-%m-%d %H:%M")


__all__ = ["model_card"]

_TEXT = {
    "en": {
        "title": "Model card: human-AI team",
        "intended": "Intended use",
        "intended_body": (
            "This team supports the people who decide cases of the kind it learned from. For "
            "each new case it either proposes the AI's decision or routes the case to the "
            "person most likely to decide it correctly, within each person's capacity. A share "
            "of the AI's decisions ({audit}) is still checked by a person, chosen at random, so "
            "people stay in the loop and the AI stays checked. It is not meant for cases of "
            "another kind, for other persons than those listed below without refitting, or for "
            "decisions without a person's oversight where the law requires one."
        ),
        "data": "Data it learned from",
        "cases": "cases",
        "classes": "Classes (cases per class)",
        "features": "Features",
        "features_used": "Features the AI uses",
        "no_features": "none (the AI is an existing model given by its scores)",
        "numeric": "number",
        "categorical": "category",
        "text": "text",
        "base_rate": "Most frequent class: {label} ({share} of the cases; always answering it "
        "is the base rate any model must beat)",
        "period": "Period",
        "no_period": "no time column given",
        "scores": "The AI is an existing model given by its class scores; the team calibrated it.",
        "own_ai": "The AI is a classifier trained on these cases ({estimator}).",
        "routing": "Routing",
        "method": "Method",
        "why": "Why this method",
        "capacity": "Capacity of people together",
        "person_capacity": "Limit per person",
        "none": "none",
        "figures": "Figures",
        "held_out": "On held-out cases ({n} cases):",
        "validation": "On validation cases during fitting ({n} cases, cross-fitted):",
        "team": "Team accuracy",
        "ai": "AI alone",
        "oracle": "Best possible (right if anyone available is right)",
        "practice": "Current practice",
        "baseline": "Simple baseline (least confident cases to the best person overall)",
        "difference": "Team against the simple baseline",
        "base_rate_figure": "Always the most frequent class",
        "interval": "95 % interval",
        "pp": "{value} percentage points",
        "share": "Share of cases handled by people",
        "ece": "Calibration error of the AI (ECE)",
        "groups": "Figures per group",
        "group": "group",
        "accuracy": "accuracy",
        "deferral": "share to people",
        "no_groups": "No group figures (no group columns, or no held-out evaluation saved).",
        "persons": "The people in the team",
        "person": "person",
        "role": "role",
        "decided": "decided cases",
        "default_role": "person",
        "pseudonym": "person {k}",
        "persons_aggregate": "{n} persons decided between {lo} and {hi} training cases each "
        "(names and per-person figures left out on request).",
        "limits": "Known limits",
        "limit_history": (
            "Person models are learned from the cases each person decided; in history a "
            "person counts as available only for the cases they decided. If people chose "
            "their cases, the models reflect that choice."
        ),
        "limit_few": "Few decided cases (mostly the pooled estimate is used): {names}.",
        "limit_left_out": "Not sent any case (fewer than {min} decided training cases; their "
        "decisions still inform the pooled person model): {names}.",
        "limit_left_out_count": "{n} persons are not sent any case (fewer than {min} decided "
        "training cases; their decisions still inform the pooled person model).",
        "limit_few_count": "{n} persons with few decided cases (mostly the pooled estimate is "
        "used).",
        "limit_shift": (
            "Figures hold for cases like the training cases; when cases, people or the "
            "process change, evaluate again and refit."
        ),
        "limit_stream": (
            "Single cases routed one at a time use a price rule learned on validation cases; "
            "it may leave capacity unused or reach a limit early, unlike routing a batch."
        ),
        "limit_scores": "No feature attributions: the AI is an external model.",
        "limit_groups": "Accuracy differs between groups of {col} by {diff} (see above).",
        "saved": "Saved by teaming {version} on {date}.",
    },
    "de": {
        "title": "Modellkarte: Mensch-KI-Team",
        "intended": "Vorgesehener Einsatz",
        "intended_body": (
            "Dieses Team unterstützt die Menschen, die Fälle der Art entscheiden, aus denen es "
            "gelernt hat. Für jeden neuen Fall schlägt es die Entscheidung der KI vor oder gibt "
            "den Fall an die Person, die ihn am wahrscheinlichsten richtig entscheidet, im "
            "Rahmen der Kapazität jeder Person. Ein Anteil der KI-Entscheidungen ({audit}) wird "
            "weiterhin von einer zufällig gewählten Person geprüft, damit Menschen eingebunden "
            "bleiben und die KI kontrolliert wird. Es ist nicht gedacht für Fälle anderer Art, "
            "für andere als die unten genannten Personen ohne neues Training oder für "
            "Entscheidungen ohne menschliche Aufsicht, wo das Recht sie verlangt."
        ),
        "data": "Daten, aus denen es gelernt hat",
        "cases": "Fälle",
        "classes": "Klassen (Fälle je Klasse)",
        "features": "Merkmale",
        "features_used": "Merkmale, die die KI verwendet",
        "no_features": "keine (die KI ist ein vorhandenes Modell, gegeben durch seine Werte)",
        "numeric": "Zahl",
        "categorical": "Kategorie",
        "text": "Text",
        "base_rate": "Häufigste Klasse: {label} ({share} der Fälle; wer immer sie antwortet, "
        "erreicht die Basisrate, die jedes Modell übertreffen muss)",
        "period": "Zeitraum",
        "no_period": "keine Zeitspalte angegeben",
        "scores": (
            "Die KI ist ein vorhandenes Modell, gegeben durch seine Klassenwerte; das Team hat "
            "es kalibriert."
        ),
        "own_ai": "Die KI ist ein auf diesen Fällen trainierter Klassifikator ({estimator}).",
        "routing": "Fallverteilung",
        "method": "Methode",
        "why": "Warum diese Methode",
        "capacity": "Kapazität aller Personen zusammen",
        "person_capacity": "Grenze je Person",
        "none": "keine",
        "figures": "Kennzahlen",
        "held_out": "Auf zurückgehaltenen Fällen ({n} Fälle):",
        "validation": "Auf Validierungsfällen beim Training ({n} Fälle, kreuzvalidiert):",
        "team": "Trefferquote des Teams",
        "ai": "KI allein",
        "oracle": "Bestmöglich (richtig, wenn irgendjemand Verfügbares richtig liegt)",
        "practice": "Bisherige Praxis",
        "baseline": "Einfache Vergleichsregel (unsicherste Fälle an die insgesamt beste Person)",
        "difference": "Team gegenüber der einfachen Vergleichsregel",
        "base_rate_figure": "Immer die häufigste Klasse",
        "interval": "95-%-Intervall",
        "pp": "{value} Prozentpunkte",
        "share": "Anteil der Fälle bei Personen",
        "ece": "Kalibrierungsfehler der KI (ECE)",
        "groups": "Kennzahlen je Gruppe",
        "group": "Gruppe",
        "accuracy": "Trefferquote",
        "deferral": "Anteil an Personen",
        "no_groups": (
            "Keine Kennzahlen je Gruppe (keine Gruppenspalten oder keine gespeicherte "
            "Auswertung auf zurückgehaltenen Fällen)."
        ),
        "persons": "Die Personen im Team",
        "person": "Person",
        "role": "Rolle",
        "decided": "entschiedene Fälle",
        "default_role": "Person",
        "pseudonym": "Person {k}",
        "persons_aggregate": "{n} Personen haben je zwischen {lo} und {hi} Trainingsfälle "
        "entschieden (Namen und Kennzahlen je Person auf Wunsch weggelassen).",
        "limits": "Bekannte Grenzen",
        "limit_history": (
            "Die Modelle der Personen sind aus den Fällen gelernt, die jede Person entschieden "
            "hat; in den historischen Daten gilt eine Person nur für diese Fälle als verfügbar. "
            "Haben Personen ihre Fälle selbst gewählt, spiegeln die Modelle diese Wahl."
        ),
        "limit_few": (
            "Wenige entschiedene Fälle (überwiegend gilt die gemeinsame Schätzung): {names}."
        ),
        "limit_left_out": "Bekommen keine Fälle (weniger als {min} entschiedene Trainingsfälle; "
        "ihre Entscheidungen fließen in das gemeinsame Personenmodell ein): {names}.",
        "limit_left_out_count": "{n} Personen bekommen keine Fälle (weniger als {min} "
        "entschiedene Trainingsfälle; ihre Entscheidungen fließen in das gemeinsame "
        "Personenmodell ein).",
        "limit_few_count": "{n} Personen mit wenigen entschiedenen Fällen (überwiegend gilt die "
        "gemeinsame Schätzung).",
        "limit_shift": (
            "Die Kennzahlen gelten für Fälle wie die Trainingsfälle; ändern sich Fälle, "
            "Personen oder Abläufe, erneut auswerten und neu trainieren."
        ),
        "limit_stream": (
            "Einzeln eintreffende Fälle werden mit einer auf Validierungsfällen gelernten "
            "Preisregel verteilt; sie kann Kapazität ungenutzt lassen oder eine Grenze früh "
            "erreichen, anders als die Verteilung eines ganzen Stapels."
        ),
        "limit_scores": "Keine Merkmalsbeiträge: die KI ist ein externes Modell.",
        "limit_groups": (
            "Die Trefferquote unterscheidet sich zwischen Gruppen von {col} um {diff} (siehe oben)."
        ),
        "saved": "Gespeichert mit teaming {version} am {date}.",
    },
}


def _pct(value: Any, language: str) -> str:
    if value is None:
        return "–"
    text = f"{100 * float(value):.1f} %"
    return text.replace(".", ",") if language == "de" else text


def _pp(value: Any, language: str) -> str:
    """A difference of two shares in percentage points, with its sign."""
    if value is None:
        return "–"
    number = f"{100 * float(value):+.1f}".replace("-", "−")
    if language == "de":
        number = number.replace(".", ",")
    return _TEXT[language]["pp"].format(value=number)


def _pp_range(low: Any, high: Any, language: str) -> str:
    """An interval of a difference in percentage points: "+1.5 to +4.7 percentage points"."""
    if low is None or high is None:
        return "–"
    number = _pp(high, language)
    joiner = " bis " if language == "de" else " to "
    return _pp(low, language).split(" ")[0] + joiner + number


def _num(value: Any, language: str) -> str:
    if value is None:
        return "–"
    text = f"{float(value):.3f}"
    return text.replace(".", ",") if language == "de" else text


def model_card(metadata: dict[str, Any], language: str = "en", persons: str = "named") -> str:
    """The model card of a saved team as Markdown.

    Parameters
    ----------
    metadata : dict
        The saved team's metadata (see :mod:`teaming.persist`).
    language : {"en", "de"}
        Language of the card.
    persons : {"named", "pseudonymous", "aggregate"}
        The people in the team by name, under pseudonyms ("person 1", ...), or only counted.

    Returns
    -------
    str

    Examples
    --------
    >>> meta = {"params": {"audit": 0.05, "capacity": 0.3, "person_capacity": None},
    ...         "schema": {"persons": [], "roles": {}, "uses_scores": False},
    ...         "data": {"n_cases": 10, "classes": ["a", "b"], "class_counts": [5, 5],
    ...                  "features": {"x": "numeric"}, "persons": {}},
    ...         "method": "ai_only", "selection_report": {"reason": "set by the user"},
    ...         "training_metrics": {"n_validation_cases": 3}, "evaluation": None,
    ...         "library_version": "0.1.0", "saved_at": "2026-01-01", "estimator": None}
    >>> model_card(meta, "de").splitlines()[0]
    '# Modellkarte: Mensch-KI-Team'
    """
    if language not in _TEXT:
        raise ValueError(f"language must be 'en' or 'de', got {language!r}")
    if persons not in {"named", "pseudonymous", "aggregate"}:
        raise ValueError(f"persons must be 'named', 'pseudonymous' or 'aggregate', got {persons!r}")
    t = _TEXT[language]
    params, schema, data = metadata["params"], metadata["schema"], metadata["data"]
    shown = _shown_names(schema["persons"], persons, t)
    lines = [f"# {t['title']}", "", f"## {t['intended']}", ""]
    lines += [t["intended_body"].format(audit=_pct(params.get("audit"), language)), ""]
    lines += [f"## {t['data']}", ""]
    lines.append(f"- {data['n_cases']} {t['cases']}")
    counts = ", ".join(f"{c} ({n})" for c, n in zip(data["classes"], data["class_counts"]))
    lines.append(f"- {t['classes']}: {counts}")
    total = sum(data["class_counts"])
    if total:
        top = max(range(len(data["class_counts"])), key=lambda k: data["class_counts"][k])
        share = _pct(data["class_counts"][top] / total, language)
        lines.append(f"- {t['base_rate'].format(label=data['classes'][top], share=share)}")
    features = data["features"]
    lines.append(
        f"- {t['features_used']}: "
        + (
            ", ".join(f"{col} ({t.get(kind, kind)})" for col, kind in features.items())
            if features
            else t["no_features"]
        )
    )
    period = data.get("period")
    lines.append(
        f"- {t['period']}: "
        + (f"{readable_time(period[0])} – {readable_time(period[1])}" if period else t["no_period"])
    )
    estimator = metadata.get("estimator") or "HistGradientBoostingClassifier"
    lines.append(
        "- " + (t["scores"] if schema["uses_scores"] else t["own_ai"].format(estimator=estimator))
    )
    lines += ["", f"## {t['routing']}", ""]
    lines.append(f"- {t['method']}: `{metadata['method']}`")
    lines.append(f"- {t['why']}: {_why(metadata['selection_report'], language)}")
    lines.append(f"- {t['capacity']}: {_pct(params.get('capacity'), language)}")
    limit = params.get("person_capacity")
    lines.append(f"- {t['person_capacity']}: {t['none'] if limit is None else limit}")
    lines += ["", f"## {t['figures']}", ""]
    lines += _figures(metadata, t, language)
    lines += ["", f"## {t['groups']}", ""]
    lines += _groups(metadata.get("evaluation"), t, language)
    lines += ["", f"## {t['persons']}", ""]
    decided_counts = [int(data["persons"].get(p, 0)) for p in schema["persons"]]
    if persons == "aggregate":
        if decided_counts:
            lines.append(
                t["persons_aggregate"].format(
                    n=len(decided_counts), lo=min(decided_counts), hi=max(decided_counts)
                )
            )
    else:
        lines += [f"| {t['person']} | {t['role']} | {t['decided']} |", "| --- | --- | --- |"]
        for person, decided in zip(schema["persons"], decided_counts):
            role = schema["roles"].get(person, "person")
            role = t["default_role"] if role == "person" else role
            lines.append(f"| {shown[person]} | {role} | {decided} |")
    lines += ["", f"## {t['limits']}", ""]
    lines += [f"- {item}" for item in _limits(metadata, t, language, persons, shown)]
    lines += [
        "",
        t["saved"].format(version=metadata["library_version"], date=metadata["saved_at"]),
        "",
    ]
    return "\n".join(lines)


def _shown_names(persons: list[str], shown: str, t: dict[str, str]) -> dict[str, str]:
    if shown == "named":
        return {p: p for p in persons}
    return {p: t["pseudonym"].format(k=k) for k, p in enumerate(persons, 1)}


def _why(report: dict[str, Any], language: str) -> str:
    """The selection sentence in the card's language (older teams: the saved sentence)."""
    if report.get("choice"):
        from .selection import selection_sentence

        return selection_sentence(report["choice"], language)
    if language == "de" and report.get("reason_de"):
        return str(report["reason_de"])
    return str(report.get("reason", ""))


def _figures(metadata: dict[str, Any], t: dict[str, str], language: str) -> list[str]:
    ev = metadata.get("evaluation")
    if ev:

        def with_ci(item: dict[str, Any] | None) -> str:
            if not item or item.get("accuracy") is None:
                return "–"
            text = _pct(item["accuracy"], language)
            lo, hi = (item.get("accuracy_ci") or [None, None])[:2]
            if lo is not None and hi is not None:
                text += f" ({t['interval']} {_pct(lo, language)} – {_pct(hi, language)})"
            return text

        lines = [t["held_out"].format(n=ev["n_cases"]), ""]
        lines.append(f"- {t['team']}: {with_ci(ev['team'])}")
        baseline = ev.get("baseline")
        if baseline and baseline.get("accuracy") is not None:
            lines.append(f"- {t['baseline']}: {with_ci(baseline)}")
            diff = _pp(baseline.get("difference"), language)
            lo, hi = (baseline.get("difference_ci") or [None, None])[:2]
            if lo is not None and hi is not None:
                diff += f" ({t['interval']} {_pp_range(lo, hi, language)})"
            lines.append(f"- {t['difference']}: {diff}")
        lines.append(f"- {t['ai']}: {with_ci(ev['ai'])}")
        lines.append(f"- {t['practice']}: {with_ci(ev.get('current_practice'))}")
        if ev.get("base_rate"):
            lines.append(f"- {t['base_rate_figure']}: {with_ci(ev['base_rate'])}")
        lines.append(f"- {t['oracle']}: {with_ci(ev['oracle'])}")
        lines.append(f"- {t['share']}: {_pct(ev['human_share'], language)}")
        lines.append(f"- {t['ece']}: {_num(ev['ai'].get('ece'), language)}")
        return lines
    tm = metadata["training_metrics"]
    lines = [t["validation"].format(n=tm.get("n_validation_cases")), ""]
    lines.append(f"- {t['team']}: {_pct(tm.get('team_accuracy'), language)}")
    lines.append(f"- {t['ai']}: {_pct(tm.get('ai_accuracy'), language)}")
    lines.append(f"- {t['share']}: {_pct(tm.get('team_human_share'), language)}")
    lines.append(f"- {t['ece']}: {_num(tm.get('ai_ece'), language)}")
    return lines


def _groups(ev: dict[str, Any] | None, t: dict[str, str], language: str) -> list[str]:
    if not ev or not ev.get("groups"):
        return [t["no_groups"]]
    lines = []
    for col, groups in ev["groups"].items():
        lines += [f"**{col}**", "", f"| {t['group']} | {t['accuracy']} | {t['deferral']} | n |"]
        lines.append("| --- | --- | --- | --- |")
        for g, item in groups.items():
            if g.startswith("_"):
                continue
            lines.append(
                f"| {g} | {_pct(item['accuracy'], language)} | "
                f"{_pct(item['deferral_rate'], language)} | {item['n']} |"
            )
        lines.append("")
    return lines


def _limits(
    metadata: dict[str, Any],
    t: dict[str, str],
    language: str,
    persons: str = "named",
    shown: dict[str, str] | None = None,
) -> list[str]:
    items = [t["limit_history"]]
    decided = metadata["data"]["persons"]
    # persons under min_person_cases are left out of routing (the team's routable_)
    minimum = int((metadata.get("params") or {}).get("min_person_cases") or 0)
    left_out = [p for p, n in decided.items() if n < minimum]
    if left_out and persons == "aggregate":
        items.append(t["limit_left_out_count"].format(n=len(left_out), min=minimum))
    elif left_out:
        names = [(shown or {}).get(p, p) for p in left_out]
        more = f" (+{len(names) - 20})" if len(names) > 20 else ""
        items.append(t["limit_left_out"].format(names=", ".join(names[:20]) + more, min=minimum))
    few = [p for p, n in decided.items() if n < 50 and p not in left_out]
    if few and persons == "aggregate":
        items.append(t["limit_few_count"].format(n=len(few)))
    elif few:
        names = [(shown or {}).get(p, p) for p in few]
        more = f" (+{len(names) - 20})" if len(names) > 20 else ""
        items.append(t["limit_few"].format(names=", ".join(names[:20]) + more))
    for leak in metadata["data"].get("leaks") or []:
        items.append(describe_leak(leak, language))
    items += [t["limit_shift"], t["limit_stream"]]
    if metadata["schema"]["uses_scores"]:
        items.append(t["limit_scores"])
    ev = metadata.get("evaluation") or {}
    for col, groups in (ev.get("groups") or {}).items():
        diff = groups.get("_difference", {}).get("accuracy")
        if diff is not None and diff > 0.05:
            items.append(t["limit_groups"].format(col=col, diff=_pp(diff, language).lstrip("+")))
    return items
