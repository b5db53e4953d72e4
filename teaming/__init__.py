"""teaming: build human-AI teams from historical cases and the decisions people made.

A calibrated AI, a model of where each person is strong, and a router that sends each case
to the AI or to the person most likely to get it right, within capacity, with a share of
AI-decided cases still audited by people. Pure Python; never imports Django.

Examples
--------
>>> import teaming
>>> sorted(teaming.available_methods())[:2]
['ai_only', 'combine']
"""

from .arrays import as_team_data
from .data import DataError, DataWarning, TeamData, load_data, read_table, split_data
from .evaluate import Evaluation, evaluate
from .leaks import LeakWarning
from .methods import Method, MethodNotAvailable, available_methods, register_method
from .relabel import relabel_persons
from .stream_routing import PreparedStream, StreamTurns
from .team import HumanAITeam

__version__ = "0.1.0"

__all__ = [
    "DataError",
    "DataWarning",
    "Evaluation",
    "HumanAITeam",
    "LeakWarning",
    "Method",
    "MethodNotAvailable",
    "PreparedStream",
    "StreamTurns",
    "TeamData",
    "__version__",
    "as_team_data",
    "available_methods",
    "evaluate",
    "load_data",
    "load_team",
    "read_table",
    "register_method",
    "relabel_persons",
    "save_team",
    "split_data",
    "write_report",
]


def __getattr__(name: str):  # noqa: ANN202 - lazy imports of the heavier modules
    if name in {"save_team", "load_team"}:
        from . import persist

        return getattr(persist, name)
    if name == "write_report":
        from .report import write_report

        return write_report
    raise AttributeError(f"module 'teaming' has no attribute {name!r}")
