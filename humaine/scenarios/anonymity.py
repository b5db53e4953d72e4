"""What survey figures may be shown without exposing anyone.

A *cell* is a set of responses a figure is computed over: a stakeholder group in a wave,
the "all" row of a wave, the paired subset behind a change from baseline. A figure of a
cell is shown only when at least ``N`` people answered (``N`` configurable, never below
3, default 5). That alone is not enough: "all" minus "team north" would give the figures
of the people outside team north. So the cells shown together must keep every *atom* (the
people who belong to exactly the same shown cells) either empty or at least ``N`` big:
any sum, difference or other combination of shown figures is then a figure of a union of
atoms, hence of at least ``N`` people.

:func:`plan` chooses the cells to show: first those with fewer than ``N`` answers go;
then, while some atom is too small, one more cell is withheld (the least important one
that repairs it, e.g. a small group's neighbour, or else the "all" row); optional cells
(the paired subsets) are added last, each only if everything stays safe. Every page, API
call and export takes its cells from one plan of the whole survey, never from a filtered
part of it. No Django here.

    >>> cells = {"all": set(range(12)), "north": set(range(9)), "south": {9, 10, 11}}
    >>> result = plan(cells, 5, priority=["all", "north", "south"])
    >>> sorted(result.shown), result.withheld["south"], result.withheld["north"]
    (['all'], 'too_few', 'protects_others')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MIN_FLOOR = 3
DEFAULT_MIN = 5

TOO_FEW = "too_few"
PROTECTS_OTHERS = "protects_others"


def min_group_size(configured: int | None = None) -> int:
    """The threshold in force: the configured value, never below 3 (default 5)."""
    return max(MIN_FLOOR, int(configured) if configured else DEFAULT_MIN)


@dataclass(frozen=True)
class Plan:
    """The cells that may be shown, and why each other cell is withheld."""

    min_n: int
    shown: frozenset
    withheld: dict = field(default_factory=dict)

    def allows(self, key: Hashable) -> bool:
        return key in self.shown


def _member_signatures(cells: Mapping[Hashable, Iterable]) -> dict[Hashable, frozenset]:
    """Each member's full signature: the set of cells it belongs to."""
    member_cells: dict[Hashable, set] = {}
    for key, members in cells.items():
        for member in members:
            found = member_cells.get(member)
            if found is None:
                member_cells[member] = {key}
            else:
                found.add(key)
    return {member: frozenset(keys) for member, keys in member_cells.items()}


def _signatures(cells: Mapping[Hashable, Iterable]) -> Counter:
    """How many members share each exact set of cells (their full signature)."""
    return Counter(_member_signatures(cells).values())


def atoms(signatures: Counter, shown: frozenset | set) -> Counter:
    """Sizes of the atoms of the shown cells: members grouped by the shown cells they are in."""
    sizes: Counter = Counter()
    for signature, count in signatures.items():
        visible = signature & shown
        if visible:
            sizes[frozenset(visible)] += count
    return sizes


def small_atoms(signatures: Counter, shown, min_n: int) -> list[frozenset]:
    return [atom for atom, size in atoms(signatures, shown).items() if 0 < size < min_n]


def is_safe(cells: Mapping[Hashable, Iterable], shown: Iterable[Hashable], min_n: int) -> bool:
    """Whether showing ``shown`` together exposes no group of fewer than ``min_n``."""
    shown = frozenset(shown)
    return not small_atoms(_signatures({k: cells[k] for k in shown}), shown, min_n)


def _withhold_one(signatures: Counter, shown: set, atom: frozenset, min_n: int, rank) -> Hashable:
    """The cell to withhold so that ``atom`` stops being too small: the least important
    cell whose removal repairs it, else the least important cell that contains it."""

    def repairs(key) -> bool:
        rest = frozenset(shown - {key})
        merged = frozenset(atom - {key})
        return not merged or atoms(signatures, rest)[merged] >= min_n

    candidates = sorted(shown, key=rank, reverse=True)
    for key in candidates:
        if repairs(key):
            return key
    return next(key for key in candidates if key in atom)


def plan(
    cells: Mapping[Hashable, Iterable],
    min_n: int,
    priority: Sequence[Hashable] | None = None,
    optional: Mapping[Hashable, Iterable] | None = None,
) -> Plan:
    """Choose the cells that may be shown together.

    ``cells`` maps each cell to its members (response ids); ``priority`` lists cells from
    the most to the least important to keep (default: larger cells first). ``optional``
    cells are only added, in their order, when everything stays safe; they never cause
    another cell to be withheld.
    """
    min_n = min_group_size(min_n)
    cells = {key: frozenset(members) for key, members in cells.items()}
    order = list(priority) if priority is not None else []
    order += sorted((k for k in cells if k not in order), key=lambda k: -len(cells[k]))
    position = {key: i for i, key in enumerate(order)}

    def rank(key):
        return (position.get(key, len(position)), str(key))

    withheld = {key: TOO_FEW for key, members in cells.items() if len(members) < min_n}
    shown = {key for key in cells if key not in withheld}
    member_sig = _member_signatures({key: cells[key] for key in shown})
    signatures = Counter(member_sig.values())
    while problems := small_atoms(signatures, shown, min_n):
        atom = min(problems, key=lambda a: (atoms(signatures, shown)[a], sorted(map(str, a))))
        key = _withhold_one(signatures, shown, atom, min_n, rank)
        shown.discard(key)
        withheld[key] = PROTECTS_OTHERS
    for key, members in (optional or {}).items():
        members = frozenset(members)
        if len(members) < min_n:
            withheld[key] = TOO_FEW
            continue
        # Adding a cell splits each signature by membership in it: update only its members.
        trial = Counter(signatures)
        for member in members:
            old = member_sig.get(member, frozenset())
            if old:
                trial[old] -= 1
            trial[old | {key}] += 1
        trial = +trial
        if small_atoms(trial, shown | {key}, min_n):
            withheld[key] = PROTECTS_OTHERS
            continue
        signatures = trial
        for member in members:
            member_sig[member] = member_sig.get(member, frozenset()) | {key}
        shown.add(key)
    return Plan(min_n=min_n, shown=frozenset(shown), withheld=withheld)
