"""Cycle cancelling on the option graph: the min-cost-flow core of the exact batch router.

A batch assignment is summarised by a graph whose nodes are the options (the AI, each
person) and the two capacity constraints (the persons' pool ``P`` and the sink ``T``); the
edge ``j -> k`` between options carries the best gain of moving one case from ``j`` to
``k``. An assignment is optimal exactly when this graph of ``m + 3`` nodes has no cycle of
positive gain (linear-programming duality for min-cost flow), however many cases there are.
:func:`cancel_cycles` applies improving cycles in bulk until none is left;
:func:`cancel_cycles_large` does so on the few cases that can matter and certifies the
result on the whole batch. :func:`closure` also gives the potentials from which
:func:`teaming.router.dual_prices` reads the persons' prices.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [  # the router's internals; the public names are in teaming.router
    "GAIN_TOL",
    "OptionGraph",
    "as_gains",
    "build_graph",
    "cancel_cycles",
    "cancel_cycles_large",
    "closure",
    "options_by_rows",
    "positive_cycle",
    "tolerance",
]

# gains closer than this to zero are treated as ties; the AI keeps tied cases
GAIN_TOL = 1e-12


def as_gains(gains: Any) -> np.ndarray:
    """Gains as a float 2-d array with NaN (not available) as ``-inf``."""
    G = np.asarray(gains, dtype=np.float64)
    if G.ndim != 2:
        raise ValueError(f"gains must be a 2-d array (cases x persons), got shape {G.shape}")
    # copy only when there is something to replace
    return np.where(np.isnan(G), -np.inf, G) if np.isnan(G).any() else G


def tolerance(G: np.ndarray) -> float:
    """Ties tolerance scaled to the gains' magnitude."""
    largest = np.max(np.abs(G), where=np.isfinite(G), initial=0.0)
    return GAIN_TOL * max(1.0, float(largest))


def options_by_rows(G: np.ndarray) -> np.ndarray:
    """The gains of the options, one contiguous row per option: the AI (zeros), then each
    person (``G`` transposed), so a case's column holds what each option gains on it."""
    n, m = G.shape
    GxT = np.empty((m + 1, n))
    GxT[0] = 0.0
    GxT[1:] = G.T
    return GxT


def cancel_cycles_large(
    assign: np.ndarray, G: np.ndarray, total: int, caps: np.ndarray, depth: int = 128
) -> np.ndarray:
    """Cycle cancelling, working on the cases that can matter.

    An improving cycle moves, along each of its edges ``j -> k``, the cases of ``j`` that
    gain most by moving to ``k``. So the cancelling runs on the union of the ``depth`` best
    cases of every edge (all other cases keep their option), which costs a fraction of the
    batch per round; a check on the whole batch then certifies the optimum, or the lists
    are deepened and the round repeats.
    """
    n, m = G.shape
    GxT = options_by_rows(G)
    tol = tolerance(G)
    while 2 * depth * (m + 1) * m < n:
        opt = assign + 1
        # the cases grouped by option serve the check and the choice of movers alike
        grouped = _grouped_moves(opt, GxT)
        graph = build_graph(opt, GxT, total, caps, grouped)
        if positive_cycle(graph.weights, tol) is None:
            return assign
        active = _top_movers(opt, GxT, depth, grouped)
        fixed = np.ones(n, dtype=bool)
        fixed[active] = False
        fixed_counts = np.bincount(assign[fixed & (assign >= 0)], minlength=m)
        assign[active] = _cancel(
            assign[active],
            GxT.take(active, axis=1),
            total - int(fixed_counts.sum()),
            caps - fixed_counts,
            tol,
        )
        depth *= 4
    return _cancel(assign, GxT, total, caps, tol)


def _top_movers(
    opt: np.ndarray, GxT: np.ndarray, depth: int, grouped: tuple | None = None
) -> np.ndarray:
    """Cases among the ``depth`` best movers of some edge ``j -> k`` (sorted positions)."""
    order, bounds, DT = _grouped_moves(opt, GxT) if grouped is None else grouped
    n_opt = GxT.shape[0]
    chosen = []
    for j in range(n_opt):
        start, end = int(bounds[j]), int(bounds[j + 1])
        members = order[start:end]
        if members.size <= depth:
            chosen.append(members)
            continue
        for k in range(n_opt):
            if k != j:
                # a move's gain is finite or -inf (the current option's gain is finite)
                chosen.append(members[np.argpartition(-DT[k, start:end], depth)[:depth]])
    return np.unique(np.concatenate(chosen))


def _grouped_moves(opt: np.ndarray, GxT: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The cases grouped by their option: their order (by case within an option), each
    option's bounds in it, and the gain of moving each (in that order) to each option,
    options by rows (contiguous). ``GxT``: :func:`options_by_rows` of these cases."""
    n_opt = GxT.shape[0]
    # few options: a small integer type sorts in linear time (radix sort)
    key = opt.astype(np.int16) if n_opt < 2**15 else opt
    order = np.argsort(key, kind="stable")
    bounds = np.zeros(n_opt + 1, dtype=np.int64)
    np.cumsum(np.bincount(opt, minlength=n_opt), out=bounds[1:])
    DT = GxT.take(order, axis=1)
    # each case's current gain sits in its own option's row of its group
    DT -= np.concatenate([DT[j, bounds[j] : bounds[j + 1]] for j in range(n_opt)])
    return order, bounds, DT


@dataclass
class OptionGraph:
    """The option graph: AI (0), persons (1..m), the persons' pool P and the sink T."""

    weights: np.ndarray  # (V, V) best gain of one unit along each residual edge, -inf if none
    bound: np.ndarray  # (V, V) how many units an edge can carry at most


def option_moves(opt: np.ndarray, GxT: np.ndarray, grouped: tuple | None = None) -> np.ndarray:
    """Best gain of moving one case from option ``j`` to option ``k``, for all ``j, k``
    (``GxT``: :func:`options_by_rows`; ``grouped``: :func:`_grouped_moves` of these cases,
    if already made)."""
    n_opt = GxT.shape[0]
    _, bounds, DT = _grouped_moves(opt, GxT) if grouped is None else grouped
    moves = np.full((n_opt, n_opt), -np.inf)
    starts = bounds[:-1]
    nonempty = np.flatnonzero(bounds[1:] > starts)
    if nonempty.size:
        # the groups are contiguous runs of the sorted cases; empty ones are skipped
        moves[nonempty] = np.maximum.reduceat(DT, starts[nonempty], axis=1).T
    np.fill_diagonal(moves, -np.inf)
    return moves


def build_graph(
    opt: np.ndarray, GxT: np.ndarray, total: int, caps: np.ndarray, grouped: tuple | None = None
) -> OptionGraph:
    """The option graph of an assignment (``opt``: option per case, 0 the AI; ``GxT``:
    :func:`options_by_rows`)."""
    if grouped is None:
        grouped = _grouped_moves(opt, GxT)
    n_opt = GxT.shape[0]
    caps = np.asarray(caps)
    pool, sink = n_opt, n_opt + 1
    V = n_opt + 2
    W = np.full((V, V), -np.inf)
    bound = np.zeros((V, V), dtype=np.int64)
    W[:n_opt, :n_opt] = option_moves(opt, GxT, grouped)
    counts = np.diff(grouped[1])
    bound[:n_opt, :n_opt] = counts[:, None]
    held = counts[1:]
    used = int(held.sum())
    # a person with room takes cases from the pool, one holding cases gives them back
    room = np.flatnonzero(held < caps)
    W[room + 1, pool] = 0.0
    bound[room + 1, pool] = caps[room] - held[room]
    holding = np.flatnonzero(held > 0)
    W[pool, holding + 1] = 0.0
    bound[pool, holding + 1] = held[holding]
    if used < total:
        W[pool, sink], bound[pool, sink] = 0.0, total - used
    if used > 0:
        W[sink, pool], bound[sink, pool] = 0.0, used
    W[0, sink], bound[0, sink] = 0.0, len(opt)
    if counts[0] > 0:
        W[sink, 0], bound[sink, 0] = 0.0, counts[0]
    return OptionGraph(W, bound)


def closure(W: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray, int | None]:
    """Max-plus Floyd-Warshall; stops at the first node on a positive cycle."""
    V = W.shape[0]
    D = W.copy()
    nxt = np.where(np.isfinite(W), np.arange(V)[None, :], -1)
    diag = D.diagonal()  # a view: follows D's updates
    via = np.empty_like(D)
    better = np.empty(D.shape, dtype=bool)
    for k in range(V):
        np.add(D[:, k, None], D[None, k, :], out=via)
        np.greater(via, D + tol, out=better)
        if better.any():
            # in place: row and column k do not change in step k (D[k, k] <= tol here)
            np.copyto(D, via, where=better)
            np.copyto(nxt, nxt[:, k, None], where=better)
        if (diag > tol).any():
            return D, nxt, int(np.argmax(diag))
    return D, nxt, None


def _path(nxt: list[list[int]], start: int, end: int) -> list[int]:
    path = [start]
    node = start
    for _ in range(len(nxt) + 1):
        node = nxt[node][end]
        path.append(node)
        if node == end:
            return path
    raise RuntimeError("path reconstruction did not terminate")


def positive_cycle(W: np.ndarray, tol: float) -> list[int] | None:
    """A simple cycle of positive total weight, as a node list ``[a, b, ..., a]``, or None."""
    D, nxt, node = closure(W, tol)
    if node is None:
        return None
    k_mid = int(np.argmax(D[node, :] + D[:, node]))
    steps = nxt.tolist()  # a few nodes: Python lists are quicker to walk than the array
    walk = _path(steps, node, k_mid) + _path(steps, k_mid, node)[1:]
    weights = W.tolist()
    # the closed walk may repeat nodes; one of its simple cycles has positive weight
    best: list[int] | None = None
    best_weight = tol
    stack: list[int] = []
    position: dict[int, int] = {}
    for v in walk:
        if v in position:
            cycle = stack[position[v] :] + [v]
            weight = sum(weights[a][b] for a, b in zip(cycle[:-1], cycle[1:]))
            if weight > best_weight:
                best, best_weight = cycle, weight
            for u in stack[position[v] + 1 :]:
                del position[u]
            del stack[position[v] + 1 :]
        else:
            position[v] = len(stack)
            stack.append(v)
    return best


def cancel_cycles(
    assign: np.ndarray,
    G: np.ndarray,
    total: int,
    caps: np.ndarray,
    max_rounds: int = 10_000,
    tol: float | None = None,
) -> np.ndarray:
    """Cycle cancelling on all cases of ``assign`` until no improving cycle is left."""
    tol = tolerance(G) if tol is None else tol
    return _cancel(assign, options_by_rows(G), total, caps, tol, max_rounds)


def _cancel(
    assign: np.ndarray,
    GxT: np.ndarray,
    total: int,
    caps: np.ndarray,
    tol: float,
    max_rounds: int = 10_000,
) -> np.ndarray:
    opt = assign + 1
    n_opt = GxT.shape[0]
    for _ in range(max_rounds):
        # one grouping per round serves the graph and the cycle's moves
        grouped = _grouped_moves(opt, GxT)
        graph = build_graph(opt, GxT, total, caps, grouped)
        cycle = positive_cycle(graph.weights, tol)
        if cycle is None:
            return opt - 1
        _apply_cycle(opt, grouped, cycle, graph, n_opt, tol)
    raise RuntimeError("cycle cancelling did not converge; use solve_lp")


def _apply_cycle(
    opt: np.ndarray,
    grouped: tuple[np.ndarray, np.ndarray, np.ndarray],
    cycle: list[int],
    graph: OptionGraph,
    n_opt: int,
    tol: float,
) -> None:
    """Move as many cases along ``cycle`` as keep every moved unit profitable (in place;
    ``grouped``: :func:`_grouped_moves` of ``opt``)."""
    order, bounds, DT = grouped
    edges = list(zip(cycle[:-1], cycle[1:]))
    limit = min(int(graph.bound[a, b]) for a, b in edges)
    moves: list[tuple[np.ndarray, np.ndarray, int]] = []
    for a, b in edges:
        if a < n_opt and b < n_opt:
            # the cases of option a (by case) and what each gains by moving to b
            members = order[bounds[a] : bounds[a + 1]]
            gain = DT[b, bounds[a] : bounds[a + 1]]
            usable = np.isfinite(gain)
            if not usable.all():
                members, gain = members[usable], gain[usable]
            limit = min(limit, members.size)
            moves.append((members, gain, b))
    if limit <= 0:
        raise RuntimeError("an improving cycle without capacity: inconsistent graph")
    edge_cases: list[tuple[np.ndarray, np.ndarray, int]] = []
    for members, gain, b in moves:
        if members.size > limit:
            top = np.argpartition(-gain, limit - 1)[:limit]
            members, gain = members[top], gain[top]
        edge_cases.append((members, -gain, b))
    # the k-th unit uses each edge's k-th best case (ties in the order above); move while
    # that unit still gains. Units gain less and less, so only the first few are sorted:
    # more only while all of them still gain.
    head = min(limit, 64)
    while True:
        total_gain = np.zeros(head)
        chosen: list[tuple[np.ndarray, int]] = []
        for members, loss, b in edge_cases:
            best = _first_sorted(loss, head)
            total_gain -= loss[best]
            chosen.append((members[best], b))
        gaining = int(np.count_nonzero(total_gain > tol))
        if gaining < head or head == limit:
            break
        head = min(limit, 4 * head)
    n_units = max(1, gaining)
    for members, b in chosen:
        opt[members[:n_units]] = b


def _first_sorted(values: np.ndarray, k: int) -> np.ndarray:
    """The first ``k`` positions of ``np.argsort(values, kind="stable")``, without sorting
    all of them."""
    if k < values.size:
        kth = np.partition(values, k - 1)[k - 1]
        candidates = np.flatnonzero(values <= kth)  # the first k and their ties, in order
        return candidates[np.argsort(values[candidates], kind="stable")[:k]]
    return np.argsort(values, kind="stable")
