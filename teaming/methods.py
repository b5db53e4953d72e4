"""Routing methods, all through one contract and evaluated by the same code.

A method looks at a :class:`CaseView` (the calibrated AI's probabilities, each person's
modelled probability of being right, their confusion matrices, who is available) and says

- :meth:`Method.ai_proba`: the AI's class probabilities (its decision is their argmax),
- :meth:`Method.values`: the expected correctness of leaving each case to the AI and of
  giving it to each person,
- :meth:`Method.decide`: the team's answer when person ``j`` answered ``h``.

The router (:mod:`teaming.router`) turns values into gains and solves the capacity problem;
nothing else differs between methods.

To add a method, subclass :class:`Method`, give it a unique ``name`` and decorate it with
:func:`register_method`; ``HumanAITeam(method="<name>")``, the selection by ``method="auto"``
and the evaluation pick it up.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

from .constants import TORCH_SINGLE_THREAD_MAX_ROWS

__all__ = [
    "CaseView",
    "LazyCorrect",
    "Method",
    "METHODS",
    "MethodNotAvailable",
    "available_methods",
    "make_method",
    "register_method",
]


class MethodNotAvailable(RuntimeError):
    """A method needs an optional dependency that is not installed.

    Parameters
    ----------
    message : str
        What is missing and how to install it.

    Examples
    --------
    >>> issubclass(MethodNotAvailable, RuntimeError)
    True
    """


@dataclass
class CaseView:
    """What a method sees about a set of cases.

    Attributes
    ----------
    Z : numpy.ndarray of shape (n_cases, n_features)
        Preprocessed features.
    ai_proba : numpy.ndarray of shape (n_cases, n_classes)
        Calibrated AI probabilities.
    person_correct : numpy.ndarray of shape (n_cases, n_persons)
        Modelled probability that each person is right. It may be given as a
        :class:`LazyCorrect` (the person models run only when a method reads it: ``combine``
        routes by the confusion matrices and needs them only for persons whose plain answer
        stands).
    confusion : numpy.ndarray of shape (n_persons, n_classes, n_classes)
        ``C[j, true, answer]``.
    available : numpy.ndarray of bool of shape (n_cases, n_persons)
        Who can take which case.
    cost : numpy.ndarray of shape (n_cases,)
        Cost of a wrong decision (ones when costs are not given).
    person_accuracy : numpy.ndarray of shape (n_persons,)
        Each person's overall modelled accuracy (a tie-breaker).

    Parameters
    ----------
    Z, ai_proba, person_correct, confusion, available, cost, person_accuracy
        As described under Attributes.

    Examples
    --------
    >>> import numpy as np
    >>> view = CaseView(np.zeros((2, 1)), np.array([[0.9, 0.1], [0.5, 0.5]]),
    ...                 np.array([[0.8], [0.8]]), np.ones((1, 2, 2)) / 2,
    ...                 np.ones((2, 1), bool), np.ones(2), np.array([0.8]))
    >>> view.n_cases, view.n_persons, view.take(np.array([1])).n_cases
    (2, 1, 1)
    """

    Z: np.ndarray
    ai_proba: np.ndarray
    person_correct: Any  # an array, or a LazyCorrect that reading turns into one (below)
    confusion: np.ndarray
    available: np.ndarray
    cost: np.ndarray
    person_accuracy: np.ndarray

    @property
    def n_cases(self) -> int:
        """Number of cases."""
        return int(self.ai_proba.shape[0])

    @property
    def n_persons(self) -> int:
        """Number of persons."""
        return int(self.available.shape[1])

    def take(self, index: np.ndarray) -> CaseView:
        """The view of the cases at ``index``."""
        correct = self.__dict__["person_correct"]
        return CaseView(
            self.Z[index],
            self.ai_proba[index],
            correct.take(index) if isinstance(correct, LazyCorrect) else correct[index],
            self.confusion,
            self.available[index],
            self.cost[index],
            self.person_accuracy,
        )


def _person_correct(view: CaseView) -> np.ndarray:
    value = view.__dict__["person_correct"]
    if isinstance(value, LazyCorrect):
        value = view.__dict__["person_correct"] = value()
    return value


def _set_person_correct(view: CaseView, value: Any) -> None:
    view.__dict__["person_correct"] = value


# set after the dataclass is made (a property in the class body would be taken for the
# field's default): the generated __init__, replace() and take() go through it
CaseView.person_correct = property(  # type: ignore[assignment,method-assign]
    _person_correct, _set_person_correct, doc="Modelled probability that each person is right."
)


class LazyCorrect:
    """Each person's modelled correctness, computed when first read (see :class:`CaseView`).

    Parameters
    ----------
    compute : callable
        ``compute(rows)`` gives the ``(len(rows), n_persons)`` array of the cases at
        positions ``rows`` of its ``n_cases`` cases (``rows=None``: all of them).
    n_cases : int
        How many cases ``compute`` knows.
    rows : numpy.ndarray of int, optional
        The positions of this view's cases among them (default: all, in order).

    Examples
    --------
    >>> import numpy as np
    >>> table = np.arange(4.0)[:, None]
    >>> lazy = LazyCorrect(lambda rows: table if rows is None else table[rows], 4)
    >>> view = CaseView(np.zeros((4, 1)), np.full((4, 2), 0.5), lazy, np.ones((1, 2, 2)) / 2,
    ...                 np.ones((4, 1), bool), np.ones(4), np.array([0.8]))
    >>> view.take(np.array([3, 1])).person_correct.ravel().tolist()
    [3.0, 1.0]
    """

    def __init__(self, compute: Any, n_cases: int, rows: np.ndarray | None = None) -> None:
        self.compute = compute
        self.n_cases = int(n_cases)
        self.rows = rows

    def take(self, index: Any) -> LazyCorrect:
        """The same for the cases at ``index`` of these (still not computed)."""
        rows = np.arange(self.n_cases) if self.rows is None else self.rows
        return LazyCorrect(self.compute, self.n_cases, np.asarray(rows[index]))

    def __call__(self) -> np.ndarray:
        return self.compute(self.rows)


class Method:
    """Base class of routing methods.

    Subclasses set ``name`` and override :meth:`values` (and, where needed, :meth:`fit`,
    :meth:`ai_proba`, :meth:`decide`). ``respects_capacity = False`` marks a reference
    method that ignores capacity and the audit (``human_only``).

    Parameters
    ----------
    (none)
        Methods are created by name with :func:`make_method`.

    Examples
    --------
    >>> sorted(METHODS)[:3]
    ['ai_only', 'combine', 'compare_confidence']
    """

    name: ClassVar[str] = "method"
    respects_capacity: ClassVar[bool] = True
    learns_margin: ClassVar[bool] = True
    description: ClassVar[str] = ""
    # a person takes a case only where their expected gain over the AI exceeds this margin;
    # the team learns it on honest validation outcomes (:func:`learn_margin`)
    margin_: float = 0.0

    def fit(self, view: CaseView, y: np.ndarray, H: np.ndarray) -> Method:
        """Learn what the method needs (most methods need nothing beyond the view).

        Parameters
        ----------
        view : CaseView
            Training cases.
        y : numpy.ndarray of int
            True classes.
        H : numpy.ndarray of int
            Recorded decisions, ``-1`` where not decided.

        Returns
        -------
        Method
            ``self``.
        """
        return self

    def ai_proba(self, view: CaseView) -> np.ndarray:
        """The AI's class probabilities for these cases."""
        return view.ai_proba

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """Expected correctness of the AI (n_cases,) and of each person (n_cases, n_persons)."""
        raise NotImplementedError

    def gains(self, view: CaseView) -> np.ndarray:
        """Cost-weighted gain of each person over the AI; ``-inf`` where unavailable.

        Parameters
        ----------
        view : CaseView
            The cases.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons)
        """
        v_ai, v_person = self.values(view)
        return self.gains_from(view, v_ai, v_person)

    def gains_from(self, view: CaseView, v_ai: np.ndarray, v_person: np.ndarray) -> np.ndarray:
        """Gains from already computed values: ``cost * (v_person - v_ai - margin_)``.

        Parameters
        ----------
        view : CaseView
            The cases (availability and costs).
        v_ai, v_person : numpy.ndarray
            The method's values for these cases.

        Returns
        -------
        numpy.ndarray of shape (n_cases, n_persons)
            ``-inf`` where a person is not available.
        """
        margin = float(getattr(self, "margin_", 0.0)) if self.learns_margin else 0.0
        gains = view.cost[:, None] * (v_person - v_ai[:, None] - margin)
        return np.where(view.available, gains, -np.inf)

    def decide(self, view: CaseView, person: np.ndarray, answer: np.ndarray) -> np.ndarray:
        """The team's answer for cases routed to ``person`` who answered ``answer``.

        Parameters
        ----------
        view : CaseView
            The cases.
        person : numpy.ndarray of int of shape (n_cases,)
            Person index per case.
        answer : numpy.ndarray of int of shape (n_cases,)
            The person's answer (class index).

        Returns
        -------
        numpy.ndarray of int
            Default: the person's answer.
        """
        return np.asarray(answer)


METHODS: dict[str, type[Method]] = {}


def register_method(cls: type[Method]) -> type[Method]:
    """Class decorator that makes a method selectable by name.

    Parameters
    ----------
    cls : type
        A :class:`Method` subclass with a unique ``name``.

    Returns
    -------
    type
        ``cls`` itself.

    Examples
    --------
    >>> @register_method
    ... class Cautious(Method):
    ...     name = "cautious_example"
    ...     def values(self, view):
    ...         return view.ai_proba.max(axis=1), view.person_correct
    >>> "cautious_example" in METHODS
    True
    >>> del METHODS["cautious_example"]
    """
    if cls.name in METHODS and METHODS[cls.name] is not cls:
        raise ValueError(f"a method named {cls.name!r} is already registered")
    METHODS[cls.name] = cls
    return cls


@register_method
class AIOnly(Method):
    """The AI decides every case (the audit share still goes to people)."""

    name = "ai_only"
    learns_margin = False
    description = "the AI decides every case"

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """No person ever gains over the AI."""
        n, m = view.n_cases, view.n_persons
        return np.ones(n), np.zeros((n, m))


@register_method
class HumanOnly(Method):
    """People decide every case they are available for (reference; ignores capacity).

    Each case goes to the available person with the highest modelled correctness; cases
    that nobody is available for stay with the AI.
    """

    name = "human_only"
    respects_capacity = False
    learns_margin = False
    description = "people decide every case (the person most likely right among those available)"

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """Every available person beats the AI; the better-modelled person more."""
        return np.full(view.n_cases, -1.0), view.person_correct


@register_method
class ConfidenceThreshold(Method):
    """Defer the cases the AI is least confident about, up to capacity."""

    name = "confidence_threshold"
    description = "defer the cases the AI is least confident about, up to capacity"

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """AI: its confidence; persons: certain, the more accurate person first on ties."""
        tie_break = 1e-6 * view.person_accuracy[None, :]
        person = np.broadcast_to(1.0 + tie_break, (view.n_cases, view.n_persons))
        return view.ai_proba.max(axis=1), person


@register_method
class CompareConfidence(Method):
    """Defer when a person's modelled correctness beats the calibrated AI's confidence."""

    name = "compare_confidence"
    description = "calibrated AI confidence against each person's modelled correctness"

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """AI: its calibrated confidence; persons: their modelled correctness."""
        return view.ai_proba.max(axis=1), view.person_correct


# cases per block of combined_value: its per-person rows of that many cases stay in the cache
COMBINE_CHUNK_CASES = 65_536


def combined_value(
    ai_proba: np.ndarray, confusion: np.ndarray, chunk: int = COMBINE_CHUNK_CASES
) -> np.ndarray:
    """Expected accuracy of combining each person's answer with the AI (Kerrigan et al.).

    ``E[acc | combine with j] = sum_h max_y p(y | x) C_j(y, h)``.

    Parameters
    ----------
    ai_proba : numpy.ndarray of shape (n_cases, n_classes)
        Calibrated AI probabilities.
    confusion : numpy.ndarray of shape (n_persons, n_classes, n_classes)
        ``C[j, true, answer]``.
    chunk : int
        Cases per block (bounds memory).

    Returns
    -------
    numpy.ndarray of shape (n_cases, n_persons)

    Examples
    --------
    >>> import numpy as np
    >>> C = np.array([[[0.9, 0.1], [0.1, 0.9]]])
    >>> combined_value(np.array([[0.5, 0.5], [1.0, 0.0]]), C).round(2).tolist()
    [[0.9], [1.0]]
    """
    P = np.asarray(ai_proba, dtype=np.float64)
    C = np.asarray(confusion, dtype=np.float64)
    n, K = P.shape
    m = C.shape[0]
    out = np.zeros((m, n))
    # one class's probabilities of all cases as a contiguous row, times one number per
    # (person, true class, answer): each product, maximum and sum is a plain vector loop
    # (no broadcasting over the few persons), with the same products, maxima and sums in the
    # same order as summing the answers' maxima over the classes
    rows = np.ascontiguousarray(P.T)
    best = np.empty(min(chunk, n))
    term = np.empty_like(best)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        b, t, p = best[: stop - start], term[: stop - start], rows[:, start:stop]
        for j in range(m):
            acc = out[j, start:stop]
            for h in range(K):
                np.multiply(p[0], C[j, 0, h], out=b)
                for y in range(1, K):
                    np.multiply(p[y], C[j, y, h], out=t)
                    np.maximum(b, t, out=b)
                acc += b
    return np.ascontiguousarray(out.T)


@register_method
class Combine(Method):
    """Combine a deferred case's person answer with the calibrated AI (Kerrigan et al. 2021).

    The team's answer for a case person ``j`` answered ``h`` is
    ``argmax_y p_AI(y | x) C_j(y, h)``. Cases are routed by the value of that combination,
    ``sum_h max_y p(y | x) C_j(y, h)`` against the AI's ``max_y p(y | x)``: a person is
    asked where their answer is most likely to change the team's answer for the better.

    Where combining loses against a person's plain answer on the (honest) training cases,
    that person's answer stands as given and is routed by their modelled correctness
    (``plain_``); a person's comparison is shrunk toward the pooled one of all persons
    (``PLAIN_PRIOR`` pseudo-cases), so a person with few cases follows the majority.
    """

    name = "combine"
    description = (
        "combine the person's answer with the calibrated AI through their confusion matrix; "
        "route by the expected gain of combining"
    )
    PLAIN_PRIOR: ClassVar[float] = 20.0
    plain_: np.ndarray | None = None

    def fit(self, view: CaseView, y: np.ndarray, H: np.ndarray) -> Method:
        """Find the persons whose plain answer beats its combination with the AI."""
        m = view.n_persons
        delta, count = np.zeros(m), np.zeros(m)
        for j in range(m):
            known = np.flatnonzero(H[:, j] >= 0)
            if known.size == 0:
                continue
            combined = self._combined(view.take(known), np.full(known.size, j), H[known, j])
            right = (combined == y[known]).astype(float) - (H[known, j] == y[known])
            delta[j] = float(np.dot(view.cost[known], right))
            count[j] = known.size
        pooled = delta.sum() / max(count.sum(), 1.0)
        shrunk = (delta + self.PLAIN_PRIOR * pooled) / (count + self.PLAIN_PRIOR)
        self.plain_ = shrunk < 0
        return self

    def _plain(self, m: int) -> np.ndarray:
        plain = getattr(self, "plain_", None)
        return np.zeros(m, dtype=bool) if plain is None else np.asarray(plain, dtype=bool)

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """AI: its confidence; persons: expected accuracy of the combination (or plain)."""
        value = combined_value(view.ai_proba, view.confusion)
        plain = self._plain(view.n_persons)
        if plain.any():
            value[:, plain] = view.person_correct[:, plain]
        return view.ai_proba.max(axis=1), value

    @staticmethod
    def _combined(view: CaseView, person: np.ndarray, answer: np.ndarray) -> np.ndarray:
        likelihood = view.confusion[person, :, answer]  # (n, K): C_j(y, h) for every y
        return np.argmax(view.ai_proba * likelihood, axis=1)

    def decide(self, view: CaseView, person: np.ndarray, answer: np.ndarray) -> np.ndarray:
        """``argmax_y p(y | x) C_person(y, answer)``; the answer itself for plain persons."""
        person = np.asarray(person, dtype=np.int64)
        answer = np.asarray(answer, dtype=np.int64)
        combined = self._combined(view, person, answer)
        return np.where(self._plain(view.n_persons)[person], answer, combined)


@contextmanager
def _torch_threads(n_cases: int) -> Iterator[None]:
    """One torch thread for small inputs: thread hand-offs cost more than they save there."""
    import torch

    before = torch.get_num_threads()
    if n_cases < TORCH_SINGLE_THREAD_MAX_ROWS:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


class _Learned(Method):
    """Learned deferral surrogate (teaming.surrogates), several persons; needs torch."""

    loss: ClassVar[str] = "ce"

    def __init__(self, **params: Any) -> None:
        self.params = params

    @staticmethod
    def check_available() -> None:
        """Raise :class:`MethodNotAvailable` when the surrogate cannot run here."""
        import importlib.util

        if importlib.util.find_spec("torch") is None:
            raise MethodNotAvailable(
                "the learned deferral methods need PyTorch, an optional extra: "
                'pip install "humaine[torch]" (torch==2.13.0, CPU build)'
            )
        try:
            from . import surrogates  # noqa: F401
        except ImportError as exc:
            raise MethodNotAvailable(f"teaming.surrogates cannot be imported: {exc}") from exc

    def fit(self, view: CaseView, y: np.ndarray, H: np.ndarray) -> Method:
        """Train the surrogate on the cases' features and the calibrated AI's output."""
        self.check_available()
        from .surrogates import DeferralSurrogate

        params = {"random_state": 0, "n_classes": view.ai_proba.shape[1], **self.params}
        self.model_ = DeferralSurrogate(loss=self.loss, **params)
        with _torch_threads(view.n_cases):
            self.model_.fit(self._inputs(view), y, H)
        return self

    @staticmethod
    def _inputs(view: CaseView) -> np.ndarray:
        # the surrogate sees what the AI says, so it need not relearn the AI from the features
        log_p = np.log(np.clip(view.ai_proba, 1e-6, 1.0))
        return np.concatenate([np.nan_to_num(view.Z), log_p], axis=1).astype(np.float32)

    # the fitted network is a torch module: keep it as plain arrays so skops can store it
    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = {"params": self.params, "margin": float(self.margin_)}
        model = getattr(self, "model_", None)
        if model is not None:
            attrs = {k: v for k, v in vars(model).items() if k.endswith("_") and k != "model_"}
            weights = {k: v.detach().cpu().numpy() for k, v in model.model_.state_dict().items()}
            state["surrogate"] = {"init": model.get_params(), "attrs": attrs, "weights": weights}
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.params = state["params"]
        self.margin_ = float(state.get("margin", 0.0))
        saved = state.get("surrogate")
        if saved is None:
            return
        self.check_available()
        import torch

        from .surrogates import DeferralSurrogate

        model = DeferralSurrogate(**saved["init"])
        for key, value in saved["attrs"].items():
            setattr(model, key, value)
        network = model._network(model.n_features_in_, model.n_classes_ + model.n_persons_)
        network.load_state_dict({k: torch.as_tensor(v) for k, v in saved["weights"].items()})
        network.eval()
        model.model_ = network
        self.model_ = model

    def values(self, view: CaseView) -> tuple[np.ndarray, np.ndarray]:
        """AI: the surrogate's probability that the AI's decision is right; persons: its
        deferral scores. The AI's decision itself stays the calibrated AI's."""
        inputs = self._inputs(view)
        with _torch_threads(view.n_cases):
            proba, scores = self.model_.proba_and_defer_scores(inputs)
        decided = view.ai_proba.argmax(axis=1)
        return proba[np.arange(view.n_cases), decided], scores


@register_method
class LearnedCE(_Learned):
    """Cross-entropy learning to defer (Mozannar & Sontag 2020), several persons."""

    name = "learned_ce"
    loss = "ce"
    description = "learned deferral, cross-entropy surrogate (Mozannar & Sontag 2020)"


@register_method
class LearnedOVA(_Learned):
    """One-vs-all learning to defer (Verma & Nalisnick 2022), several persons."""

    name = "learned_ova"
    loss = "ova"
    description = "learned deferral, one-vs-all surrogate (Verma & Nalisnick 2022)"


def make_method(name: str, **params: Any) -> Method:
    """A fresh method by name.

    Parameters
    ----------
    name : str
        A registered method name.
    **params
        Passed to the method (only the learned methods take any).

    Returns
    -------
    Method

    Raises
    ------
    ValueError
        Unknown name.
    MethodNotAvailable
        The method needs an optional dependency that is missing.

    Examples
    --------
    >>> make_method("combine").name
    'combine'
    """
    if name not in METHODS:
        raise ValueError(f"unknown method {name!r}; choose one of {sorted(METHODS)} or 'auto'")
    cls = METHODS[name]
    if issubclass(cls, _Learned):
        cls.check_available()
        return cls(**params)
    return cls()


def available_methods() -> list[str]:
    """Names of the methods that can run here (the learned ones need torch).

    Returns
    -------
    list of str

    Examples
    --------
    >>> "combine" in available_methods()
    True
    """
    names = []
    for name, cls in METHODS.items():
        if issubclass(cls, _Learned):
            try:
                cls.check_available()
            except MethodNotAvailable:
                continue
        names.append(name)
    return names
