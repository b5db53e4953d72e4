"""Why the AI decided what it did, and why a case went where it went.

AI decisions are explained by Shapley values per input column (:mod:`teaming.shapley`):
exact path-dependent values for tree models (the default histogram gradient boosting with
its native categorical splits and missing values, gradient boosting, forests, single trees),
exact interventional values for logistic regression, and interventional values against a
background sample for any other classifier (exact for few columns, from antithetic
permutations otherwise). Columns the model sees as several (one-hot columns, text
components) are one player, so a categorical column gets its own Shapley value. For every
case the contributions add up: ``base + sum(contributions) == output``, the model's score
of the decided class (log-odds; for forests and single trees, probability).

Routings are explained by the numbers the router used: the AI's expected correctness
against each available person's, and the capacity left. Every explanation is structured data
plus one plain sentence in English and one in German.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .shapley import Attribution, TreeShapley, explain_model, is_tree_model

__all__ = ["AIExplainer", "explain_routing", "format_number", "top_features"]

# background rows for models explained against a background sample
_AGNOSTIC_BACKGROUND = 32


class AIExplainer:
    """Feature attributions for the AI's decisions, per input column.

    Parameters
    ----------
    estimator : fitted classifier or None
        The AI's classifier (``None`` for an existing model given by its scores: no
        attributions).
    output_groups : list of str
        For each preprocessed column, the input column it comes from.
    background : numpy.ndarray
        A small sample of preprocessed training cases (typical values).
    categorical_mask : numpy.ndarray of bool, optional
        Preprocessed columns holding category codes (kept for callers; the tree explainer
        reads the model's own split rules).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> Z = np.random.default_rng(0).normal(size=(200, 2)); y = (Z[:, 0] > 0).astype(int)
    >>> ex = AIExplainer(LogisticRegression().fit(Z, y), ["a", "b"], Z)
    >>> names, values = ex.attributions(Z[:3], np.array([1, 1, 1]))
    >>> names, values.shape
    (['a', 'b'], (3, 2))
    >>> a = ex.explain(Z[:3], np.array([1, 0, 1]))
    >>> bool(np.allclose(a.base + a.values.sum(axis=1), a.output)), a.unit
    (True, 'log-odds')
    """

    def __init__(
        self,
        estimator: Any,
        output_groups: list[str],
        background: np.ndarray,
        categorical_mask: np.ndarray | None = None,
    ) -> None:
        self.estimator = estimator
        self.output_groups = list(output_groups)
        self.background = np.asarray(background, dtype=np.float64)
        mask = np.zeros(len(output_groups), bool) if categorical_mask is None else categorical_mask
        self.categorical_mask = np.asarray(mask, dtype=bool)
        self._tree: TreeShapley | None = None

    @property
    def names(self) -> list[str]:
        """Input columns, in the order of :meth:`attributions`' columns."""
        return list(dict.fromkeys(self.output_groups))

    def _groups(self) -> np.ndarray:
        names = self.names
        return np.array([names.index(g) for g in self.output_groups], dtype=np.int64)

    def _tree_explainer(self) -> TreeShapley | None:
        # built on first use: fitting and loading a team stay fast
        if self._tree is None and is_tree_model(self.estimator):
            n_classes = len(self.estimator.classes_)
            self._tree = TreeShapley(self.estimator, self._groups(), len(self.names), n_classes)
        return self._tree

    def explain(self, Z: np.ndarray, decided: np.ndarray) -> Attribution:
        """Contributions of each input column to the decided class, with base and output.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_features)
            Preprocessed cases.
        decided : numpy.ndarray of int
            The AI's decided class per case.

        Returns
        -------
        Attribution
            ``names``, ``values`` (n_cases, n_columns), ``base``, ``output``, ``unit``
            and ``method``; ``base + values.sum(axis=1) == output`` for every case.
        """
        names = self.names
        n = np.asarray(Z).shape[0]
        decided = np.asarray(decided, dtype=np.int64)
        if self.estimator is None or n == 0:
            zero = np.zeros(n)
            return Attribution(names, np.zeros((n, len(names))), zero, zero, "log-odds", "none")
        background = self.background
        if not is_tree_model(self.estimator) and len(background) > _AGNOSTIC_BACKGROUND:
            pick = np.random.default_rng(0).choice(len(background), _AGNOSTIC_BACKGROUND, False)
            background = background[np.sort(pick)]
        attribution = explain_model(
            self.estimator,
            np.asarray(Z, dtype=np.float64),
            decided,
            self._groups(),
            len(names),
            background,
            tree=self._tree_explainer(),
        )
        attribution.names = names
        return attribution

    def attributions(self, Z: np.ndarray, decided: np.ndarray) -> tuple[list[str], np.ndarray]:
        """Contribution of each input column to the decided class, per case.

        Parameters
        ----------
        Z : numpy.ndarray of shape (n_cases, n_features)
            Preprocessed cases.
        decided : numpy.ndarray of int
            The AI's decided class per case.

        Returns
        -------
        (list of str, numpy.ndarray of shape (n_cases, n_columns))
            Input column names and contributions (see :meth:`explain` for the unit;
            positive values pushed toward the decided class).
        """
        attribution = self.explain(Z, decided)
        return attribution.names, attribution.values

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_tree"] = None
        return state


def format_number(value: float, language: str = "en", digits: int = 2) -> str:
    """A number for a sentence: decimal point in English, decimal comma in German.

    Parameters
    ----------
    value : float
        The number.
    language : {"en", "de"}
        The sentence's language.
    digits : int
        Digits after the decimal mark.

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(0.914, "de")
    '0,91'
    """
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "de" else text


def _label(value: Any) -> str:
    return str(value)


_MISSING = {"en": "missing", "de": "fehlt"}
_UNIT_TEXT = {
    ("score", "en"): "contributions to the AI's score for {label}",
    ("score", "de"): "Beiträge zum Wert der KI für {label}",
    ("log-odds", "en"): "contributions to the log-odds of {label}",
    ("log-odds", "de"): "Beiträge zu den Log-Odds von {label}",
    ("probability", "en"): "contributions to the probability of {label}",
    ("probability", "de"): "Beiträge zur Wahrscheinlichkeit von {label}",
}


def _shown(value: Any, language: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return _MISSING[language]
    if isinstance(value, float):
        return format_number(value, language)
    return str(value)


def _features_text(top: list[dict[str, Any]], language: str) -> str:
    parts = []
    for item in top:
        sign = "+" if item["contribution"] >= 0 else "-"
        number = format_number(abs(item["contribution"]), language)
        parts.append(f"{item['feature']} = {_shown(item['value'], language)} ({sign}{number})")
    return ", ".join(parts)


def explain_routing(
    *,
    routed_to: str,
    audit: bool,
    ai_label: Any,
    ai_confidence: float,
    ai_value: float,
    person_values: dict[str, float],
    capacity_left: dict[str, int],
    total_left: int,
    top_features: list[dict[str, Any]] | None = None,
    method: str = "",
    respects_capacity: bool = True,
    margin: float = 0.0,
    ai_output: dict[str, Any] | None = None,
    unusual: list[dict[str, Any]] | None = None,
    unusual_to_person: bool = True,
) -> dict[str, Any]:
    """One routing explained: structured reasons and a sentence in English and German.

    Parameters
    ----------
    routed_to : str
        ``"ai"`` or the person id.
    audit : bool
        The case is an audit of the AI's decision.
    ai_label : object
        The AI's decided class.
    ai_confidence : float
        The AI's probability of that class.
    ai_value : float
        The method's expected correctness of leaving the case to the AI.
    person_values : dict
        Expected correctness per *available* person.
    capacity_left : dict
        Cases each person may still take.
    total_left : int
        Cases people together may still take.
    top_features : list of dict, optional
        ``{"feature", "value", "contribution"}`` behind the AI's decision.
    method : str
        The routing method's name.
    respects_capacity : bool
        False for reference methods that ignore capacity.
    margin : float
        The gain over the AI a person must be expected to bring (learned on validation
        cases; negative where people did better there than expected).
    ai_output : dict, optional
        ``{"base", "output", "unit"}`` of the attributions: the contributions of
        ``top_features`` are in ``unit`` and all of them add up from ``base`` to ``output``.
    unusual : list of dict, optional
        Why the case is unlike the training data (:mod:`teaming.novelty`); the sentences
        then say so first, and a case a person takes for that reason has the reason
        ``"unusual_case"``.
    unusual_to_person : bool
        Unusual cases go to a person first (the team's ``unusual_cases="person"``).

    Returns
    -------
    dict
        ``reason`` (a code), the numbers, ``text_en`` and ``text_de``.

    Examples
    --------
    >>> e = explain_routing(routed_to="anna", audit=False, ai_label="yes", ai_confidence=0.6,
    ...                     ai_value=0.6, person_values={"anna": 0.9, "ben": 0.7},
    ...                     capacity_left={"anna": 3, "ben": 5}, total_left=8)
    >>> e["reason"]
    'person_expected_better'
    >>> e["text_en"][:60]
    'Sent to anna: expected correctness 0.90 against 0.60 for the'
    """
    best = max(person_values, key=lambda p: person_values[p]) if person_values else None
    numbers = {
        "routed_to": routed_to,
        "audit": bool(audit),
        "ai_decision": ai_label,
        "ai_confidence": float(ai_confidence),
        "ai_expected_correctness": float(ai_value),
        "person_expected_correctness": {p: float(v) for p, v in person_values.items()},
        "capacity_left": dict(capacity_left),
        "people_capacity_left": int(total_left),
        "top_features": list(top_features or []),
        "method": method,
        "margin": float(margin),
        "ai_output": dict(ai_output or {}),
        "unusual": list(unusual or []),
    }
    en, de, reason = _routing_sentences(
        routed_to,
        audit,
        ai_value,
        person_values,
        best,
        capacity_left,
        total_left,
        respects_capacity,
        margin,
    )
    if unusual:
        to_person = unusual_to_person and routed_to != "ai" and not audit
        en, de, reason = _unusual_sentences(unusual, to_person, en, de, reason)
    ai_en = f"The AI suggests {_label(ai_label)} (confidence {format_number(ai_confidence)})"
    ai_de = (
        f"Die KI schlägt {_label(ai_label)} vor (Sicherheit {format_number(ai_confidence, 'de')})"
    )
    if top_features:
        unit = (ai_output or {}).get("unit", "score")
        label = _label(ai_label)
        ai_en += f"; main factors ({_UNIT_TEXT[unit, 'en'].format(label=label)}): "
        ai_en += _features_text(top_features, "en")
        ai_de += f"; wichtigste Faktoren ({_UNIT_TEXT[unit, 'de'].format(label=label)}): "
        ai_de += _features_text(top_features, "de")
    numbers.update(reason=reason, text_en=en, text_de=de, ai_text_en=ai_en + ".")
    numbers["ai_text_de"] = ai_de + "."
    return numbers


def _unusual_sentences(
    unusual: list[dict[str, Any]], to_person: bool, en: str, de: str, reason: str
) -> tuple[str, str, str]:
    from .novelty import describe_reason

    why_en = "; ".join(describe_reason(r, "en") for r in unusual)
    why_de = "; ".join(describe_reason(r, "de") for r in unusual)
    if to_person:
        return (
            f"Unlike the training data ({why_en}): a person decides, not the AI, whose "
            f"confidence is lowered here. {en}",
            f"Anders als die Trainingsdaten ({why_de}): eine Person entscheidet, nicht die KI, "
            f"deren Sicherheit hier herabgesetzt ist. {de}",
            "unusual_case",
        )
    return (
        f"Unlike the training data ({why_en}); the AI's confidence is lowered; check this "
        f"case. {en}",
        f"Anders als die Trainingsdaten ({why_de}); die Sicherheit der KI ist herabgesetzt; "
        f"diesen Fall prüfen. {de}",
        reason,
    )


def _routing_sentences(
    routed_to: str,
    audit: bool,
    ai_value: float,
    person_values: dict[str, float],
    best: str | None,
    capacity_left: dict[str, int],
    total_left: int,
    respects_capacity: bool,
    margin: float = 0.0,
) -> tuple[str, str, str]:
    def f(x: float, lang: str) -> str:
        return format_number(x, lang)

    n_avail = len(person_values)
    if routed_to != "ai" and audit:
        return (
            f"Decided by the AI and drawn at random for the audit of AI decisions: "
            f"{routed_to} checks it; capacity left: {routed_to} {capacity_left.get(routed_to, 0)}, "
            f"people together {total_left}.",
            f"Von der KI entschieden und zufällig für die Prüfung der KI-Entscheidungen gezogen: "
            f"{routed_to} prüft den Fall; freie Kapazität: {routed_to} "
            f"{capacity_left.get(routed_to, 0)}, alle Personen zusammen {total_left}.",
            "audit",
        )
    if routed_to != "ai":
        v = person_values.get(routed_to, float("nan"))
        if not respects_capacity:
            return (
                f"Sent to {routed_to}: people decide every case with this method; "
                f"{routed_to} has the highest expected correctness ({f(v, 'en')}) of "
                f"{n_avail} available persons.",
                f"An {routed_to} übergeben: bei dieser Methode entscheiden Personen jeden Fall; "
                f"{routed_to} hat die höchste erwartete Trefferquote ({f(v, 'de')}) von "
                f"{n_avail} verfügbaren Personen.",
                "people_decide_all",
            )
        rank = "best" if routed_to == best else "next best with capacity"
        rank_de = "beste" if routed_to == best else "nächstbeste mit freier Kapazität"
        note, note_de = "", ""
        if v <= ai_value:
            note = "; on validation cases people did better than estimated where the AI led by less"
            note_de = (
                "; in den Validierungsfällen waren Personen besser als geschätzt, wo die KI "
                "knapp vorn lag"
            )
        return (
            f"Sent to {routed_to}: expected correctness {f(v, 'en')} against "
            f"{f(ai_value, 'en')} for the AI ({rank} of {n_avail} available persons{note}); "
            f"capacity left: {routed_to} {capacity_left.get(routed_to, 0)}, people together "
            f"{total_left}.",
            f"An {routed_to} übergeben: erwartete Trefferquote {f(v, 'de')} gegenüber "
            f"{f(ai_value, 'de')} für die KI ({rank_de} von {n_avail} verfügbaren "
            f"Personen{note_de}); freie Kapazität: {routed_to} "
            f"{capacity_left.get(routed_to, 0)}, alle Personen zusammen {total_left}.",
            "person_expected_better" if v > ai_value else "person_better_on_validation",
        )
    if best is None:
        return (
            f"Left to the AI: nobody is available for this case "
            f"(AI expected correctness {f(ai_value, 'en')}).",
            f"Bei der KI belassen: für diesen Fall ist niemand verfügbar "
            f"(erwartete Trefferquote der KI {f(ai_value, 'de')}).",
            "nobody_available",
        )
    vb = person_values[best]
    if ai_value < vb <= ai_value + margin:
        return (
            f"Left to the AI (expected correctness {f(ai_value, 'en')}): {best} would be "
            f"expected to do slightly better ({f(vb, 'en')}), but on validation cases gains "
            f"below {f(margin, 'en')} did not pay off.",
            f"Bei der KI belassen (erwartete Trefferquote {f(ai_value, 'de')}): {best} wäre "
            f"voraussichtlich etwas besser ({f(vb, 'de')}), aber in den Validierungsfällen "
            f"zahlten sich Gewinne unter {f(margin, 'de')} nicht aus.",
            "gain_below_margin",
        )
    if vb > ai_value + margin:
        return (
            f"Left to the AI (expected correctness {f(ai_value, 'en')}): {best} would be "
            f"expected to do better ({f(vb, 'en')}), but the capacity of people is spent on "
            f"cases where they gain more (people together have {total_left} left).",
            f"Bei der KI belassen (erwartete Trefferquote {f(ai_value, 'de')}): {best} wäre "
            f"voraussichtlich besser ({f(vb, 'de')}), aber die Kapazität der Personen geht an "
            f"Fälle, in denen sie mehr bewirken (noch {total_left} frei).",
            "capacity_used_elsewhere",
        )
    return (
        f"Left to the AI: its expected correctness {f(ai_value, 'en')} is at least that of "
        f"every available person (best: {best} {f(vb, 'en')}).",
        f"Bei der KI belassen: ihre erwartete Trefferquote {f(ai_value, 'de')} ist mindestens "
        f"so hoch wie die jeder verfügbaren Person (beste: {best} {f(vb, 'de')}).",
        "ai_expected_better",
    )


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas NA
    except (TypeError, ValueError):
        return True


def top_features(
    names: list[str], contrib: np.ndarray, source: Any, row: int | None, k: int = 3
) -> list[dict[str, Any]]:
    """The ``k`` input columns with the largest contributions, with the case's values.

    Parameters
    ----------
    names : list of str
        Input columns (from :meth:`AIExplainer.attributions`).
    contrib : numpy.ndarray of shape (n_columns,)
        One case's contributions.
    source : pandas.DataFrame or mapping
        The cases' raw values (a frame with ``row``), or one case's mapping (``row=None``).
    row : int or None
        The case's row in ``source``.
    k : int
        How many columns.

    Returns
    -------
    list of dict
        ``{"feature", "value", "contribution"}``, largest absolute contribution first;
        ``value`` is None where the case has no value (never NaN), and columns without a
        contribution are left out.

    Examples
    --------
    >>> import numpy as np
    >>> top_features(["a", "b"], np.array([0.1, -0.5]), {"a": 1, "b": "x"}, None, k=1)
    [{'feature': 'b', 'value': 'x', 'contribution': -0.5}]
    """
    contrib = np.nan_to_num(np.asarray(contrib, dtype=np.float64))
    if not np.any(contrib):
        return []
    order = [c for c in np.argsort(-np.abs(contrib))[:k] if contrib[c] != 0]
    out = []
    for c in order:
        name = names[c]
        if row is None:
            value = source.get(name)
        else:
            value = source[name].iat[row] if name in source.columns else None
        if isinstance(value, np.generic):
            value = value.item()
        if _is_missing(value):
            value = None
        if isinstance(value, str) and len(value) > 40:
            value = value[:37] + "..."
        out.append({"feature": name, "value": value, "contribution": float(contrib[c])})
    return out
