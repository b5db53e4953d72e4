"""The router: who decides which case, within capacity, with an audit share.

Every routing method ends here. A method supplies, per case, the *gain* of giving the case to
each person instead of leaving it to the AI (for example the person's expected correctness
minus the AI's, weighted by the case's error cost); ``-inf`` marks a person who is not
available for that case. The router then solves

    maximise    sum_ij gain_ij * x_ij
    subject to  sum_j x_ij <= 1            (a case goes to at most one person)
                sum_i x_ij <= c_j          (each person's own limit)
                sum_ij x_ij <= C           (what people may take together)
                x_ij in {0, 1}

a transportation problem whose linear relaxation has an integral optimum.

Batch (:func:`assign_batch`, :func:`route_batch`)
    The exact optimum for the batch. Without a binding per-person limit it is a top-``C``
    selection of each case's best positive gain (``argpartition``). When per-person limits
    bind, the selection is repaired to a feasible assignment and improved by *cycle
    cancelling* on a graph whose nodes are the options (the AI, each person) and the two
    capacity constraints: an edge ``j -> k`` carries the best gain of moving one case from
    ``j`` to ``k``. An assignment is optimal exactly when that small graph has no cycle of
    positive gain (linear-programming duality for min-cost flow), so the loop ends at the
    optimum; improving cycles are applied in bulk (as many cases at once as keep the cycle
    profitable), and the graph has only ``m + 3`` nodes however many cases there are.
Streaming (:class:`OnlineRouter`, :class:`StreamState`)
    One case at a time, without seeing the rest of the batch. Prices per person, read from
    the dual of a batch solution on validation cases (:func:`dual_prices`), turn the batch
    optimum into a rule: send the case to the person with the highest ``gain - price`` if that
    is positive and the person has capacity left in the current window of cases. It needs
    no solve and takes microseconds, but it is optimal only in so far as new cases resemble
    the validation cases: it may leave capacity unused or reach a limit early in a window,
    which the batch solution never does. The running counts are a :class:`StreamState`
    the caller keeps (for a web service: in its database) and passes in with each case.

Audit (in :func:`route_batch`)
    A set share of the AI-decided cases still goes to a person, drawn at random among those
    cases (so the audit is an unbiased check of the AI), to a person available for the case
    with capacity left. Audited cases count against capacity; their team decision stays the
    AI's, and a disagreeing person flags the case for a second look.

The modules: :mod:`~teaming.router.batch` (routing a batch with the audit),
:mod:`~teaming.router.assignment` (the exact assignment, dual prices, the LP reference),
:mod:`~teaming.router.capacity` (limits and budgets), :mod:`~teaming.router.streaming` (one
case at a time) and ``_flow`` (cycle cancelling, internal).
"""

from .assignment import assign_batch, dual_prices, solve_lp
from .batch import Routing, route_batch
from .capacity import deferral_budget, person_limits
from .streaming import OnlineRouter, StreamState

__all__ = [
    "OnlineRouter",
    "Routing",
    "StreamState",
    "assign_batch",
    "deferral_budget",
    "dual_prices",
    "person_limits",
    "route_batch",
    "solve_lp",
]
