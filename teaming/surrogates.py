"""Learned deferral surrogates: one network decides the class and whom to defer to.

Two surrogate losses from the learning-to-defer literature, extended to several persons
and to cases that only some persons decided:

- ``"ce"``: the cross-entropy surrogate of Mozannar & Sontag (2020), *Consistent
  estimators for learning to defer to an expert*, ICML. ``K + m`` softmax outputs.
- ``"ova"``: the one-vs-all surrogate of Verma & Nalisnick (2022), *Calibrated learning
  to defer with one-vs-all classifiers*, ICML. ``K + m`` sigmoid outputs.

PyTorch (CPU) is an optional extra (``pip install torch==2.13.0``); it is imported only
when a surrogate is fitted or a loss is computed, so ``import teaming`` works without it.
"""

from __future__ import annotations

import importlib.util
import re
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

__all__ = ["DeferralSurrogate", "ce_surrogate_loss", "ova_surrogate_loss"]

LOSSES = ("ce", "ova")
MISSING = -1
MIN_STEPS = 8


def _torch() -> Any:
    try:
        import torch
    except ImportError as exc:
        raise ImportError(
            "the learned deferral surrogates need PyTorch, an optional extra: "
            "pip install torch==2.13.0 (CPU build)"
        ) from exc
    return torch


def _as_tensors(logits: Any, y: Any, H: Any) -> tuple[Any, Any, Any]:
    torch = _torch()
    logits = torch.as_tensor(logits, dtype=torch.float32)
    y = torch.as_tensor(np.asarray(y), dtype=torch.long)
    H = torch.as_tensor(np.asarray(H), dtype=torch.long)
    if H.ndim == 1:
        H = H[:, None]
    n_persons = H.shape[1]
    if logits.ndim != 2 or logits.shape[1] <= n_persons:
        raise ValueError(
            f"logits must have shape (n_samples, n_classes + n_persons) with "
            f"n_persons={n_persons}; got {tuple(logits.shape)}"
        )
    if not (logits.shape[0] == y.shape[0] == H.shape[0]):
        raise ValueError("logits, y and H must have the same number of rows")
    return logits, y, H


def _reduce(per_case: Any, reduction: str) -> Any:
    if reduction == "mean":
        return per_case.mean()
    if reduction == "sum":
        return per_case.sum()
    if reduction == "none":
        return per_case
    raise ValueError(f"reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")


def ce_surrogate_loss(
    logits: Any, y: Any, H: Any, alpha: float = 1.0, reduction: str = "mean"
) -> Any:
    """Cross-entropy deferral surrogate (Mozannar & Sontag 2020) for several persons.

    For a case with true class ``y`` and person decisions ``h_1..h_m``, with ``p`` the
    softmax of the ``K + m`` outputs ``g``::

        L = -w log p_y - sum_j 1[h_j = y] log p_{K+j},   w = alpha if some h_j = y else 1

    A missing decision (``h_j = -1``) contributes no deferral term. With ``alpha = 1``
    this is the loss of the paper; ``alpha < 1`` is its re-weighted variant that lowers
    the weight of the classifier term on cases a person gets right.

    Parameters
    ----------
    logits : array-like or torch.Tensor of shape (n_samples, n_classes + n_persons)
        Raw network outputs: first the classes, then one output per person.
    y : array-like of shape (n_samples,)
        True classes in ``0..n_classes-1``.
    H : array-like of shape (n_samples, n_persons)
        Person decisions in ``0..n_classes-1``, ``-1`` where a person did not decide.
    alpha : float, default=1.0
        Weight of the classifier term on cases that some person got right.
    reduction : {"mean", "sum", "none"}, default="mean"
        How to reduce the per-case losses.

    Returns
    -------
    torch.Tensor
        The reduced loss (a scalar) or, with ``reduction="none"``, one loss per case.

    Examples
    --------
    >>> import math
    >>> from teaming.surrogates import ce_surrogate_loss
    >>> loss = ce_surrogate_loss([[1.0, 0.0, 0.5]], y=[0], H=[[0]])
    >>> z = math.exp(1.0) + math.exp(0.0) + math.exp(0.5)
    >>> round(float(loss), 6) == round(-math.log(math.e / z) - math.log(math.exp(0.5) / z), 6)
    True
    """
    torch = _torch()
    logits, y, H = _as_tensors(logits, y, H)
    n_classes = logits.shape[1] - H.shape[1]
    log_p = torch.log_softmax(logits, dim=1)
    right = (y[:, None] == H).to(logits.dtype)
    anyone_right = right.amax(dim=1)
    class_weight = torch.where(anyone_right > 0, torch.as_tensor(float(alpha)), 1.0)
    class_term = -class_weight * log_p.gather(1, y[:, None]).squeeze(1)
    defer_term = -(right * log_p[:, n_classes:]).sum(dim=1)
    return _reduce(class_term + defer_term, reduction)


def ova_surrogate_loss(logits: Any, y: Any, H: Any, reduction: str = "mean") -> Any:
    """One-vs-all deferral surrogate (Verma & Nalisnick 2022) for several persons.

    With ``phi(z) = log(1 + exp(-z))`` the logistic loss and ``g`` the ``K + m`` outputs::

        L = phi(g_y) + sum_{k != y} phi(-g_k)
            + sum_j [1[h_j = y] phi(g_{K+j}) + 1[h_j != y] phi(-g_{K+j})]

    where the sum over persons runs only over the persons who decided the case
    (``h_j != -1``); a missing decision contributes no deferral term.

    Parameters
    ----------
    logits : array-like or torch.Tensor of shape (n_samples, n_classes + n_persons)
        Raw network outputs: first the classes, then one output per person.
    y : array-like of shape (n_samples,)
        True classes in ``0..n_classes-1``.
    H : array-like of shape (n_samples, n_persons)
        Person decisions in ``0..n_classes-1``, ``-1`` where a person did not decide.
    reduction : {"mean", "sum", "none"}, default="mean"
        How to reduce the per-case losses.

    Returns
    -------
    torch.Tensor
        The reduced loss (a scalar) or, with ``reduction="none"``, one loss per case.

    Examples
    --------
    >>> import math
    >>> from teaming.surrogates import ova_surrogate_loss
    >>> phi = lambda z: math.log(1 + math.exp(-z))
    >>> loss = ova_surrogate_loss([[1.0, 0.0, 0.5]], y=[0], H=[[1]])
    >>> round(float(loss), 6) == round(phi(1.0) + phi(-0.0) + phi(-0.5), 6)
    True
    """
    torch = _torch()
    logits, y, H = _as_tensors(logits, y, H)
    n_classes = logits.shape[1] - H.shape[1]
    softplus = torch.nn.functional.softplus
    class_logits = logits[:, :n_classes]
    is_true = torch.zeros_like(class_logits).scatter_(1, y[:, None], 1.0)
    # phi(z) = softplus(-z): the true class is pushed up, every other class down
    class_term = (is_true * softplus(-class_logits) + (1 - is_true) * softplus(class_logits)).sum(1)
    defer_logits = logits[:, n_classes:]
    decided = (H != MISSING).to(logits.dtype)
    right = (y[:, None] == H).to(logits.dtype)
    per_person = right * softplus(-defer_logits) + (1 - right) * softplus(defer_logits)
    defer_term = (decided * per_person).sum(1)
    return _reduce(class_term + defer_term, reduction)


class DeferralSurrogate(BaseEstimator):
    """A network that predicts the class and, for each person, whether to defer to them.

    Trained with a learning-to-defer surrogate loss on cases with ground truth and the
    decisions that the persons made; persons need not have decided every case. Training
    starts from the loss's best constant outputs (the class prior and each person's
    accuracy) and refines them from the features.

    Parameters
    ----------
    loss : {"ce", "ova"}, default="ce"
        ``"ce"``: cross-entropy surrogate of Mozannar & Sontag (2020), ``K + m`` softmax
        outputs. ``"ova"``: one-vs-all surrogate of Verma & Nalisnick (2022), ``K + m``
        sigmoid outputs whose deferral outputs are calibrated probabilities that a
        person is right. See :func:`ce_surrogate_loss` and :func:`ova_surrogate_loss`.
    hidden_sizes : tuple of int, default=(64,)
        Widths of the hidden ReLU layers; ``()`` gives a linear model.
    epochs : int, default=50
        Passes over the training data.
    lr : float, default=1e-3
        Adam learning rate.
    batch_size : int, default=512
        Cases per gradient step; with few cases the batch shrinks (to no fewer than 32)
        so that every epoch takes at least 8 steps.
    weight_decay : float, default=0.0
        Adam weight decay (L2 penalty).
    alpha : float, default=1.0
        Weight of the classifier term on cases that some person got right (``"ce"``
        only; 1 is the plain loss).
    random_state : int, default=0
        Seed for weight initialisation and batch order.
    device : str, default="cpu"
        PyTorch device.
    n_classes : int or None, default=None
        Number of classes ``K``; by default one more than the largest class in ``y`` and
        ``H``.

    Attributes
    ----------
    n_classes_ : int
        Number of classes ``K``.
    n_persons_ : int
        Number of persons ``m``.
    n_features_in_ : int
        Number of features seen in ``fit``.
    decided_rate_ : ndarray of shape (n_persons,)
        Share of training cases each person decided; used to turn the ``"ce"`` deferral
        outputs into probabilities when decisions are missing at random.
    loss_curve_ : list of float
        Mean training loss per epoch.
    model_ : torch.nn.Module
        The fitted network.

    Examples
    --------
    >>> import numpy as np
    >>> from teaming.surrogates import DeferralSurrogate
    >>> rng = np.random.default_rng(0)
    >>> Z = rng.normal(size=(400, 2)).astype("float32")
    >>> y = (Z[:, 0] > 0).astype(int)
    >>> # person 0 is right when Z[:, 1] > 0 and guesses otherwise; person 1 decided half
    >>> guess = rng.integers(0, 2, size=400)
    >>> H = np.stack([np.where(Z[:, 1] > 0, y, guess), np.where(rng.random(400) < 0.5, y, -1)], 1)
    >>> model = DeferralSurrogate(loss="ova", epochs=30, lr=1e-2).fit(Z, y, H)
    >>> model.predict_proba(Z).shape, model.defer_scores(Z).shape
    ((400, 2), (400, 2))
    >>> scores = model.defer_scores(Z)[:, 0]
    >>> bool(scores[Z[:, 1] > 0].mean() > scores[Z[:, 1] <= 0].mean())
    True
    """

    def __init__(
        self,
        loss: str = "ce",
        hidden_sizes: tuple[int, ...] = (64,),
        epochs: int = 50,
        lr: float = 1e-3,
        batch_size: int = 512,
        weight_decay: float = 0.0,
        alpha: float = 1.0,
        random_state: int = 0,
        device: str = "cpu",
        n_classes: int | None = None,
    ) -> None:
        self.loss = loss
        self.hidden_sizes = hidden_sizes
        self.epochs = epochs
        self.lr = lr
        self.batch_size = batch_size
        self.weight_decay = weight_decay
        self.alpha = alpha
        self.random_state = random_state
        self.device = device
        self.n_classes = n_classes

    def fit(self, Z: Any, y: Any, H: Any) -> DeferralSurrogate:
        """Fit the network on features, true classes and person decisions.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_features)
            Preprocessed numeric features.
        y : array-like of shape (n_samples,)
            True classes in ``0..K-1``.
        H : array-like of shape (n_samples, n_persons)
            Person decisions in ``0..K-1``, ``-1`` where a person did not decide a case.

        Returns
        -------
        self : DeferralSurrogate
            The fitted surrogate.
        """
        torch = _torch()
        Z, y, H = self._validate(Z, y, H)
        self.n_features_in_ = Z.shape[1]
        self.n_persons_ = H.shape[1]
        largest = int(max(y.max(), H.max()))
        self.n_classes_ = int(self.n_classes) if self.n_classes is not None else largest + 1
        if largest >= self.n_classes_:
            raise ValueError(f"y and H hold class {largest}, but n_classes={self.n_classes_}")
        self.decided_rate_ = (H != MISSING).mean(axis=0)
        self.mean_ = Z.mean(axis=0)
        self.scale_ = np.where(Z.std(axis=0) > 0, Z.std(axis=0), 1.0).astype(np.float32)

        torch.manual_seed(self.random_state)
        self.model_ = self._network(self.n_features_in_, self.n_classes_ + self.n_persons_)
        self._start_at_best_constant(y, H)
        self.model_.to(self.device)
        optimizer = torch.optim.Adam(
            self.model_.parameters(), lr=self.lr, weight_decay=self.weight_decay
        )
        Zt = torch.as_tensor(self._scaled(Z), device=self.device)
        yt = torch.as_tensor(y, device=self.device)
        Ht = torch.as_tensor(H, device=self.device)
        generator = torch.Generator().manual_seed(self.random_state)
        batch_size = self._batch_size(len(yt))
        self.loss_curve_: list[float] = []
        self.model_.train()
        # small networks train faster on one thread than split over several
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            self._train(optimizer, Zt, yt, Ht, batch_size, generator)
        finally:
            torch.set_num_threads(threads)
        self.model_.eval()
        return self

    def _train(
        self, optimizer: Any, Zt: Any, yt: Any, Ht: Any, batch_size: int, generator: Any
    ) -> None:
        torch = _torch()
        for _ in range(self.epochs):
            order = torch.randperm(len(yt), generator=generator).to(self.device)
            total = 0.0
            for start in range(0, len(yt), batch_size):
                batch = order[start : start + batch_size]
                loss = self._loss(self.model_(Zt[batch]), yt[batch], Ht[batch])
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
                total += float(loss.detach()) * len(batch)
            self.loss_curve_.append(total / len(yt))

    def predict_proba(self, Z: Any) -> np.ndarray:
        """Class probabilities of the network's classifier part.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_features)
            Preprocessed numeric features.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Rows sum to one.
        """
        return self._proba_of(self._outputs(Z))

    def _proba_of(self, outputs: np.ndarray) -> np.ndarray:
        outputs = outputs[:, : self.n_classes_]
        return outputs / outputs.sum(axis=1, keepdims=True)

    def proba_and_defer_scores(self, Z: Any) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`predict_proba` and :meth:`defer_scores` from one pass of the network.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_features)
            Preprocessed numeric features.

        Returns
        -------
        (ndarray of shape (n_samples, n_classes), ndarray of shape (n_samples, n_persons))
        """
        outputs = self._outputs(Z)
        return self._proba_of(outputs), self._defer_of(outputs)

    def predict(self, Z: Any) -> np.ndarray:
        """Most probable class for each case.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_features)
            Preprocessed numeric features.

        Returns
        -------
        ndarray of shape (n_samples,)
            Classes in ``0..n_classes-1``.
        """
        return self.predict_proba(Z).argmax(axis=1)

    def defer_scores(self, Z: Any) -> np.ndarray:
        """Estimated probability, per person, that deferring the case to them is right.

        ``"ova"``: the sigmoid of each person's output. ``"ce"``: the softmax output of
        person ``j`` divided by the total softmax mass of the classes (the population
        minimiser of the loss is ``P(h_j = y | x) / (1 + sum_i P(h_i = y | x))`` in that
        output), divided by the share of cases the person decided in training, and
        clipped to ``[0, 1]``.

        Parameters
        ----------
        Z : array-like of shape (n_samples, n_features)
            Preprocessed numeric features.

        Returns
        -------
        ndarray of shape (n_samples, n_persons)
            Values in ``[0, 1]``.
        """
        return self._defer_of(self._outputs(Z))

    def _defer_of(self, outputs: np.ndarray) -> np.ndarray:
        defer = outputs[:, self.n_classes_ :]
        if self.loss == "ova":
            return defer
        class_mass = outputs[:, : self.n_classes_].sum(axis=1, keepdims=True)
        rate = np.maximum(self.decided_rate_, 1e-12)
        return np.clip(defer / class_mass / rate, 0.0, 1.0)

    def _validate(self, Z: Any, y: Any, H: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if self.loss not in LOSSES:
            raise ValueError(f"loss must be one of {LOSSES}; got {self.loss!r}")
        Z = self._features(Z, fitted=False)
        y = np.asarray(y).astype(np.int64).ravel()
        H = np.asarray(H).astype(np.int64)
        if H.ndim == 1:
            H = H[:, None]
        if not (len(Z) == len(y) == len(H)):
            raise ValueError(
                f"Z, y and H have {len(Z)}, {len(y)} and {len(H)} rows; expected equal"
            )
        if y.min() < 0:
            raise ValueError("y must hold classes 0..K-1; found a negative class")
        if H.min() < MISSING:
            raise ValueError("H must hold classes 0..K-1 or -1 for a missing decision")
        return Z, y, H

    def _features(self, Z: Any, fitted: bool = True) -> np.ndarray:
        if hasattr(Z, "toarray"):
            Z = Z.toarray()
        Z = np.asarray(Z, dtype=np.float32)
        if Z.ndim != 2:
            raise ValueError(f"Z must be 2-dimensional; got shape {Z.shape}")
        if fitted and Z.shape[1] != self.n_features_in_:
            raise ValueError(
                f"Z has {Z.shape[1]} features; the surrogate was fitted on {self.n_features_in_}"
            )
        return Z

    def _scaled(self, Z: np.ndarray) -> np.ndarray:
        return ((Z - self.mean_) / self.scale_).astype(np.float32)

    def _batch_size(self, n: int) -> int:
        # few cases: smaller batches, so that every epoch takes at least MIN_STEPS steps
        return max(1, min(int(self.batch_size), max(32, -(-n // MIN_STEPS))))

    def _start_at_best_constant(self, y: np.ndarray, H: np.ndarray) -> None:
        """Zero the output weights and set the biases to the loss's best constant outputs.

        Training then starts from the class prior and each person's accuracy (the loss's
        minimiser without features) instead of from random outputs, which matters when
        the data are small or the persons many.
        """
        torch = _torch()
        K = self.n_classes_
        prior = (np.bincount(y, minlength=K) + 1.0) / (len(y) + K)
        decided = (H != MISSING).sum(axis=0)
        right = ((y[:, None] == H) & (H != MISSING)).sum(axis=0)
        accuracy = (right + 1.0) / (decided + 2.0)
        if self.loss == "ce":
            # softmax minimiser: p proportional to (prior_k, share decided_j * accuracy_j)
            bias = np.log(np.concatenate([prior, self.decided_rate_ * accuracy + 1e-6]))
        else:
            bias = np.concatenate([np.log(prior / (1 - prior)), np.log(accuracy / (1 - accuracy))])
        last = self.model_[-1]
        with torch.no_grad():
            last.weight.zero_()
            last.bias.copy_(torch.as_tensor(bias, dtype=torch.float32))

    def _network(self, n_in: int, n_out: int) -> Any:
        nn = _torch().nn
        layers: list[Any] = []
        for width in self.hidden_sizes:
            layers += [nn.Linear(n_in, width), nn.ReLU()]
            n_in = width
        layers.append(nn.Linear(n_in, n_out))
        return nn.Sequential(*layers)

    def _loss(self, logits: Any, y: Any, H: Any) -> Any:
        if self.loss == "ce":
            return ce_surrogate_loss(logits, y, H, alpha=self.alpha)
        return ova_surrogate_loss(logits, y, H)

    def _outputs(self, Z: Any) -> np.ndarray:
        check_is_fitted(self)
        torch = _torch()
        Z = self._scaled(self._features(Z))
        with torch.no_grad():
            logits = self.model_(torch.as_tensor(Z, device=self.device))
            out = torch.sigmoid(logits) if self.loss == "ova" else torch.softmax(logits, dim=1)
        return out.cpu().numpy().astype(np.float64)


def _skip_examples(doc: str | None) -> str | None:
    if doc is None:
        return None
    return re.sub(r"^(\s*>>> (?!#).*)$", r"\1  # doctest: +SKIP", doc, flags=re.MULTILINE)


# Without the optional torch extra the examples cannot run: mark them skipped.
if importlib.util.find_spec("torch") is None:  # pragma: no cover
    for _obj in (DeferralSurrogate, ce_surrogate_loss, ova_surrogate_loss):
        _obj.__doc__ = _skip_examples(_obj.__doc__)
