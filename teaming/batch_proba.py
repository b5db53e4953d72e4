"""``predict_proba`` of a large batch in blocks of cases, each block on one thread.

scikit-learn's ``HistGradientBoostingClassifier.predict_proba`` walks one tree over all the
cases, then the next: on a large batch every tree reads the whole feature matrix again from
main memory (160 MB for 1,000,000 cases x 20 features), and each tree is one OpenMP
parallel region whose threads wait for each other at its end. Here the same trees are
walked block by block: a block of :data:`BLOCK_CASES` cases stays in the processor's cache
while all trees pass over it, and each block runs single-threaded on one of as many Python
threads as OpenMP would use (the tree walk releases the GIL), so no thread waits at the end
of a tree. Each case's probabilities are the model's own, bit for bit: the same trees,
summed in the same order, through the same link (tests compare them).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

__all__ = ["BLOCK_CASES", "blocked_tree_proba"]

# cases per block: a block's features (20 numbers a case) stay in a core's cache
BLOCK_CASES = 8192


def blocked_tree_proba(
    estimator: Any, Z: np.ndarray, block: int = BLOCK_CASES, n_threads: int | None = None
) -> np.ndarray | None:
    """``estimator.predict_proba(Z)`` in blocks of cases, or None for other estimators.

    Parameters
    ----------
    estimator : fitted classifier
        Only a ``HistGradientBoostingClassifier`` is predicted here.
    Z : numpy.ndarray of shape (n_cases, n_features)
    block : int
        Cases per block; the result does not depend on it.
    n_threads : int, optional
        Threads (default: as many as scikit-learn's OpenMP would use here, which follows
        ``OMP_NUM_THREADS`` and threadpoolctl's limits).

    Returns
    -------
    numpy.ndarray of shape (n_cases, n_classes) or None

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier
    >>> Z = np.random.default_rng(0).normal(size=(500, 3)); y = (Z[:, 0] > 0).astype(int)
    >>> model = HistGradientBoostingClassifier(max_iter=20).fit(Z, y)
    >>> bool(np.array_equal(blocked_tree_proba(model, Z, block=64), model.predict_proba(Z)))
    True
    """
    from sklearn.ensemble import HistGradientBoostingClassifier

    if type(estimator) is not HistGradientBoostingClassifier or not hasattr(
        estimator, "_raw_predict"
    ):
        return None
    Z = np.asarray(Z)
    n = Z.shape[0]
    starts = range(0, n, max(1, int(block)))
    if n_threads is None:
        n_threads = _openmp_threads()
    workers = max(1, min(int(n_threads), len(starts)))
    out = np.empty((n, len(estimator.classes_)), dtype=np.float64)

    def predict(start: int) -> None:
        part = Z[start : start + block]
        raw = estimator._raw_predict(part, n_threads=1)
        out[start : start + part.shape[0]] = estimator._loss.predict_proba(raw)

    try:
        if workers == 1:
            for start in starts:
                predict(start)
        else:
            with ThreadPoolExecutor(workers) as pool:
                # list(): a block's error is raised here
                list(pool.map(predict, starts))
    except TypeError:
        # ``_raw_predict`` is scikit-learn's private method: a release that changes how it
        # is called leaves the model its own predict_proba (the caller's fallback)
        return None
    return out


def _openmp_threads() -> int:
    """The threads scikit-learn's OpenMP would use here (``OMP_NUM_THREADS``,
    threadpoolctl's limits), or the processors this process may use."""
    try:
        from sklearn.utils._openmp_helpers import _openmp_effective_n_threads
    except ImportError:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    return int(_openmp_effective_n_threads())
