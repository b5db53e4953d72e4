"""Demo data: a fictitious hub in Bochum with its network, companies and inquiries.

Everything here is invented for the demo; any likeness to real organisations is chance.
"""

SECTORS = [
    (
        "industry",
        "Industrie",
        "Industry",
        "Produktion, Qualitätsprüfung, Instandhaltung und Logistik: KI, die Beschäftigte bei "
        "Prüf- und Planungsaufgaben unterstützt, ohne sie zu überwachen.",
        "Production, quality inspection, maintenance and logistics: AI that supports employees "
        "in inspection and planning without monitoring them.",
    ),
    (
        "health",
        "Gesundheitswesen",
        "Health care",
        "Kliniken, Pflege und Praxen: Entlastung bei Dokumentation und Triage, mit der "
        "fachlichen Entscheidung beim Menschen.",
        "Hospitals, nursing and practices: relief in documentation and triage, with the "
        "professional decision staying with people.",
    ),
    (
        "insurance",
        "Versicherungen",
        "Insurance",
        "Schadenbearbeitung, Underwriting und Kundenservice: KI, die Sachbearbeitung "
        "unterstützt und Entscheidungen nachvollziehbar macht.",
        "Claims handling, underwriting and customer service: AI that supports case handlers "
        "and keeps decisions explainable.",
    ),
    (
        "other",
        "Weitere Branchen",
        "Other sectors",
        "Handwerk, Dienstleistung, Verwaltung und Handel: wir prüfen gern, ob und wie wir helfen.",
        "Crafts, services, public administration and retail: we gladly check whether and how we "
        "can help.",
    ),
]

# name, kind, sector, size, city
ORGANISATIONS = [
    ("Ruhrstahl Komponenten GmbH", "company", "industry", "250-999", "Bochum"),
    ("Emscher Präzisionsteile AG", "company", "industry", "50-249", "Gelsenkirchen"),
    ("Klinikum Mittleres Ruhrgebiet", "company", "health", "1000+", "Herne"),
    ("Pflegedienst Lennetal gGmbH", "company", "health", "50-249", "Hagen"),
    ("Westfälische Mutual Versicherung VVaG", "company", "insurance", "1000+", "Dortmund"),
    ("Rhein-Ruhr Assekuranz AG", "company", "insurance", "250-999", "Essen"),
    ("Institut für Arbeitswissenschaft Ruhr", "research", None, "", "Bochum"),
    ("Zentrum für Neuroinformatik und KI", "research", None, "", "Bochum"),
    ("Transfernetz Mittelstand Ruhr e.V.", "transfer", None, "", "Dortmund"),
    ("Handwerkskammer-Digitalagentur", "transfer", "other", "", "Münster"),
]

# name, employer index, disciplines, sectors, languages, capacity, topics, methods
EXPERTS = [
    (
        "Prof. Dr. Anna Becker",
        6,
        ["work_science"],
        ["industry", "health"],
        ["de", "en"],
        12,
        "Arbeitsgestaltung mit KI, psychische Belastung, Tätigkeitsspielräume in der Produktion",
        "Tätigkeitsanalyse, Gefährdungsbeurteilung psychischer Belastung, Arbeitssystemgestaltung",
    ),
    (
        "Dr. Jonas Weber",
        7,
        ["computer_science"],
        ["industry", "insurance"],
        ["de", "en"],
        16,
        "Machine learning for quality inspection, uncertainty estimation, learning to defer",
        "Calibrated classifiers, human-AI teaming, explainable AI with SHAP",
    ),
    (
        "Prof. Dr. Leyla Demir",
        7,
        ["computer_science"],
        ["health"],
        ["de", "en", "tr"],
        8,
        "Neuroinformatik, medizinische Bildanalyse, Unsicherheit tiefer Netze",
        "Deep learning, Kalibrierung, Bewertung gegen Expertenurteile",
    ),
    (
        "Dr. Markus Hoffmann",
        6,
        ["psychology"],
        ["insurance", "other"],
        ["de"],
        10,
        "Akzeptanz und Vertrauen in KI-Systeme, Technostress in der Sachbearbeitung",
        "Fragebogen (TAM/UTAUT), Interviews, Feldexperimente",
    ),
    (
        "Dr. Sarah Klein",
        6,
        ["psychology", "work_science"],
        ["health"],
        ["de", "en"],
        6,
        "Trust calibration in clinical decision support, workload of nursing staff",
        "NASA-TLX, experience sampling, participatory workshops",
    ),
    (
        "Prof. Dr. Thomas Wagner",
        7,
        ["engineering"],
        ["industry"],
        ["de"],
        8,
        "Industrielle Bildverarbeitung, Predictive Maintenance, Sensorik an Werkzeugmaschinen",
        "Prüfstandsversuche, Zustandsüberwachung, Ausfallmodelle",
    ),
    (
        "Dr. Elena Petrova",
        7,
        ["engineering", "computer_science"],
        ["industry", "other"],
        ["en", "de"],
        12,
        "Production scheduling with optimisation and ML, human-in-the-loop planning",
        "Mixed-integer programming, simulation, decision support dashboards",
    ),
    (
        "Dr. Felix Schulz",
        6,
        ["social_science"],
        ["insurance", "industry"],
        ["de"],
        8,
        "Mitbestimmung bei KI-Einführung, Betriebsvereinbarungen, Organisationswandel",
        "Fallstudien, Stakeholder-Analyse, moderierte Beteiligungsprozesse",
    ),
    (
        "Prof. Dr. Miriam Yilmaz",
        6,
        ["social_science", "psychology"],
        ["health", "other"],
        ["de", "en"],
        6,
        "Participation of employees in digital transformation, fairness perceptions",
        "Mixed methods, focus groups, action research",
    ),
    (
        "Dr. Paul Richter",
        8,
        ["law"],
        ["insurance", "health", "industry"],
        ["de", "en"],
        10,
        "EU AI Act, DSGVO, Betriebsverfassungsrecht bei KI-Systemen",
        "Rechtliche Risikoanalyse, Folgenabschätzung, Musterbetriebsvereinbarungen",
    ),
    (
        "Katharina Neumann",
        8,
        ["transfer", "work_science"],
        ["other", "industry"],
        ["de"],
        20,
        "KI-Einführung in KMU, Qualifizierung, AI literacy im Handwerk",
        "Workshops, Reifegradanalysen, Schulungskonzepte nach Art. 4 KI-VO",
    ),
    (
        "Dr. Ahmed Haddad",
        7,
        ["computer_science"],
        ["insurance"],
        ["en", "de", "ar"],
        14,
        "NLP for claims documents, fraud detection, fairness in underwriting models",
        "Text classification, multilingual embeddings, fairness metrics",
    ),
    (
        "Dr. Julia Schmitt",
        6,
        ["work_science", "engineering"],
        ["industry"],
        ["de", "en"],
        10,
        "Ergonomie von Assistenzsystemen, Mensch-Roboter-Kollaboration",
        "Usability-Tests nach DIN EN ISO 9241-110, Eye-Tracking, Belastungsmessung",
    ),
    (
        "Dr. Lukas Braun",
        7,
        ["computer_science", "engineering"],
        ["health", "industry"],
        ["de"],
        4,
        "Zeitreihenanalyse, Triage-Modelle in der Notaufnahme, Prozessdaten",
        "Gradient boosting, Kalibrierung, Validierung mit zeitlichem Split",
    ),
    (
        "Dr. Hannah Vogel",
        6,
        ["psychology"],
        ["industry", "insurance"],
        ["de", "en"],
        8,
        "Skill retention and de-skilling with automation, training design",
        "Longitudinal studies, competence assessment, training evaluation",
    ),
]

# username, name, role ("admin"/"staff"), email
STAFF = [
    ("admin", "Dr. Claudia Lange", "admin", "admin@humaine.example"),
    ("staff", "Tobias Krüger", "staff", "staff@humaine.example"),
    ("staff2", "Aylin Öztürk", "staff", "aylin@humaine.example"),
]

# username, name, organisation index, email
MEMBERS = [
    ("member", "Martin Schäfer", 0, "m.schaefer@ruhrstahl.example"),
    ("member2", "Sabine Koch", 4, "s.koch@westfaelische.example"),
]

EXPERT_ACCOUNTS = [("expert", 1), ("expert2", 0)]  # username, index into EXPERTS

# org, sector, size, contact, email, language, status, assignee, works council,
# employees, work process, problem, data
INQUIRIES = [
    (
        0,
        "industry",
        "250-999",
        "Martin Schäfer",
        "m.schaefer@ruhrstahl.example",
        "de",
        "new",
        None,
        "yes",
        40,
        "Sichtprüfung von Schmiedeteilen",
        "Unsere Prüferinnen und Prüfer sichten jedes Teil auf Risse. Wir möchten eine Kamera mit "
        "KI, die unsichere Teile markiert, ohne die Leistung einzelner Beschäftigter zu messen.",
        "ca. 20.000 Prüfbilder mit Befund der letzten zwei Jahre",
    ),
    (
        1,
        "industry",
        "50-249",
        "Petra Lehmann",
        "p.lehmann@emscher.example",
        "de",
        "triage",
        "staff",
        "no",
        15,
        "Schichtplanung in der Fertigung",
        "Die Schichtplanung kostet die Meister viel Zeit. Ein Vorschlagssystem soll Wünsche der "
        "Beschäftigten und Qualifikationen berücksichtigen.",
        "Schichtpläne aus Excel, Qualifikationsmatrix",
    ),
    (
        2,
        "health",
        "1000+",
        "Dr. Stefan Berg",
        "s.berg@klinikum.example",
        "de",
        "matched",
        "staff",
        "yes",
        120,
        "Ersteinschätzung in der Notaufnahme",
        "Wir prüfen, ob ein Modell die Pflegekräfte bei der Triage nach Manchester-Schema "
        "unterstützen kann, besonders bei hoher Auslastung.",
        "Anonymisierte Triagedaten mit späterer ärztlicher Einstufung",
    ),
    (
        3,
        "health",
        "50-249",
        "Monika Richter",
        "m.richter@lennetal.example",
        "de",
        "new",
        None,
        "unknown",
        60,
        "Pflegedokumentation",
        "Die Dokumentation frisst Zeit am Bett. Hilft Spracherkennung, ohne dass wir die "
        "Kontrolle über die Einträge verlieren?",
        "",
    ),
    (
        4,
        "insurance",
        "1000+",
        "Sabine Koch",
        "s.koch@westfaelische.example",
        "de",
        "scenario",
        "staff2",
        "yes",
        300,
        "Kfz-Schadenbearbeitung",
        "Ein KI-Modell soll einfache Kfz-Schäden vorprüfen. Die Sachbearbeitung soll entscheiden, "
        "welche Fälle sie selbst prüft; der Betriebsrat möchte früh beteiligt werden.",
        "Schadenakten mit Gutachten und Regulierungsentscheidung, 5 Jahre",
    ),
    (
        5,
        "insurance",
        "250-999",
        "Oliver Brandt",
        "o.brandt@rhein-ruhr.example",
        "en",
        "triage",
        "staff2",
        "yes",
        80,
        "Underwriting of small business policies",
        "We want to know whether a risk score could support underwriters, and what the AI Act "
        "and our works council require before a pilot.",
        "Policy and claims history, underwriter notes",
    ),
    (
        None,
        "industry",
        "10-49",
        "Jan Vos",
        "jan.vos@vosmetal.example",
        "en",
        "declined",
        "staff",
        "no",
        8,
        "Automatic quoting for sheet metal parts",
        "We would like a tool that prices customer drawings automatically.",
        "Old quotes",
    ),
    (
        None,
        "other",
        "1-9",
        "Erika Mustermann",
        "erika@tischlerei.example",
        "de",
        "closed",
        "staff",
        "no",
        5,
        "Angebotserstellung im Handwerk",
        "Kann KI uns bei Angeboten helfen? Wir sind eine kleine Tischlerei.",
        "",
    ),
    (
        None,
        "health",
        "250-999",
        "Dr. Lea Hartmann",
        "l.hartmann@reha.example",
        "de",
        "matched",
        "staff2",
        "yes",
        45,
        "Therapieplanung in der Reha",
        "Therapiepläne werden händisch erstellt. Wir suchen Unterstützung bei der Planung, die "
        "Patientenwünsche und Personaleinsatz ausbalanciert.",
        "Therapiepläne, Dienstpläne",
    ),
    (
        None,
        "insurance",
        "50-249",
        "Thomas Frank",
        "t.frank@makler.example",
        "de",
        "new",
        None,
        "no",
        25,
        "Kundenanfragen per E-Mail",
        "Viele E-Mails landen im falschen Postfach. Eine KI könnte vorsortieren.",
        "E-Mail-Archiv ohne Anhänge",
    ),
    (
        None,
        "industry",
        "1000+",
        "Priya Nair",
        "p.nair@autoparts.example",
        "en",
        "scenario",
        "staff",
        "yes",
        500,
        "Predictive maintenance on press lines",
        "Unplanned downtime of our presses is costly. We want maintenance planners to get "
        "early warnings they trust, and to keep their expertise.",
        "Sensor data (vibration, temperature), maintenance logs",
    ),
    (
        None,
        "other",
        "250-999",
        "Klaus Meier",
        "k.meier@stadtwerke.example",
        "de",
        "triage",
        "staff",
        "yes",
        70,
        "Störungsmeldungen im Netzbetrieb",
        "Störungsmeldungen sollen schneller an die richtigen Teams gehen.",
        "Ticketsystem",
    ),
    (
        None,
        "health",
        "1-9",
        "Dr. Nadia Roth",
        "praxis@roth.example",
        "de",
        "declined",
        "staff2",
        "no",
        6,
        "Terminvergabe in der Arztpraxis",
        "Wir suchen ein fertiges Produkt für die Online-Terminvergabe.",
        "",
    ),
    (
        None,
        "insurance",
        "1000+",
        "Michael Lorenz",
        "m.lorenz@leben.example",
        "de",
        "triage",
        "staff2",
        "yes",
        150,
        "Risikoprüfung in der Lebensversicherung",
        "Wir möchten Gesundheitsangaben mit KI vorprüfen lassen und wissen, was das nach der "
        "KI-Verordnung bedeutet (Anhang III).",
        "Anträge mit Risikoprüfungsentscheidung",
    ),
    (
        None,
        "industry",
        "50-249",
        "Laura Fischer",
        "l.fischer@kunststoff.example",
        "en",
        "new",
        None,
        "no",
        30,
        "Quality control of injection moulded parts",
        "Our inspectors miss rare defects late in the shift. Could AI help them without "
        "creating more stress?",
        "Images of rejected parts",
    ),
    (
        None,
        "other",
        "10-49",
        "Ben Schneider",
        "b.schneider@logistik.example",
        "de",
        "matched",
        "staff",
        "no",
        20,
        "Tourenplanung",
        "Unsere Disponenten planen Touren mit viel Erfahrung. Wir wollen sie unterstützen, "
        "nicht ersetzen.",
        "GPS-Daten, Auftragsdaten",
    ),
    (
        None,
        "health",
        "1000+",
        "Dr. Ines Wolf",
        "i.wolf@uniklinik.example",
        "en",
        "closed",
        "staff2",
        "yes",
        200,
        "Radiology report drafting",
        "We evaluated speech-to-text for radiology reports and want an independent view on "
        "workload effects.",
        "Report archive",
    ),
    (
        None,
        "insurance",
        "250-999",
        "Georg Albers",
        "g.albers@hausrat.example",
        "de",
        "new",
        None,
        "yes",
        90,
        "Betrugserkennung in der Hausratversicherung",
        "Auffällige Schadenmeldungen sollen markiert werden. Wie vermeiden wir, dass ehrliche "
        "Kundinnen benachteiligt werden?",
        "Schadenmeldungen mit Prüfergebnis",
    ),
    (
        None,
        "industry",
        "250-999",
        "Sophie Dubois",
        "s.dubois@chem.example",
        "en",
        "triage",
        "staff",
        "yes",
        60,
        "Shift handover documentation in a chemical plant",
        "Handover notes are incomplete. We consider an assistant that summarises the shift "
        "log for the next crew.",
        "Shift logs, incident reports",
    ),
    (
        None,
        "other",
        "50-249",
        "Hans Peters",
        "h.peters@verwaltung.example",
        "de",
        "new",
        None,
        "yes",
        40,
        "Bearbeitung von Förderanträgen",
        "Unsere Sachbearbeitung prüft Anträge auf Vollständigkeit. Könnte KI vorprüfen?",
        "Anträge als PDF",
    ),
]


# Loading ---------------------------------------------------------------------------------

ACCOUNTS = (
    ("hub admin", "admin"),
    ("transfer staff", "staff"),
    ("transfer staff", "staff2"),
    ("company member (Ruhrstahl)", "member"),
    ("company member (insurer)", "member2"),
    ("expert", "expert"),
    ("expert", "expert2"),
)


def load(demo) -> None:
    """Sectors, the network, accounts of every role, and inquiries in every status.

    Inquiries go through the contact point's services (submitted, made the responsibility
    of a transfer specialist, noted, answered, moved along), then get their received
    date in the past. Shared with later loaders: ``demo.objects["contact"]``.
    """
    sectors = _sectors()
    organisations, users = _network(demo, sectors)
    experts = _experts(demo, organisations, sectors, users)
    inquiries = _inquiries(demo, organisations, sectors, users)
    demo.objects["contact"] = {
        "sectors": sectors,
        "organisations": organisations,
        "users": users,
        "experts": experts,
        "inquiries": inquiries,
    }


def _sectors():
    from .models import Sector

    sectors = {}
    for order, (slug, name_de, name_en, text_de, text_en) in enumerate(SECTORS):
        sectors[slug], _ = Sector.objects.update_or_create(
            slug=slug,
            defaults={
                "name_de": name_de,
                "name_en": name_en,
                "description_de": text_de,
                "description_en": text_en,
                "order": order,
            },
        )
    return sectors


def _account(demo, username, full_name, email, **extra):
    from django.contrib.auth import get_user_model

    first, _, last = full_name.rpartition(" ")
    return get_user_model().objects.create_user(
        username=username,
        email=email,
        password=demo.password,
        first_name=first,
        last_name=last,
        **extra,
    )


def _network(demo, sectors):
    from humaine.core.models import Hub

    from .models import Membership, Organisation, Person

    hub_org = Organisation.objects.create(
        name=Hub.current().name, kind=Organisation.Kind.HUB, city="Bochum"
    )
    organisations = [
        Organisation.objects.create(
            name=name, kind=kind, sector=sectors.get(sector), size_band=size, city=city
        )
        for name, kind, sector, size, city in ORGANISATIONS
    ]
    users = {}
    for username, name, role, email in STAFF:
        admin = role == "admin"
        users[username] = _account(demo, username, name, email, is_staff=admin, is_superuser=admin)
        Membership.objects.create(user=users[username], organisation=hub_org, role=role)
        Person.objects.create(name=name, email=email, organisation=hub_org, user=users[username])
    for username, name, org_index, email in MEMBERS:
        users[username] = _account(demo, username, name, email)
        Membership.objects.create(user=users[username], organisation=organisations[org_index])
    return organisations, users


def _experts(demo, organisations, sectors, users):
    from .models import Expert, Person

    experts = []
    for name, employer, disciplines, sector_slugs, languages, capacity, topics, methods in EXPERTS:
        email = name.split()[-1].lower().replace("ö", "oe") + "@network.example"
        person = Person.objects.create(name=name, email=email, organisation=organisations[employer])
        expert = Expert.objects.create(
            person=person,
            disciplines=disciplines,
            topics=topics,
            methods=methods,
            languages=languages,
            capacity_hours=capacity,
        )
        expert.sectors.set([sectors[s] for s in sector_slugs])
        experts.append(expert)
    for username, index in EXPERT_ACCOUNTS:
        person = experts[index].person
        users[username] = _account(demo, username, person.name, person.email)
        person.user = users[username]
        person.save(update_fields=["user"])
    return experts


# The path of each status from "new", as the triage queue would take it.
STATUS_PATHS = {
    "new": [],
    "triage": [],
    "matched": ["matched"],
    "scenario": ["matched", "scenario"],
    "declined": ["declined"],
    "closed": ["closed"],
}


def _inquiries(demo, organisations, sectors, users):
    from datetime import timedelta

    from . import services
    from .models import Inquiry, Person

    inquiries = []
    for number, row in enumerate(INQUIRIES):
        (org_index, sector, size, contact_name, email, language, status, assignee, council,
         employees, process, problem, data) = row  # fmt: skip
        received = demo.now - timedelta(days=3 * (len(INQUIRIES) - number), hours=number)
        organisation = organisations[org_index] if org_index is not None else None
        name = organisation.name if organisation else email.split("@")[1].split(".")[0].title()
        submitted = services.submit_inquiry(
            {
                "organisation": name,
                "sector": sectors[sector],
                "size_band": size,
                "contact_name": contact_name,
                "email": email,
                "phone": "",
                "work_process": process,
                "problem": problem,
                "data_available": data,
                "employees_affected": employees,
                "works_council": council,
                "language": language,
            },
            organisation=organisation,
            notify=False,
        )
        inquiry = submitted.inquiry
        # Received in the past: the queue and the figures show a hub that has been at work.
        Inquiry.objects.filter(pk=inquiry.pk).update(
            created_at=received,
            consent_at=received,
            reference=f"HM-{received:%Y}-{inquiry.pk:05d}",
        )
        Person.objects.filter(pk=inquiry.contact_id).update(created_at=received)
        inquiry.refresh_from_db()
        if assignee:
            staff_user = users[assignee]
            services.assign_inquiry(inquiry, staff_user, actor=staff_user, notify=False)
            german = language == "de"
            services.add_note(
                inquiry,
                "Erstgespräch vereinbart." if german else "First call scheduled.",
                actor=staff_user,
            )
            services.send_message(
                inquiry,
                "Vielen Dank für Ihre Anfrage. Wir melden uns in dieser Woche für ein Erstgespräch."
                if german
                else "Thank you for your inquiry. We will contact you this week.",
                actor=staff_user,
                notify=False,
            )
            for step in STATUS_PATHS[status]:
                inquiry = services.change_status(inquiry, step, actor=staff_user, notify=False)
        inquiries.append(inquiry)
    return inquiries
