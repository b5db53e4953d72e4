"""Sizes and thresholds of the engine, each in one place with its reason.

Parameters a user may change are parameters of :class:`teaming.HumanAITeam` (their defaults
come from here); the rest are how the engine trades speed against statistical care.

Examples
--------
>>> from teaming import constants
>>> constants.CROSSFIT_FOLDS, constants.SELECTION_FOLDS
(5, 3)
"""

from __future__ import annotations

__all__ = [
    "CROSSFIT_FOLDS",
    "CROSSFIT_MAX_CASES",
    "EXPLAIN_AUTO_MAX_CASES",
    "EXPLAIN_BACKGROUND_CASES",
    "HOLDOUT_BOOTSTRAP",
    "LEARNED_AUTO_MAX_CASES",
    "LEARNED_MIN_PERSON_CASES",
    "MAX_SELECTION_CASES",
    "MIN_PERSON_CASES",
    "N_BOOTSTRAP",
    "PERSON_CHUNK_CASES",
    "SELECTION_FOLDS",
    "SINGLE_THREAD_MAX_ROWS",
    "STREAM_PRICE_CASES",
    "STREAM_WINDOW",
    "TORCH_SINGLE_THREAD_MAX_ROWS",
]

# Up to this many cases (and without a time column) the AI is cross-fitted, so every case
# gets an honest probability; beyond, it learns from a share and the rest is validation.
CROSSFIT_MAX_CASES = 20_000
# Folds of that cross-fitting of the AI.
CROSSFIT_FOLDS = 5
# Folds of the honest (cross-fitted) calibration, person models and method choice.
SELECTION_FOLDS = 3
# Validation cases used at most (a random sample) for calibration, persons and the choice.
MAX_SELECTION_CASES = 100_000
# "auto" compares the learned surrogates only up to this many training cases: beyond, their
# training would dominate the fit (name them with method= to use them on larger data).
LEARNED_AUTO_MAX_CASES = 50_000
# ... and only when the persons decided at least this many cases each (median): the
# surrogates give every person an unshrunk output, which a few dozen cases cannot train.
LEARNED_MIN_PERSON_CASES = 50

# Below this many rows, native thread pools (BLAS, OpenMP) run single-threaded: on small
# inputs thread start-up and contention cost more than the threads gain.
SINGLE_THREAD_MAX_ROWS = 20_000
# The same for torch's own threads in the learned surrogates, whose small networks gain
# from threads only on larger inputs.
TORCH_SINGLE_THREAD_MAX_ROWS = 50_000

# Cases per capacity window of the streaming router (route_one).
STREAM_WINDOW = 1000
# Validation cases (a random sample) whose batch optimum gives the streaming prices.
STREAM_PRICE_CASES = 20_000

# route() explains its cases by default up to this many (explanations cost ~1 ms a case).
EXPLAIN_AUTO_MAX_CASES = 10_000
# Training cases kept as the background of model-agnostic explanations.
EXPLAIN_BACKGROUND_CASES = 200

# Cases whose person-model inputs are built at once (bounds memory on large batches).
PERSON_CHUNK_CASES = 65_536

# Persons with fewer decided training cases are left out of routing (their decisions still
# inform the pooled person model); 0 keeps everyone, shrunk toward the pooled model.
MIN_PERSON_CASES = 10

# Bootstrap resamples for evaluation intervals.
N_BOOTSTRAP = 200
# ... and for the held-out evaluation that `teaming fit --holdout` puts in the model card.
HOLDOUT_BOOTSTRAP = 100
