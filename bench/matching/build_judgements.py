"""Derive the judgements of the second labelled set from its labels (not part of the product).

    .venv/bin/python bench/matching/build_judgements.py [--check]

Reads bench/matching/data/heldout/{experts,labels,organisations,inquiries}.yaml and writes
judgements.yaml: per inquiry its split (tuning or heldout), whether it is cross-language,
the disciplines it needs, its aspects with their best experts, a grade 3/2/1 (or an
explicit 0 for a distractor) with a one-line reason per judged expert, and the conflicts of
interest an expert has with it. ``--check`` only verifies that judgements.yaml is current.
The protocol is in data/heldout/README.md.
"""

import argparse
import hashlib
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from humaine.matching.text import detect_language, fold, words  # noqa: E402

DATA = Path(__file__).parent / "data" / "heldout"
# (role, strength) -> grade: an expert fits an inquiry as well as their best aspect of it
GRADE = {
    ("core", 3): 3,
    ("core", 2): 2,
    ("core", 1): 1,
    ("side", 3): 2,
    ("side", 2): 1,
}


def read(name: str) -> dict:
    with open(DATA / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def profile_language(expert: dict) -> str:
    return detect_language(f"{expert['topics']}\n{expert['methods']}")


def grade_of(strengths: dict, inquiry: dict, aspects: dict) -> tuple[int, str]:
    best, why = 0, ""
    for role in ("core", "side"):
        for aspect in inquiry.get(role) or []:
            grade = GRADE.get((role, strengths.get(aspect, 0)), 0)
            if grade > best:
                best, why = grade, f"{role} aspect: {aspects[aspect]['label']}"
    return best, why


def triggered(text: str, triggers: list[str]) -> str | None:
    tokens = [fold(w) for w in words(text)]
    for trigger in triggers:
        key = fold(trigger.lower())
        if " " in key:
            if key in " ".join(tokens):
                return trigger
        elif any(t.startswith(key) for t in tokens):
            return trigger
    return None


def systems_of(inquiry: dict, aspects: dict) -> set[str]:
    """The kinds of system an inquiry is about (what a vendor could sell it)."""
    asked = (inquiry.get("core") or []) + (inquiry.get("side") or [])
    return {a for a in asked if aspects[a].get("system")}


def conflicts(expert: dict, inquiry: dict, facts: dict, labels: dict, aspects: dict) -> list:
    """Ground truth: [(kind, reason)] of one expert with one inquiry."""
    inquirer = facts[inquiry["organisation"]]
    systems = systems_of(inquiry, aspects)
    employer = expert.get("employer", "")
    mine = facts.get(employer, {})
    found = []

    def rival(org: dict, name: str) -> bool:
        return (
            name != inquiry["organisation"]
            and org.get("kind") == "company"
            and org.get("sector") == inquirer["sector"]
            and (org.get("segment") or "").lower() == (inquirer.get("segment") or "").lower()
        )

    def sells(org: dict) -> set[str]:
        return set(org.get("sells") or []) & systems

    if employer == inquiry["organisation"]:
        found.append(("same_organisation", f"employed by the inquirer ({employer})"))
    elif rival(mine, employer):
        found.append(("competitor", f"employer {employer} competes in {inquirer['segment']}"))
    if sells(mine):
        found.append(("vendor", f"employer {employer} sells {', '.join(sorted(sells(mine)))}"))
    products = set(labels.get("declared_products", {}).get(expert["email"], [])) & systems
    if products and not sells(mine):
        found.append(("product", f"declared product of the kind asked for ({', '.join(products)})"))
    for client in expert.get("clients") or []:
        org = facts.get(client, {})
        if rival(org, client):
            found.append(("client", f"advises {client}, a competitor of the inquirer"))
        elif sells(org):
            found.append(("client", f"advises {client}, a vendor of the system asked about"))
    for vendor in expert.get("vendors") or []:
        if sells(facts.get(vendor, {})):
            found.append(("vendor_relationship", f"works with {vendor}, a vendor of it"))
    return found


def split_of(inquiries: list[dict], cross: dict) -> dict:
    """Deterministic, stratified by sector and cross-language: order each stratum by a hash
    of the id and alternate tuning / heldout over the concatenated strata."""

    def key(q):
        digest = hashlib.sha256(q["id"].encode()).hexdigest()
        return (q["sector"], cross[q["id"]], digest)

    ordered = sorted(inquiries, key=key)
    return {q["id"]: ("tuning" if i % 2 == 0 else "heldout") for i, q in enumerate(ordered)}


def build() -> dict:
    experts = read("experts")["experts"]
    labels = read("labels")
    aspects = labels["aspects"]
    facts = dict(labels["organisations"])
    for org in read("organisations")["organisations"]:
        facts.setdefault(org["name"], {"kind": "company", **org})
    inquiries = read("inquiries")["inquiries"]
    language = {e["email"]: profile_language(e) for e in experts}
    by_email = {e["email"]: e for e in experts}
    strengths = {k: v.get("aspects") or {} for k, v in labels["experts"].items()}
    missing = set(by_email) ^ set(strengths)
    if missing:
        raise SystemExit(f"experts and labels disagree: {sorted(missing)}")

    entries, cross = [], {}
    for inquiry in inquiries:
        entry = judge(inquiry, experts, labels, aspects, facts, strengths, language)
        cross[inquiry["id"]] = entry["cross_language"]
        entries.append(entry)
    splits = split_of(inquiries, cross)
    for entry in entries:
        entry["split"] = splits[entry["id"]]
    return {"inquiries": entries}


def judge(inquiry, experts, labels, aspects, facts, strengths, language) -> dict:
    overrides = inquiry.get("grades") or {}
    judged = []
    for expert in experts:
        email = expert["email"]
        label = labels["experts"][email]
        grade, why = grade_of(strengths[email], inquiry, aspects)
        reason = f"{why} ({label['focus']})" if grade else ""
        if email in overrides:
            grade, reason = overrides[email]
        if grade:
            judged.append([email, grade, reason])
            continue
        trigger = triggered(inquiry["text"], label.get("triggers") or [])
        sector_only = not strengths[email] and inquiry["sector"] in (expert.get("sectors") or [])
        if trigger or sector_only:
            because = f"shares “{trigger}”" if trigger else "sector experience only"
            judged.append([email, 0, f"distractor: {because}; works on {label['focus']}"])
    judged.sort(key=lambda row: (-row[1], row[0]))
    gain = {"de": 0, "en": 0}
    for email, grade, _ in judged:
        if grade >= 2:
            gain[language[email]] += grade
    other = "en" if inquiry["language"] == "de" else "de"
    share = gain[other] / max(1, sum(gain.values()))
    needs = []
    for aspect in inquiry["core"]:
        group = sorted(aspects[aspect]["disciplines"])
        if group not in needs:
            needs.append(group)
    return {
        "id": inquiry["id"],
        "language": inquiry["language"],
        "cross_language": share >= 0.5,
        "other_language_share": round(share, 3),
        "needs": needs,
        "aspects": [
            {
                "aspect": aspect,
                "role": role,
                "disciplines": sorted(aspects[aspect]["disciplines"]),
                "best": best_for(aspect, strengths),
            }
            for role in ("core", "side")
            for aspect in inquiry.get(role) or []
        ],
        "experts": judged,
        "conflicts": [
            [expert["email"], kind, reason]
            for expert in experts
            for kind, reason in conflicts(expert, inquiry, facts, labels, aspects)
        ],
    }


def best_for(aspect: str, strengths: dict) -> list[str]:
    top = max((s.get(aspect, 0) for s in strengths.values()), default=0)
    return sorted(e for e, s in strengths.items() if top >= 2 and s.get(aspect, 0) == top)


HEADER = """\
# Generated by bench/matching/build_judgements.py from inquiries.yaml and labels.yaml; do
# not edit by hand (change the labels or an inquiry's `grades:` and run it again).
# Per inquiry: split (tuning: tune on it; heldout: report only), cross_language (at least
# half of the relevant gain, grades 2-3, lies in profiles of the other language), needs
# (the discipline groups of its core aspects: a team covers a group with any of them),
# aspects with their best experts, experts [email, grade 3/2/1 or 0 = distractor, reason],
# conflicts [email, kind, reason] (the ground truth a hub should flag).
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if judgements.yaml is stale")
    args = parser.parse_args()
    text = HEADER + yaml.safe_dump(build(), allow_unicode=True, sort_keys=False, width=100)
    path = DATA / "judgements.yaml"
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        sys.exit(0 if current == text else "judgements.yaml is stale: run build_judgements.py")
    path.write_text(text, encoding="utf-8")
    print(f"written: {path}")


if __name__ == "__main__":
    main()
