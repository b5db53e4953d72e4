"""Explanations of routed cases: why the AI or a person, and what drove the AI's decision.

:class:`ExplainsRoutes` makes the team's explainer of the AI (``_make_explainer``, also
called by :func:`teaming.load_team` for a saved team) and adds to a routed batch the
sentences in English and German and the structured data of every case
(:func:`teaming.explain.explain_routing`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .explain import AIExplainer, explain_routing, top_features
from .methods import METHODS
from .team_attributes import TeamAttributes


class ExplainsRoutes(TeamAttributes):
    """Explanations of :class:`~teaming.HumanAITeam`'s routings (a mixin: the team's fitted
    attributes are its state)."""

    def _make_explainer(self) -> AIExplainer:
        return AIExplainer(
            self.ai_.estimator_,
            self.preprocessor_.output_groups_,
            self.background_,
            self.preprocessor_.categorical_mask_,
        )

    def _add_explanations(
        self,
        result: pd.DataFrame,
        frame: pd.DataFrame,
        Z: np.ndarray,
        ai_proba: np.ndarray,
        v_ai: np.ndarray,
        v_person: np.ndarray,
        available: np.ndarray,
        left: list[np.ndarray],
        total_left: list[int],
        reasons: list[list[dict[str, Any]]],
    ) -> None:
        parts = self._explanation_parts(frame, Z, ai_proba)
        self._write_explanations(
            result, parts, v_ai, v_person, available, left, total_left, reasons
        )

    def _explanation_parts(
        self, frame: pd.DataFrame, Z: np.ndarray, ai_proba: np.ndarray
    ) -> tuple[Any, list[list[dict[str, Any]]]]:
        """What explanations need that no routing changes: the AI's contributions to its
        decisions and each case's top input columns (the expensive part)."""
        decided = ai_proba.argmax(axis=1)
        attribution = self.explainer_.explain(Z, decided)
        tops = [
            top_features(attribution.names, attribution.values[i], frame, i)
            for i in range(len(ai_proba))
        ]
        return attribution, tops

    def _write_explanations(
        self,
        result: pd.DataFrame,
        parts: tuple[Any, list[list[dict[str, Any]]]],
        v_ai: np.ndarray,
        v_person: np.ndarray,
        available: np.ndarray,
        left: list[np.ndarray],
        total_left: list[int],
        reasons: list[list[dict[str, Any]]],
    ) -> None:
        """The sentences and data of each routed case (who got it, capacity left) from the
        parts of :meth:`_explanation_parts`, added to ``result``."""
        columns = self._explanation_columns(
            {c: result[c].tolist() for c in ("routed_to", "audit", "ai_decision", "ai_confidence")},
            parts,
            v_ai,
            v_person,
            available,
            left,
            total_left,
            reasons,
        )
        for name, values in columns.items():
            result[name] = values

    def _explanation_columns(
        self,
        routed: dict[str, list[Any]],
        parts: tuple[Any, list[list[dict[str, Any]]]],
        v_ai: np.ndarray,
        v_person: np.ndarray,
        available: np.ndarray,
        left: list[np.ndarray],
        total_left: list[int],
        reasons: list[list[dict[str, Any]]],
    ) -> dict[str, list[Any]]:
        """The explanation columns of routed cases from their ``routed_to``, ``audit``,
        ``ai_decision`` and ``ai_confidence`` (as lists, read as the result's columns)."""
        attribution, tops = parts
        method_cls = METHODS[self.method_]
        margin = self._margin()
        data, en, de = [], [], []
        for i in range(len(routed["routed_to"])):
            persons = {
                p: float(v_person[i, j]) for j, p in enumerate(self.persons_) if available[i, j]
            }
            e = explain_routing(
                routed_to=str(routed["routed_to"][i]),
                audit=bool(routed["audit"][i]),
                ai_label=routed["ai_decision"][i],
                ai_confidence=float(routed["ai_confidence"][i]),
                ai_value=float(v_ai[i]),
                person_values=persons,
                capacity_left={p: int(left[i][j]) for j, p in enumerate(self.persons_)},
                total_left=int(total_left[i]),
                # a copy: explain_routing's data must not share lists with the parts
                top_features=[dict(t) for t in tops[i]],
                method=self.method_,
                respects_capacity=method_cls.respects_capacity,
                margin=margin,
                ai_output=_output_of(attribution, i),
                unusual=reasons[i],
                unusual_to_person=self.unusual_cases == "person",
            )
            data.append(e)
            en.append(e["text_en"] + " " + e["ai_text_en"])
            de.append(e["text_de"] + " " + e["ai_text_de"])
        return {"explanation": en, "explanation_de": de, "explanation_data": data}

    def _margin(self) -> float:
        method = self.methods_[self.method_]
        return float(getattr(method, "margin_", 0.0)) if method.learns_margin else 0.0


def _output_of(attribution: Any, i: int) -> dict[str, Any]:
    """What one case's contributions add up to (for the explanation's numbers)."""
    return {
        "base": float(attribution.base[i]),
        "output": float(attribution.output[i]),
        "unit": attribution.unit,
        "method": attribution.method,
    }
