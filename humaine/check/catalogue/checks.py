"""Cross-reference checks over a catalogue's entries.

Every reference is checked: a question's phase, step, criterion and roles, the profile
field it fills, each condition against the facts known at its level (the case profile's
fields, then the classification's), the dates a date set inherits, the recommendations a
rule points to, and the messages and documents the engine needs.
"""

from __future__ import annotations

from typing import Any

from humaine.check.conditions import (
    CLASS_FACTS,
    LEVEL_CODETERMINATION,
    LEVEL_OBLIGATIONS,
    LEVEL_PROFILE,
    LEVEL_RULES,
    validate_condition,
)
from humaine.check.profile import CATALOGUE_ENUMS, CaseProfile, field_choices, field_kind

from .entries import LINK_TARGETS
from .problems import Problem

# Texts the engine formats; a catalogue without them cannot explain its results.
REQUIRED_MESSAGES = (
    "step_not_ai_system", "step_research_only", "step_in_scope", "step_practice",
    "step_practice_exception", "step_annex_i", "step_annex_i_section_b",
    "step_annex_i_no_third_party", "step_annex_i_not_component", "step_annex_iii",
    "step_annex_iii_profiling", "step_annex_iii_exempt", "step_no_annex_iii",
    "step_transparency", "step_role_provider", "step_role_deployer", "step_role_art25",
    "step_role_importer", "step_role_distributor", "step_risk_class", "step_date_set",
    "step_assumption", "risk_prohibited", "risk_high_risk", "risk_limited_risk",
    "risk_minimal_risk", "risk_out_of_scope", "role_provider", "role_deployer",
    "role_importer", "role_distributor", "annex_i_role_product",
    "annex_i_role_safety_component", "art25_rebrands", "art25_modifies_substantially",
    "art25_changes_purpose", "ct_no_works_council", "ct_unknown_works_council",
    "ct_too_small", "ct_public_body", "ct_not_germany", "ct_check",
    "finding_disagreement", "finding_profile_conflict", "answer_yes", "answer_no",
    "answer_none", "step_art6_3_unconfirmed", "step_art6_3_prepares",
)  # fmt: skip
REQUIRED_DOCUMENTS = ("worker_notice", "codetermination_steps", "works_agreement")


def fact_specs(sections: dict[str, dict[str, Any]], level: int) -> dict[str, dict[str, Any]]:
    specs: dict[str, dict[str, Any]] = {}
    for name in CaseProfile.model_fields:
        kind = field_kind(name)
        if name in CATALOGUE_ENUMS:
            choices = list(sections[CATALOGUE_ENUMS[name]])
            kind = "list" if kind == "list" else "choice"
        else:
            choices = field_choices(name)
        specs[name] = {"kind": kind, "choices": choices}
    if level > LEVEL_PROFILE:
        for name, spec in CLASS_FACTS.items():
            if spec["level"] <= level:
                choices = (
                    list(sections[spec["section"]]) if "section" in spec else spec.get("choices")
                )
                specs[name] = {"kind": spec["kind"], "choices": choices}
    return specs


class Checker:
    """Cross-reference checks over the built sections."""

    def __init__(self, sections: dict[str, dict[str, Any]], origins: dict[tuple[str, str], str]):
        self.s = sections
        self.origins = origins
        self.problems: list[Problem] = []

    def add(self, section: str, entry: str, message: str) -> None:
        self.problems.append(
            Problem(self.origins.get((section, entry), ""), section, entry, message)
        )

    def condition(
        self, section: str, entry: str, cond: Any, level: int, label: str = "when"
    ) -> None:
        questions = self.s["questions"] if level == LEVEL_RULES else None
        for message in validate_condition(cond, fact_specs(self.s, level), questions):
            self.add(section, entry, f"{label}: {message}")

    def run(self) -> list[Problem]:
        for check in (
            self.meta, self.messages, self.phases, self.law, self.date_sets, self.questions,
            self.profile_coverage, self.recommendations, self.rules, self.documents,
            self.contradictions, self.function_groups,
        ):  # fmt: skip
            check()
        return self.problems

    def meta(self) -> None:
        meta = self.s["meta"].get("meta")
        if meta is None:
            return
        if meta.default_date_set not in self.s["date_sets"]:
            self.add("meta", "", f"default_date_set '{meta.default_date_set}' is not a date set")
        for qid in meta.deciding_questions:
            question = self.s["questions"].get(qid)
            if question is None or question.profile is None:
                self.add("meta", "", f"deciding question '{qid}' is not a profile question")
        for rec in meta.on_disagreement:
            if rec not in self.s["recommendations"]:
                self.add("meta", "", f"on_disagreement points to a missing recommendation '{rec}'")

    def function_groups(self) -> None:
        """Every function is in exactly one group; groups name known functions and sectors."""
        seen: dict[str, str] = {}
        for group in self.s["function_groups"].values():
            for function in group.functions:
                if function not in self.s["functions"]:
                    self.add("function_groups", group.id, f"unknown function '{function}'")
                elif function in seen:
                    self.add(
                        "function_groups",
                        group.id,
                        f"function '{function}' is already in group '{seen[function]}'",
                    )
                else:
                    seen[function] = group.id
            for sector in group.sectors:
                if sector not in self.s["sectors"]:
                    self.add("function_groups", group.id, f"unknown sector '{sector}'")
        if self.s["function_groups"]:
            for function in self.s["functions"]:
                if function not in seen:
                    self.add("functions", function, "the function is in no function group")

    def messages(self) -> None:
        for key in REQUIRED_MESSAGES:
            if key not in self.s["messages"]:
                self.problems.append(Problem("", "messages", key, "required message is missing"))

    def phases(self) -> None:
        for phase in self.s["phases"].values():
            ids = [step.id for step in phase.steps]
            if len(ids) != len(set(ids)):
                self.add("phases", phase.id, "duplicate step ids")

    def law(self) -> None:
        date_keys_used = set()
        for section in ("practices", "annex_iii", "transparency"):
            for entry in self.s[section].values():
                self.condition(section, entry.id, entry.when, LEVEL_PROFILE)
        for entry in self.s["practices"].values():
            date_keys_used.add(entry.date_key)
            if entry.exception_when is not None:
                self.condition(
                    "practices", entry.id, entry.exception_when, LEVEL_PROFILE, "exception_when"
                )
                if entry.exception is None:
                    self.add("practices", entry.id, "exception_when needs an exception text")
        for entry in self.s["obligations"].values():
            self.condition("obligations", entry.id, entry.when, LEVEL_OBLIGATIONS)
            for reading in entry.readings:
                self.condition("obligations", entry.id, reading.when, LEVEL_OBLIGATIONS, "readings")
            if entry.date_key != "high_risk":
                date_keys_used.add(entry.date_key)
            if entry.legacy_date_key:
                date_keys_used.add(entry.legacy_date_key)
        date_keys_used |= {"annex_iii_high_risk", "annex_i_high_risk"}
        for entry in self.s["codetermination"].values():
            if entry.when is None and entry.check_when is None:
                self.add("codetermination", entry.id, "needs when or check_when")
            for label in ("when", "check_when"):
                cond = getattr(entry, label)
                if cond is not None:
                    self.condition("codetermination", entry.id, cond, LEVEL_CODETERMINATION, label)
        for entry in self.s["annex_i"].values():
            for function in entry.implied_by_functions:
                if function not in self.s["functions"]:
                    self.add(
                        "annex_i", entry.id, f"implied_by_functions: unknown function '{function}'"
                    )
            if isinstance(entry.section, dict):
                missing = set(self.s["date_sets"]) - set(entry.section)
                unknown = set(entry.section) - set(self.s["date_sets"])
                if missing or unknown:
                    self.add(
                        "annex_i",
                        entry.id,
                        f"section must name every date set: missing {sorted(missing)}, "
                        f"unknown {sorted(unknown)}",
                    )
        self._date_keys_used = date_keys_used

    def date_sets(self) -> None:
        sets = self.s["date_sets"]
        if not sets:
            self.problems.append(Problem("", "date_sets", "", "at least one date set is needed"))
            return
        for entry in sets.values():
            seen, current = set(), entry.id
            while current is not None:
                if current in seen:
                    self.add("date_sets", entry.id, "inherits in a cycle")
                    break
                if current not in sets:
                    self.add("date_sets", entry.id, f"inherits from unknown date set '{current}'")
                    break
                seen.add(current)
                current = sets[current].inherits
            else:
                resolved = self._resolved_dates(entry.id)
                for key in sorted(getattr(self, "_date_keys_used", set()) - set(resolved)):
                    self.add("date_sets", entry.id, f"has no date for '{key}'")

    def _resolved_dates(self, set_id: str) -> dict[str, Any]:
        sets, chain, walker = self.s["date_sets"], [], set_id
        while walker is not None:
            chain.append(sets[walker])
            walker = sets[walker].inherits
        resolved: dict[str, Any] = {}
        for item in reversed(chain):
            resolved.update(item.dates)
        return resolved

    def questions(self) -> None:
        phases = self.s["phases"]
        for q in self.s["questions"].values():
            if q.phase not in phases:
                self.add("questions", q.id, f"unknown phase '{q.phase}'")
            elif q.step not in [s.id for s in phases[q.phase].steps]:
                self.add("questions", q.id, f"unknown step '{q.step}' in phase '{q.phase}'")
            if q.criterion not in self.s["criteria"]:
                self.add("questions", q.id, f"unknown criterion '{q.criterion}'")
            for role in q.roles:
                if role not in self.s["roles"]:
                    self.add("questions", q.id, f"unknown role '{role}'")
            if q.ask_when is not None:
                self.condition("questions", q.id, q.ask_when, LEVEL_PROFILE, "ask_when")
            if q.type in ("single", "multiple"):
                if bool(q.options) == bool(q.options_from):
                    self.add(
                        "questions",
                        q.id,
                        "a choice question needs options or options_from, not both",
                    )
                if q.options_from and q.options_from not in self.s:
                    self.add(
                        "questions", q.id, f"options_from names unknown section '{q.options_from}'"
                    )
                ids = [o.id for o in q.options]
                if len(ids) != len(set(ids)):
                    self.add("questions", q.id, "duplicate option ids")
            elif q.options or q.options_from:
                self.add("questions", q.id, f"a {q.type} question takes no options")
            if q.profile is None:
                continue
            name = q.profile.field
            if name not in CaseProfile.model_fields:
                self.add("questions", q.id, f"profile field '{name}' does not exist")
                continue
            kind = field_kind(name)
            choices = (
                list(self.s[CATALOGUE_ENUMS[name]])
                if name in CATALOGUE_ENUMS
                else field_choices(name)
            )
            expected = {
                "yes_no": ("bool",) if q.profile.value is None else ("list",),
                "single": ("choice", "str"),
                "multiple": ("list",),
                "number": ("int",),
                "text": ("str",),
                "scale": ("int",),
            }[q.type]
            if kind not in expected:
                self.add(
                    "questions", q.id, f"a {q.type} question cannot fill the {kind} field '{name}'"
                )
                continue
            values = (
                [o.id for o in q.options]
                if not q.options_from
                else list(self.s.get(q.options_from, {}))
            )
            if q.profile.value is not None:
                values = [q.profile.value]
            if choices is not None:
                wrong = [v for v in values if v not in choices]
                if wrong:
                    self.add(
                        "questions",
                        q.id,
                        f"option(s) {wrong} are not values of profile field '{name}'",
                    )

    def profile_coverage(self) -> None:
        mapped: dict[str, list[str]] = {}
        for q in self.s["questions"].values():
            if q.profile is not None:
                mapped.setdefault(q.profile.field, []).append(q.id)
        for name in CaseProfile.model_fields:
            if name not in mapped:
                self.problems.append(
                    Problem("", "questions", "", f"no question fills profile field '{name}'")
                )
            elif len(mapped[name]) > 1 and any(
                self.s["questions"][qid].profile.value is None for qid in mapped[name]
            ):
                self.problems.append(
                    Problem(
                        "",
                        "questions",
                        "",
                        f"profile field '{name}' is filled by several questions: {mapped[name]}",
                    )
                )

    def recommendations(self) -> None:
        for rec in self.s["recommendations"].values():
            if rec.criterion not in self.s["criteria"]:
                self.add("recommendations", rec.id, f"unknown criterion '{rec.criterion}'")
            if rec.phase not in self.s["phases"]:
                self.add("recommendations", rec.id, f"unknown phase '{rec.phase}'")
            for link in rec.links:
                if link.target not in LINK_TARGETS:
                    self.add("recommendations", rec.id, f"unknown link target '{link.target}'")

    def rules(self) -> None:
        for rule in self.s["rules"].values():
            self.condition("rules", rule.id, rule.when, LEVEL_RULES)
            if rule.criterion is not None and rule.criterion not in self.s["criteria"]:
                self.add("rules", rule.id, f"unknown criterion '{rule.criterion}'")
            if not rule.recommend and rule.finding is None:
                self.add("rules", rule.id, "a rule needs a finding or recommendations")
            for rec in rule.recommendations():
                if rec.id not in self.s["recommendations"]:
                    self.add(
                        "rules", rule.id, f"rule points to a missing recommendation '{rec.id}'"
                    )

    def contradictions(self) -> None:
        for entry in self.s["contradictions"].values():
            self.condition("contradictions", entry.id, entry.when, LEVEL_PROFILE)
            for qid in entry.questions:
                question = self.s["questions"].get(qid)
                if question is None or question.profile is None:
                    self.add("contradictions", entry.id, f"'{qid}' is not a profile question")

    def documents(self) -> None:
        for doc in REQUIRED_DOCUMENTS:
            if doc not in self.s["documents"]:
                self.problems.append(Problem("", "documents", doc, "required document is missing"))
