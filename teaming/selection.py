"""Choosing the routing method: every candidate scored on honest validation figures.

The team hands over its validation cases split into folds, each with a view of its cases
whose person models, confusion matrices and person accuracies were fitted on the *other*
folds (:class:`HonestFold`). Every candidate method is fitted on the other folds, its margin
learned there too (:func:`teaming.outcomes.learn_margin`), and scored on the fold's cases;
so no method is judged on data that shaped it. Scores look at capacities around the given
one (half to one and a half times it): a method that is better only at exactly this capacity
is more likely lucky than better. ``"auto"`` takes the best, unless a simpler method (earlier
in :data:`AUTO_ORDER`) trails it by less than :data:`SELECTION_TOLERANCE` standard errors of
the paired per-case difference. The learned surrogates, whose networks give every person
their own output without shrinkage, take part only when the persons decided at least
:data:`~teaming.constants.LEARNED_MIN_PERSON_CASES` cases each (median): with a crowd of
people who decided a few dozen cases each, their lead would be noise.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

from .constants import LEARNED_AUTO_MAX_CASES, LEARNED_MIN_PERSON_CASES
from .methods import METHODS, CaseView, Method, MethodNotAvailable, available_methods, make_method
from .outcomes import (
    Outcomes,
    learn_margin,
    method_outcomes,
    route_outcomes,
    routed_correct,
    score_routing,
    stack_outcomes,
)

__all__ = [
    "AUTO_ORDER",
    "SELECTION_TOLERANCE",
    "HonestFold",
    "candidate_methods",
    "choose_method",
    "selection_choice",
    "selection_sentence",
    "select_method",
    "stack_views",
]

log = logging.getLogger("teaming")

# methods "auto" compares, simplest first (ties go to the simpler one)
AUTO_ORDER = (
    "ai_only",
    "confidence_threshold",
    "compare_confidence",
    "combine",
    "learned_ce",
    "learned_ova",
)
# a simpler method is kept while the best one leads it by less than this many standard
# errors of the paired per-case difference (the leader's edge may be noise)
SELECTION_TOLERANCE = 0.25


@dataclass
class HonestFold:
    """One fold of the validation cases, seen through models fitted on the other folds.

    Attributes
    ----------
    test : numpy.ndarray of int
        Positions of the fold's cases among the validation cases.
    train_view : CaseView
        The other folds' cases.
    test_view : CaseView
        The fold's cases.

    Parameters
    ----------
    test, train_view, test_view
        As described under Attributes.

    Examples
    --------
    >>> import numpy as np
    >>> view = CaseView(np.zeros((2, 1)), np.full((2, 2), 0.5), np.full((2, 1), 0.8),
    ...                 np.ones((1, 2, 2)) / 2, np.ones((2, 1), bool), np.ones(2),
    ...                 np.array([0.8]))
    >>> HonestFold(np.array([2, 3]), view, view).test.tolist()
    [2, 3]
    """

    test: np.ndarray
    train_view: CaseView
    test_view: CaseView


def candidate_methods(
    method: str, n_persons: int, n_cases: int, cases_per_person: float | None = None
) -> list[str]:
    """The methods to compare: the named one, or for ``"auto"`` every usable one.

    Parameters
    ----------
    method : str
        A method name or ``"auto"``.
    n_persons : int
        Persons who may take cases (none: only ``ai_only`` makes sense).
    n_cases : int
        Training cases (the learned surrogates are compared only up to
        :data:`~teaming.constants.LEARNED_AUTO_MAX_CASES`).
    cases_per_person : float, optional
        The median of the persons' decided cases (the learned surrogates are compared only
        from :data:`~teaming.constants.LEARNED_MIN_PERSON_CASES` on).

    Returns
    -------
    list of str
        Simplest first.

    Examples
    --------
    >>> candidate_methods("auto", 3, 1000)[:3]
    ['ai_only', 'confidence_threshold', 'compare_confidence']
    >>> candidate_methods("combine", 0, 1000)
    ['ai_only']
    >>> "learned_ova" in candidate_methods("auto", 400, 1000, cases_per_person=25)
    False
    """
    if not n_persons:
        # without people's decisions every method reduces to the AI deciding
        if method not in {"auto", "ai_only"}:
            log.warning("no person decisions: method %s falls back to ai_only", method)
        return ["ai_only"]
    if method != "auto":
        return [method]
    usable = set(available_methods())
    if n_cases > LEARNED_AUTO_MAX_CASES:
        # training the surrogates would dominate the fit: name them to use them
        usable -= {"learned_ce", "learned_ova"}
    if cases_per_person is not None and cases_per_person < LEARNED_MIN_PERSON_CASES:
        # a network output per person, unshrunk, from a few dozen cases: its lead is noise
        usable -= {"learned_ce", "learned_ova"}
    ordered = [m for m in AUTO_ORDER if m in usable]
    extra = [m for m in usable - set(AUTO_ORDER) if METHODS[m].respects_capacity]
    return ordered + sorted(m for m in extra if m != "human_only")


def select_method(
    candidates: list[str],
    folds: list[HonestFold],
    y: np.ndarray,
    H: np.ndarray,
    *,
    capacity: float,
    person_caps: Any,
    audit: float,
    persons: list[str],
    auto: bool,
    criterion: str = "accuracy",
) -> tuple[dict[str, Method], dict[str, Any]]:
    """Score every candidate on honest folds, fit it on all validation cases, choose one.

    Parameters
    ----------
    candidates : list of str
        Methods to compare, simplest first (:func:`candidate_methods`).
    folds : list of HonestFold
        The validation cases in folds.
    y, H : numpy.ndarray of int
        True classes and recorded decisions of the validation cases.
    capacity, audit : float
        The team's capacity and audit share.
    person_caps : numpy.ndarray of int or None
        Per-person limits for a batch of the validation cases' size.
    persons : list of str
        Person ids (for the workload figures).
    auto : bool
        The user asked for ``"auto"`` (otherwise the single candidate is reported as set).
    criterion : str
        Name of the figure, for the report.

    Returns
    -------
    (dict, dict)
        Every fitted method by name (plus ``human_only`` as a reference), and the selection
        report: ``methods`` (each method's figures or why it was skipped), ``chosen``,
        ``reason``, ``criterion``, ``capacity``, ``audit``, ``n_validation_cases``.

    Raises
    ------
    MethodNotAvailable
        No candidate could run.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> n = 90; y = rng.integers(0, 2, n); H = y[:, None].copy()
    >>> P = np.column_stack([0.6 + 0.3 * (y == 0), 0.4 - 0.3 * (y == 0)])
    >>> view = CaseView(np.zeros((n, 1)), P, np.full((n, 1), 0.95), np.eye(2)[None] * 0.9 + 0.05,
    ...                 np.ones((n, 1), bool), np.ones(n), np.array([0.95]))
    >>> idx = np.arange(n)
    >>> folds = [HonestFold(idx[idx % 3 == f], view.take(idx[idx % 3 != f]),
    ...                     view.take(idx[idx % 3 == f])) for f in range(3)]
    >>> methods, report = select_method(["ai_only", "compare_confidence"], folds, y, H,
    ...     capacity=0.3, person_caps=None, audit=0.0, persons=["anna"], auto=True)
    >>> report["chosen"] in methods
    True
    """
    report: dict[str, Any] = {"capacity": capacity, "audit": audit, "methods": {}}
    methods: dict[str, Method] = {}
    correct: dict[str, np.ndarray] = {}
    # every validation case with its honest (out-of-fold) AI and person figures
    validation = stack_views([(fold.test, fold.test_view) for fold in folds], y.size)
    for k, name in enumerate(candidates, 1):
        log.info("fit: scoring method %d/%d: %s", k, len(candidates), name)
        try:
            outcomes, margin = _honest_outcomes(name, folds, y, H)
        except MethodNotAvailable as exc:
            report["methods"][name] = {"skipped": str(exc)}
            continue
        figures, correct[name] = _score_outcomes(outcomes, capacity, person_caps, audit)
        figures["workload"] = dict(zip(persons, figures["workload"].tolist()))
        figures["margin"] = margin
        report["methods"][name] = figures
        method = make_method(name)
        method.fit(validation, y, H)
        method.margin_ = margin
        methods[name] = method
    if not correct:
        raise MethodNotAvailable(f"no routing method could run: {report['methods']}")
    choice = selection_choice(correct, report["methods"], auto, capacity, criterion)
    report["chosen"] = choice["chosen"]
    report["criterion"] = criterion
    report["n_validation_cases"] = int(y.size)
    report["choice"] = choice
    report["reason"] = selection_sentence(choice, "en")
    report["reason_de"] = selection_sentence(choice, "de")
    # reference method for evaluation, cheap to keep
    methods.setdefault("human_only", make_method("human_only"))
    return methods, report


def _score_outcomes(
    outcomes: Outcomes, capacity: float, caps: Any, audit: float
) -> tuple[dict, np.ndarray]:
    """Figures at the capacity, and per case the correctness averaged around it."""
    route = route_outcomes(outcomes, capacity=capacity, person_caps=caps, audit=audit)
    figures = score_routing(outcomes, route)
    per_case = [routed_correct(outcomes, route)]
    if outcomes.respects_capacity:
        for c in sorted({min(1.0, 0.5 * capacity), min(1.0, 1.5 * capacity)} - {capacity}):
            around = route_outcomes(outcomes, capacity=c, person_caps=caps, audit=audit)
            per_case.append(routed_correct(outcomes, around))
    else:
        per_case *= 2
    local = np.nan_to_num(np.mean(per_case, axis=0))
    figures["accuracy_around"] = float(local.sum() / outcomes.weight.sum())
    return figures, local / outcomes.weight.mean()


def _honest_outcomes(
    name: str, folds: list[HonestFold], y: np.ndarray, H: np.ndarray
) -> tuple[Outcomes, float]:
    """Out-of-fold outcomes of a method (its margin learned on the other folds too), and
    the margin learned on all folds."""
    n = H.shape[0]
    parts: list[tuple[np.ndarray, Outcomes]] = []
    for fold in folds:
        method = make_method(name)
        train = _other_positions(fold.test, n)
        method.fit(fold.train_view, y[train], H[train])
        outcomes = method_outcomes(method, fold.test_view, y[fold.test], H[fold.test])
        parts.append((fold.test, outcomes))
    outcomes = stack_outcomes(parts, n)
    if not METHODS[name].learns_margin:
        return outcomes, 0.0
    margin = learn_margin(outcomes)
    assert outcomes.difference is not None
    for test, _ in parts:
        fold_margin = learn_margin(outcomes.take(_other_positions(test, n)))
        gains = outcomes.weight[test, None] * (outcomes.difference[test] - fold_margin)
        outcomes.gains[test] = np.where(np.isfinite(outcomes.difference[test]), gains, -np.inf)
    return outcomes, margin


def choose_method(
    correct: dict[str, np.ndarray],
    figures: dict[str, dict],
    auto: bool,
    capacity: float,
    criterion: str = "accuracy",
) -> tuple[str, str]:
    """The method to use, and why.

    The best by the per-case figure around the capacity, unless a simpler one (earlier in
    ``correct``) trails it by less than :data:`SELECTION_TOLERANCE` standard errors of the
    paired difference.

    Parameters
    ----------
    correct : dict of str to numpy.ndarray
        Per method (simplest first), each validation case's correctness around the capacity.
    figures : dict of str to dict
        Per method, at least ``accuracy`` at the capacity (for the reason).
    auto : bool
        Choose (True) or report the single method the user set (False).
    capacity : float
        The team's capacity (for the reason).
    criterion : str
        ``"accuracy"`` or ``"cost-weighted accuracy"`` (for the reason).

    Returns
    -------
    (str, str)
        The method's name and the reason in one English sentence (:func:`selection_choice`
        gives its numbers, :func:`selection_sentence` the sentence in German too).

    Examples
    --------
    >>> import numpy as np
    >>> correct = {"ai_only": np.array([1.0, 0.0, 1.0, 1.0]),
    ...            "combine": np.array([1.0, 1.0, 1.0, 1.0])}
    >>> figures = {"ai_only": {"accuracy": 0.75}, "combine": {"accuracy": 1.0}}
    >>> choose_method(correct, figures, True, 0.3)[0]
    'combine'
    """
    choice = selection_choice(correct, figures, auto, capacity, criterion)
    return choice["chosen"], selection_sentence(choice, "en")


def selection_choice(
    correct: dict[str, np.ndarray],
    figures: dict[str, dict],
    auto: bool,
    capacity: float,
    criterion: str = "accuracy",
) -> dict[str, Any]:
    """The choice of :func:`choose_method` with the numbers it rests on.

    Parameters
    ----------
    correct, figures, auto, capacity, criterion
        As for :func:`choose_method`.

    Returns
    -------
    dict
        ``chosen``, ``best`` (by the compared figure), ``user_set``, ``capacity``,
        ``criterion``, ``compared`` (per method the figure compared, averaged around the
        capacity; best first), ``at_capacity`` (per method the figure at the capacity), and
        when a simpler method is kept ``lead`` (the best's lead over it) and ``lead_se`` (in
        standard errors of the paired difference).

    Examples
    --------
    >>> import numpy as np
    >>> correct = {"ai_only": np.array([1.0, 0.0, 1.0, 1.0]),
    ...            "combine": np.array([1.0, 1.0, 1.0, 1.0])}
    >>> figures = {"ai_only": {"accuracy": 0.75}, "combine": {"accuracy": 1.0}}
    >>> selection_choice(correct, figures, True, 0.3)["compared"]
    {'combine': 1.0, 'ai_only': 0.75}
    """
    names = list(correct)
    scores = {k: float(correct[k].mean()) for k in names}
    best = max(names, key=lambda k: scores[k])
    choice: dict[str, Any] = {
        "chosen": best,
        "best": best,
        "user_set": not auto,
        "capacity": float(capacity),
        "criterion": criterion,
        "compared": {k: scores[k] for k in sorted(names, key=lambda k: -scores[k])},
        "at_capacity": {k: float(figures[k]["accuracy"]) for k in names},
    }
    if not auto:
        return choice
    for name in names[: names.index(best)]:
        diff = correct[best] - correct[name]
        se = float(diff.std(ddof=1) / np.sqrt(diff.size)) if diff.size > 1 else 0.0
        lead = scores[best] - scores[name]
        if lead <= SELECTION_TOLERANCE * se:
            choice.update(chosen=name, lead=lead, lead_se=lead / se if se else 0.0)
            break
    return choice


_CRITERION = {
    "accuracy": ("accuracy", "Trefferquote"),
    "cost-weighted accuracy": ("cost-weighted accuracy", "kostengewichtete Trefferquote"),
}


def selection_sentence(choice: dict[str, Any], language: str = "en") -> str:
    """Why the method was chosen, in English or German, with the figures it compared.

    Parameters
    ----------
    choice : dict
        From :func:`selection_choice` (kept as ``selection_report_["choice"]``).
    language : {"en", "de"}

    Returns
    -------
    str

    Examples
    --------
    >>> choice = {"chosen": "ai_only", "best": "combine", "user_set": False,
    ...           "capacity": 0.3, "criterion": "accuracy",
    ...           "compared": {"combine": 0.8125, "ai_only": 0.8115},
    ...           "at_capacity": {"combine": 0.81, "ai_only": 0.8}, "lead": 0.001,
    ...           "lead_se": 0.2}
    >>> print(selection_sentence(choice, "de"))  # doctest: +NORMALIZE_WHITESPACE
    ai_only gewählt: combine hatte die beste kreuzvalidierte Trefferquote um die Kapazität 30 %
    (Mittel über 15 %, 30 % und 45 %: combine 81,25 %, ai_only 81,15 %), lag aber nur
    0,10 Prozentpunkte vorn (0,20 Standardfehler der gepaarten Differenz); daher bleibt es
    beim einfacheren ai_only.
    """
    de = language == "de"

    def pct(value: float, digits: int = 2) -> str:
        text = f"{100 * value:.{digits}f} %"
        return text.replace(".", ",") if de else text

    def num(value: float) -> str:
        text = f"{value:.2f}"
        return text.replace(".", ",") if de else text

    cap = float(choice["capacity"])
    figure = _CRITERION.get(choice["criterion"], (choice["criterion"],) * 2)[1 if de else 0]
    chosen, best = choice["chosen"], choice["best"]
    if choice["user_set"]:
        at = pct(choice["at_capacity"][chosen])
        if de:
            return (
                f"Methode {chosen} vom Anwender festgelegt; ihre kreuzvalidierte {figure} bei "
                f"der Kapazität {pct(cap, 0)}: {at}."
            )
        return (
            f"method {chosen!r} was set by the user; its cross-fitted validation {figure} at "
            f"capacity {cap:g}: {at}."
        )
    around = sorted({min(1.0, 0.5 * cap), cap, min(1.0, 1.5 * cap)})
    points = [pct(c, 0) for c in around] if de else [f"{c:g}" for c in around]
    joined = (
        points[0]
        if len(points) == 1
        else ", ".join(points[:-1]) + (" und " if de else " and ") + points[-1]
    )
    listing = ", ".join(f"{k} {pct(v)}" for k, v in choice["compared"].items())
    if de:
        figures_de = f"um die Kapazität {pct(cap, 0)} (Mittel über {joined}: {listing})"
        if chosen == best:
            return f"{best} gewählt: die beste kreuzvalidierte {figure} {figures_de}."
        return (
            f"{chosen} gewählt: {best} hatte die beste kreuzvalidierte {figure} {figures_de}, "
            f"lag aber nur {num(100 * choice['lead'])} Prozentpunkte vorn "
            f"({num(choice['lead_se'])} Standardfehler der gepaarten Differenz); daher bleibt "
            f"es beim einfacheren {chosen}."
        )
    head = (
        f"{best} had the best cross-fitted validation {figure} around capacity {cap:g} "
        f"(mean over {joined}: {listing})"
    )
    if chosen == best:
        return head + "."
    return (
        f"{head}, but led {chosen} by only {num(100 * choice['lead'])} percentage points "
        f"({num(choice['lead_se'])} standard errors of the paired difference), so the simpler "
        f"{chosen} is kept."
    )


def stack_views(parts: list[tuple[np.ndarray, CaseView]], n: int) -> CaseView:
    """One view of all ``n`` cases from views of disjoint parts (positions, view).

    The confusion matrices and person accuracies are the first part's.

    Parameters
    ----------
    parts : list of (numpy.ndarray, CaseView)
        Positions of each part's cases, and its view.
    n : int
        Cases in all.

    Returns
    -------
    CaseView

    Examples
    --------
    >>> import numpy as np
    >>> view = CaseView(np.zeros((1, 1)), np.full((1, 2), 0.5), np.full((1, 1), 0.8),
    ...                 np.ones((1, 2, 2)) / 2, np.ones((1, 1), bool), np.ones(1),
    ...                 np.array([0.8]))
    >>> stack_views([(np.array([0]), view), (np.array([1]), view)], 2).n_cases
    2
    """
    first = parts[0][1]

    def stacked(attr: str) -> np.ndarray:
        sample = getattr(first, attr)
        out = np.empty((n, *sample.shape[1:]), dtype=sample.dtype)
        for idx, view in parts:
            out[idx] = getattr(view, attr)
        return out

    return CaseView(
        stacked("Z"),
        stacked("ai_proba"),
        stacked("person_correct"),
        first.confusion,
        stacked("available"),
        stacked("cost"),
        first.person_accuracy,
    )


def _other_positions(test: np.ndarray, n: int) -> np.ndarray:
    mask = np.ones(n, dtype=bool)
    mask[test] = False
    return np.flatnonzero(mask)
