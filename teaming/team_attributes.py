"""What the parts of :class:`~teaming.HumanAITeam` may rely on of each other (for the type checker).

``HumanAITeam`` is put together from mixins (``case_views``, ``routing``,
``stream_routing``, ``route_explanations``); each uses the team's parameters, its fitted
attributes and methods of the other parts. This base names them once so that mypy checks
each mixin on its own. It holds annotations only: nothing here exists at run time, the
team sets the attributes in ``__init__`` and ``fit`` and the mixins define the methods.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class TeamAttributes:
    # parameters (set in HumanAITeam.__init__)
    capacity: float
    audit: float
    person_capacity: Any
    min_person_cases: int
    random_state: Any
    unusual_cases: str
    stream_window: int

    # fitted attributes (set in HumanAITeam.fit)
    ai_: Any
    background_: Any
    classes_: Any
    confusion_: Any
    cost_column_: Any
    explainer_: Any
    method_: str
    methods_: dict[str, Any]
    novelty_: Any
    person_accuracy_: Any
    person_inputs_: Any
    person_model_: Any
    persons_: Any
    preprocessor_: Any
    routable_: Any
    score_columns_: Any
    stream_gains_: Any
    uses_scores_: bool

    # methods of the other parts
    _inputs: Callable[..., Any]
    _view: Callable[..., Any]
    _active: Callable[..., Any]
    _availability: Callable[..., Any]
    _add_explanations: Callable[..., Any]
    _explanation_parts: Callable[..., Any]
    _explanation_columns: Callable[..., Any]
    _result_frame: Callable[..., Any]
    _margin: Callable[..., Any]
    _prepare_stream: Callable[..., Any]
    route_prepared: Callable[..., Any]
