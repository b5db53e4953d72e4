"""Demo data of transfer: entries across kinds and maturity, three events, the network,
and a year of use so every chart of the hub's figures has something to show.

Loaded by ``humaine demo`` after the contact point (its staff, organisations and sectors)
through transfer's services, so the audit trail reads as in real use. The texts are our
own, written for the demo.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import F

# kind, maturity, visibility, sectors, disciplines, recommendations,
# (title_de, summary_de, problem_de), (title_en, summary_en, problem_en), body_de, body_en
ENTRIES = [
    (
        "method",
        5,
        "public",
        ["insurance", "industry"],
        ["psychology", "work_science"],
        ["REC-HC-SURVEYS", "REC-HC-WORKLOAD"],
        (
            "Belastungsbefragung vor und nach der Einführung",
            "Kurze Befragung der Beschäftigten zu Belastung, Handlungsspielraum und Vertrauen, "
            "einmal vor und zweimal nach dem Start des KI-Systems.",
            "Ob die Arbeit mit KI leichter oder schwerer wird, bleibt ohne Messung Meinung.",
        ),
        (
            "Workload survey before and after go-live",
            "A short survey of employees on workload, control over their work and trust, once "
            "before and twice after the AI system starts.",
            "Without a measurement, whether work with AI gets easier or harder stays an opinion.",
        ),
        "## Vorgehen\n\n1. Gruppe festlegen (mindestens fünf Personen).\n2. Nullmessung vor der "
        "Einführung.\n3. Wiederholung nach drei und sechs Monaten.\n\nErgebnisse nur für Gruppen "
        "ab fünf Antworten zeigen.",
        "## Steps\n\n1. Choose the group (at least five people).\n2. Baseline before go-live.\n"
        "3. Repeat after three and six months.\n\nShow results only for groups of five or more.",
    ),
    (
        "method",
        4,
        "public",
        ["insurance"],
        ["computer_science", "psychology"],
        ["REC-HC-DEFER", "REC-HC-CALIBRATION"],
        (
            "Unsichere Fälle an Menschen geben",
            "Das KI-System entscheidet nur, wo es verlässlich ist; unsichere Fälle gehen an die "
            "Person, die sie am besten beurteilen kann.",
            "Vollautomatik überfordert das System, reine Assistenz verschenkt Entlastung.",
        ),
        (
            "Defer uncertain cases to people",
            "The AI decides only where it is reliable; uncertain cases go to the person best "
            "placed to judge them.",
            "Full automation asks too much of the system, pure assistance wastes relief.",
        ),
        "Kalibrierte Wahrscheinlichkeiten, eine Kapazität je Person und eine Prüfquote für "
        "KI-Entscheidungen bilden zusammen das Mensch-KI-Team.",
        "Calibrated probabilities, a capacity per person and an audit share of AI decisions "
        "together make the human-AI team.",
    ),
    (
        "method",
        3,
        "public",
        ["industry", "health", "insurance"],
        ["work_science"],
        ["REC-PART-WORKSHOP"],
        (
            "Beteiligungswerkstatt mit dem Betriebsrat",
            "Ein halbtägiger Workshop, in dem Beschäftigte, Betriebsrat und Entwicklung den "
            "Arbeitsablauf mit KI gemeinsam skizzieren.",
            "Systeme, die ohne die Beschäftigten entworfen werden, werden umgangen.",
        ),
        (
            "Participation workshop with the works council",
            "A half-day workshop in which employees, the works council and developers sketch the "
            "work process with AI together.",
            "Systems designed without the people who use them get worked around.",
        ),
        "## Ablauf\n\n- Ist-Ablauf aufzeichnen\n- Entscheidungen markieren\n- Wo hilft KI, wo "
        "stört sie?\n- Vereinbarungen festhalten",
        "",
    ),
    (
        "method",
        2,
        "public",
        ["health"],
        ["psychology"],
        ["REC-HC-AUTOMATION-BIAS"],
        (
            "Erst selbst urteilen, dann den Vorschlag sehen",
            "Die Fachkraft gibt ihre eigene Einschätzung ab, bevor der KI-Vorschlag erscheint.",
            "Wer den Vorschlag zuerst sieht, übernimmt ihn zu oft ungeprüft.",
        ),
        ("", "", ""),
        "Eine kleine Änderung der Oberfläche mit messbarer Wirkung auf die "
        "Übernahmequote falscher Vorschläge.",
        "",
    ),
    (
        "method",
        1,
        "public",
        ["industry"],
        ["engineering", "work_science"],
        ["REC-HC-DESKILLING"],
        ("", "", ""),
        (
            "Skill retention rotation",
            "Planned rotation so that operators still decide a share of cases without AI support "
            "and keep their expertise.",
            "When AI takes over routine decisions, people lose the skill they need when it fails.",
        ),
        "",
        "Rotate operators weekly through a manual station; track error rates on both.",
    ),
    (
        "method",
        3,
        "members",
        ["insurance"],
        ["law", "work_science"],
        ["REC-CD-AGREEMENT"],
        (
            "Eckpunkte einer Betriebsvereinbarung zu KI",
            "Die Punkte, die eine Betriebsvereinbarung zu einem KI-System regeln sollte.",
            "Ohne Vereinbarung blockiert die Mitbestimmung nach § 87 BetrVG die Einführung.",
        ),
        (
            "Key points of a works agreement on AI",
            "The points a works agreement on an AI system should settle.",
            "Without an agreement, co-determination under § 87 BetrVG stops the introduction.",
        ),
        "- Zweck und Grenzen\n- Keine Leistungs- und Verhaltenskontrolle\n- Qualifizierung\n"
        "- Evaluation",
        "- Purpose and limits\n- No performance monitoring\n- Training\n- Evaluation",
    ),
    (
        "method",
        4,
        "public",
        ["industry", "insurance"],
        ["computer_science"],
        ["REC-REL-MONITORING"],
        (
            "Überwachung im Betrieb: Übereinstimmung und Übersteuerung",
            "Wie oft Menschen KI-Entscheidungen übersteuern, zeigt früh, wenn sich Daten oder "
            "Arbeit ändern.",
            "Ein Modell altert unbemerkt, wenn niemand seine Fehler im Alltag zählt.",
        ),
        (
            "Monitoring in use: agreement and overrides",
            "How often people override AI decisions shows early when data or work change.",
            "A model ages unnoticed when nobody counts its errors in daily work.",
        ),
        "",
        "",
    ),
    (
        "method",
        5,
        "public",
        ["industry", "health", "insurance", "other"],
        ["law"],
        ["REC-DP-DPIA"],
        (
            "Datenschutz-Folgenabschätzung für KI-Systeme",
            "Schritt für Schritt zur DSFA nach Art. 35 DSGVO für ein KI-System am Arbeitsplatz.",
            "Beschäftigtendaten in KI-Systemen verlangen eine dokumentierte Abwägung.",
        ),
        (
            "Data protection impact assessment for AI systems",
            "Step by step to a DPIA under GDPR Art. 35 for an AI system at work.",
            "Employee data in AI systems needs a documented assessment.",
        ),
        "",
        "",
    ),
    (
        "case_study",
        4,
        "public",
        ["insurance"],
        ["psychology", "computer_science"],
        [],
        (
            "Kfz-Schäden: KI schlägt vor, Menschen entscheiden",
            "Ein Versicherer verteilt einfache Kfz-Schäden an ein KI-System und schwierige an "
            "erfahrene Sachbearbeitende.",
            "",
        ),
        (
            "Motor claims: AI proposes, people decide",
            "An insurer routes simple motor claims to an AI system and difficult ones to "
            "experienced claims handlers.",
            "",
        ),
        "",
        "",
    ),
    (
        "case_study",
        3,
        "public",
        ["health"],
        ["work_science"],
        [],
        (
            "Dienstplanung in der Pflege mit Wunschdiensten",
            "Ein Pflegedienst erprobt eine KI-gestützte Dienstplanung, die Wünsche der "
            "Beschäftigten zuerst berücksichtigt.",
            "",
        ),
        ("", "", ""),
        "",
        "",
    ),
    (
        "case_study",
        2,
        "staff",
        ["industry"],
        ["engineering"],
        [],
        (
            "Sichtprüfung von Schweißnähten (intern)",
            "Interne Fallstudie, noch ohne Freigabe aller Teile.",
            "",
        ),
        ("", "", ""),
        "",
        "",
    ),
    (
        "guideline",
        5,
        "public",
        ["industry", "health", "insurance", "other"],
        ["law"],
        [],
        (
            "Leitfaden: Beschäftigte über KI informieren",
            "Was Beschäftigte vor dem Einsatz eines KI-Systems erfahren müssen und wie Sie es "
            "verständlich sagen.",
            "Art. 26 Abs. 7 KI-VO verlangt die Information vor dem Einsatz.",
        ),
        (
            "Guideline: informing employees about AI",
            "What employees must learn before an AI system is used and how to say it clearly.",
            "Art. 26(7) AI Act requires informing them before use.",
        ),
        "",
        "",
    ),
    (
        "guideline",
        4,
        "public",
        ["industry", "insurance"],
        ["computer_science", "law"],
        [],
        (
            "Leitfaden: KI-Systeme einkaufen",
            "Fragen an Anbieter zu Daten, Dokumentation, menschlicher Aufsicht und Haftung.",
            "",
        ),
        (
            "Guideline: buying AI systems",
            "Questions for vendors on data, documentation, human oversight and liability.",
            "",
        ),
        "",
        "",
    ),
    (
        "guideline",
        3,
        "members",
        ["health"],
        ["psychology"],
        [],
        (
            "Leitfaden: Vertrauen kalibrieren",
            "Wie Teams lernen, einem KI-System so viel zu vertrauen, wie es verdient.",
            "",
        ),
        (
            "Guideline: calibrating trust",
            "How teams learn to trust an AI system as much as it deserves.",
            "",
        ),
        "",
        "",
    ),
    (
        "template",
        4,
        "public",
        ["industry", "health", "insurance", "other"],
        ["law"],
        [],
        (
            "Vorlage: Betriebsvereinbarung KI",
            "Eine Mustervereinbarung mit Kommentaren, die Sie an Ihr System anpassen.",
            "",
        ),
        (
            "Template: works agreement on AI",
            "A model agreement with comments to adapt to your system.",
            "",
        ),
        "",
        "",
    ),
    (
        "template",
        3,
        "public",
        ["insurance"],
        ["work_science"],
        [],
        (
            "Vorlage: Rollen und Kompetenzen im KI-Betrieb",
            "Eine Tabelle, wer was über das System wissen muss, bis wann und mit welchem Nachweis.",
            "",
        ),
        (
            "Template: roles and skills for running AI",
            "A table of who must know what about the system, by when, with what evidence.",
            "",
        ),
        "",
        "",
    ),
    (
        "template",
        2,
        "staff",
        ["industry"],
        ["engineering"],
        [],
        ("Vorlage: Pilotbericht (intern)", "Gliederung für Pilotberichte des Zentrums.", ""),
        ("", "", ""),
        "",
        "",
    ),
    (
        "learning_material",
        5,
        "public",
        ["industry", "health", "insurance", "other"],
        ["work_science", "psychology"],
        [],
        (
            "Lernmodul: Was KI kann und was nicht",
            "Ein einstündiges Modul für alle Beschäftigten, mit Übungen am eigenen Arbeitsplatz.",
            "",
        ),
        (
            "Learning module: what AI can and cannot do",
            "A one-hour module for all employees, with exercises at their own workplace.",
            "",
        ),
        "",
        "",
    ),
    (
        "learning_material",
        3,
        "public",
        ["insurance"],
        ["psychology"],
        [],
        (
            "Übungsfälle: Automatisierungsgläubigkeit erkennen",
            "Zwanzig Fälle, in denen der KI-Vorschlag falsch ist, zum Üben des Widerspruchs.",
            "",
        ),
        (
            "Practice cases: spotting automation bias",
            "Twenty cases where the AI suggestion is wrong, to practise disagreeing.",
            "",
        ),
        "",
        "",
    ),
    (
        "learning_material",
        1,
        "members",
        ["industry"],
        ["computer_science"],
        [],
        ("", "", ""),
        (
            "Reading list: human-AI complementarity",
            "Papers on when people and AI together beat either alone.",
            "",
        ),
        "",
        "",
    ),
]

CASE_FIELDS = {
    "Kfz-Schäden: KI schlägt vor, Menschen entscheiden": {
        "organisation": "Westfälische Mutual Versicherung VVaG",
        "goal": "Sachbearbeitende von Routinefällen entlasten, ohne schwierige Fälle zu "
        "automatisieren.",
        "approach": "Gemeinsame Werkstätten mit dem Betriebsrat, dann ein Mensch-KI-Team mit "
        "Prüfquote.",
        "methods": "- Belastungsbefragung\n- Unsichere Fälle an Menschen geben",
        "outcomes": "- Belastung (NASA-TLX): 58 → 49\n- Übersteuerungen: 6 %",
        "lessons": "Die Prüfquote war der Schlüssel zur Akzeptanz.",
    },
    "Dienstplanung in der Pflege mit Wunschdiensten": {
        "organisation": "Pflegedienst Lennetal gGmbH",
        "goal": "Dienstpläne schneller erstellen und Wünsche fairer erfüllen.",
        "approach": "Planungsteam und Pflegekräfte testen Vorschläge vier Wochen parallel.",
        "methods": "- Beteiligungswerkstatt mit dem Betriebsrat",
        "outcomes": "- Erfüllte Wunschdienste: 71 % → 84 %",
        "lessons": "",
    },
    "Sichtprüfung von Schweißnähten (intern)": {
        "organisation": "Ruhrstahl Komponenten GmbH",
        "goal": "Fehlerhafte Nähte früher finden.",
        "approach": "Kamerabilder und Prüferurteile aus zwei Jahren.",
        "methods": "",
        "outcomes": "- Schlupf: 2,1 % → 0,8 %",
        "lessons": "",
    },
}

EVENTS = [
    # kind, days from now, hours, capacity, title_de, title_en, description_de, venue
    (
        "fair",
        -75,
        7,
        40,
        "Frühjahrsmesse Mensch und KI",
        "Spring fair people and AI",
        "Unternehmen zeigen ihre Anwendungsszenarien; Werkstätten zum Mitmachen.",
        "Zentrum, Halle 1, Bochum",
    ),
    (
        "workshop",
        12,
        3,
        4,
        "Werkstatt: Belastung messen",
        "Workshop: measuring workload",
        "Wir erproben die Belastungsbefragung an Ihren eigenen Abläufen.",
        "Zentrum, Raum 2.14",
    ),
    (
        "idea_lab",
        30,
        4,
        25,
        "Ideenlabor: KI im Schadenfall",
        "Idea lab: AI in claims",
        "Sachbearbeitende, Betriebsräte und KI-Fachleute entwickeln gemeinsam Ideen.",
        "Zentrum, Ideenlabor, Bochum",
    ),
]
ACCESSIBILITY = "Stufenloser Zugang, Induktionsschleife im Saal, barrierefreie Toilette."
PEOPLE = [
    "Anna Schmidt", "Bernd Wolf", "Carla Neumann", "Deniz Arslan", "Eva Hoffmann",
    "Frank Zimmer", "Gül Yilmaz", "Hanna Braun", "Ivo Krämer", "Jana Richter",
    "Kai Lehmann", "Lea Hartmann", "Mehmet Kaya", "Nina Vogel",
]  # fmt: skip

MEMBERS = [
    # organisation index, kind, years in network, offers_de, seeks_de
    (
        0,
        "member",
        3,
        "Fertigungsdaten und Prüfstände für Pilotprojekte.",
        "Partner für KI in der Qualitätssicherung.",
    ),
    (
        2,
        "member",
        2,
        "Erfahrung mit Dienstplanung und Pflegedokumentation.",
        "Forschungspartner für Arbeitsbelastung.",
    ),
    (
        4,
        "member",
        4,
        "Ein Team für Mensch-KI-Zusammenarbeit im Schadenfall.",
        "Austausch mit anderen Versicherern.",
    ),
    (
        6,
        "partner",
        5,
        "Arbeitswissenschaftliche Methoden und Befragungsinstrumente.",
        "Unternehmen für Feldstudien.",
    ),
    (
        7,
        "partner",
        5,
        "Maschinelles Lernen, Kalibrierung, Mensch-KI-Teams.",
        "Reale Entscheidungsdaten mit menschlichen Urteilen.",
    ),
    (8, "partner", 1, "Kontakte in den Mittelstand der Region.", "Themen für Veranstaltungen."),
]


def present() -> bool:
    from .models import Entry

    return Entry.objects.exists()


def load(demo) -> None:
    contact = demo.objects["contact"]
    users, sectors = contact["users"], contact["sectors"]
    organisations = contact["organisations"]
    author, reviewer = users["staff"], users["staff2"]
    entries = _entries(author, reviewer, sectors, organisations, demo.now)
    events = _events(author, demo.now)
    members = _members(organisations, demo.now)
    _history(entries, demo.now)
    from .search import refresh_now

    refresh_now([entry.pk for entry in entries])
    demo.objects["transfer"] = {"entries": entries, "events": events, "members": members}


def _entries(author, reviewer, sectors, organisations, now):
    from . import services
    from .models import Entry

    by_name = {o.name: o for o in organisations}
    entries = []
    for i, (kind, maturity, visibility, sector_keys, disciplines, recs, de, en, body_de,
            body_en) in enumerate(ENTRIES):  # fmt: skip
        texts = {
            "title_de": de[0], "summary_de": de[1], "problem_de": de[2], "body_de": body_de,
            "title_en": en[0], "summary_en": en[1], "problem_en": en[2], "body_en": body_en,
            "maturity": maturity,
            "sources": "- Hart & Staveland (1988), NASA-TLX\n- Parasuraman & Manzey (2010)"
            if kind == "method" else "",
        }  # fmt: skip
        case = CASE_FIELDS.get(de[0])
        if case:
            texts["case_fields"] = {name: {"de": text} for name, text in case.items()}
        data = services.EntryData(
            texts=texts, sectors=[sectors[k] for k in sector_keys if k in sectors],
            disciplines=disciplines, recommendation_ids=recs, visibility=visibility,
        )  # fmt: skip
        organisation = by_name.get(case["organisation"]) if case else None
        entry = services.create_entry(author, kind, data, organisation=organisation)
        version = services.submit_for_review(author, services.open_version(entry))
        if case and visibility == "public":
            services.record_consent(
                reviewer, entry, released=services.default_release(),
                given_by="Geschäftsführung (schriftlich)",
            )  # fmt: skip
        if kind != "case_study" or entry.has_consent:
            services.approve_version(reviewer, version)
        published = now - timedelta(days=20 + 17 * i)
        Entry.objects.filter(pk=entry.pk).update(first_published_at=published)
        entries.append(entry)
    return entries


def _events(author, now):
    from . import services
    from .models import Event, Registration

    events = []
    rng = random.Random(7)
    for kind, days, hours, capacity, title_de, title_en, text, venue in EVENTS:
        starts = (now + timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        data = {
            "kind": kind, "title_de": title_de, "title_en": title_en, "description_de": text,
            "description_en": "", "starts_at": starts, "ends_at": starts + timedelta(hours=hours),
            "venue": venue, "accessibility_de": ACCESSIBILITY, "capacity": capacity,
            "published": True,
        }  # fmt: skip
        past = days < 0
        if past:
            # registration happened before the event: create it as if it were still ahead
            data |= {
                "starts_at": now + timedelta(days=1),
                "ends_at": now + timedelta(days=1, hours=hours),
            }
        event = services.create_event(author, data)
        count = {"fair": 18, "workshop": 6, "idea_lab": 5}[kind]
        for n, name in enumerate(
            PEOPLE[:count] + [f"Gast {i}" for i in range(count - len(PEOPLE))]
        ):
            email = f"{name.lower().replace(' ', '.')}@beispiel.example"
            needs = "Rollstuhl, bitte stufenloser Zugang" if n == 3 else ""
            services.register_for_event(event, {
                "name": name, "email": email, "organisation_name": "Beispiel GmbH",
                "accessibility_needs": needs, "language": "de",
            })  # fmt: skip
        if past:
            Event.objects.filter(pk=event.pk).update(
                starts_at=starts, ends_at=starts + timedelta(hours=hours)
            )
            event.refresh_from_db()
            confirmed = list(event.registrations.confirmed().values_list("pk", flat=True))
            services.record_attendance(
                author, event, [pk for pk in confirmed if rng.random() < 0.8]
            )
            Registration.objects.filter(event=event).update(created_at=starts - timedelta(days=20))
        events.append(event)
    return events


def _members(organisations, now):
    from . import services

    members = []
    for index, kind, years, offers, seeks in MEMBERS:
        organisation = organisations[index]
        members.append(
            services.add_network_member(
                None,
                organisation,
                {
                    "kind": kind,
                    "member_since": (now - timedelta(days=365 * years)).date(),
                    "offers_de": offers,
                    "seeks_de": seeks,
                    "listed": True,
                    "description_de": f"{organisation.name} arbeitet im Netzwerk des Zentrums mit.",
                },
            )  # fmt: skip
        )
    return members


def _history(entries, now):
    """A year of views and downloads per published entry."""
    from .models import EntryUsage

    rng = random.Random(11)
    rows = []
    for entry in entries:
        if entry.published_version_id is None:
            continue
        for day in range(0, 365, 3):
            rows.append(
                EntryUsage(
                    entry=entry,
                    day=(now - timedelta(days=day)).date(),
                    views=rng.randint(0, 12),
                    downloads=rng.randint(0, 2),
                )
            )
    EntryUsage.objects.bulk_create(rows, ignore_conflicts=True)
    EntryUsage.objects.filter(views=0).update(views=F("views") + 1)
