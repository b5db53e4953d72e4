"""The demo hub's identity: a fictitious centre in Bochum (everything here is invented)."""

from .demo import Demo
from .models import Hub
from .services import save_hub

HUB = {
    "name": "HUMAINE Transferzentrum Ruhr",
    "short_name": "HUMAINE",
    "tagline_de": "Menschzentrierte KI für Industrie, Gesundheit und Versicherungen",
    "tagline_en": "Human-centred AI for industry, health care and insurance",
    "about_de": (
        "Wir sind das regionale Kompetenzzentrum für menschzentrierte Arbeit mit KI. "
        "Hochschule, Forschungsinstitute und Transferfachleute helfen Unternehmen, KI so "
        "einzuführen, dass sie die Menschen bei ihrer Arbeit unterstützt.\n\n"
        "Mit Anwendungsszenarien entwickeln KI-Fachleute und Praktikerinnen gemeinsam "
        "Lösungen für konkrete Fälle – mit den Beschäftigten und ihren Vertretungen."
    ),
    "about_en": (
        "We are the regional competence centre for human-centred work with AI. A university, "
        "research institutes and transfer specialists help companies introduce AI so that it "
        "supports the people who do the work.\n\n"
        "In application scenarios, AI specialists and practitioners build solutions for "
        "concrete cases together, with the employees and their representatives."
    ),
    "street": "Suttner-Nobel-Allee 7",
    "postal_code": "44803",
    "city": "Bochum",
    "country": "Deutschland",
    "email": "kontakt@humaine.example",
    "phone": "+49 234 000000",
    "website": "https://humaine.example",
    "imprint_de": (
        "Angaben gemäß § 5 DDG\n\nHUMAINE Transferzentrum Ruhr (Demo)\nSuttner-Nobel-Allee 7\n"
        "44803 Bochum\n\nVertreten durch: Prof. Dr. Beispiel (Sprecherin)\n"
        "Kontakt: kontakt@humaine.example, +49 234 000000\n\n"
        "Inhaltlich verantwortlich nach § 18 Abs. 2 MStV: Prof. Dr. Beispiel, "
        "Anschrift wie oben.\n\n"
        "Dies ist eine Demo-Installation; alle Angaben sind erfunden."
    ),
    "imprint_en": (
        "Information according to § 5 DDG (German Digital Services Act)\n\n"
        "HUMAINE Transferzentrum Ruhr (demo)\nSuttner-Nobel-Allee 7\n44803 Bochum, Germany\n\n"
        "Represented by: Prof. Dr. Beispiel (speaker)\nContact: kontakt@humaine.example\n\n"
        "This is a demo installation; all details are invented."
    ),
    "privacy_de": (
        "Verantwortlicher: HUMAINE Transferzentrum Ruhr (Demo), Anschrift siehe Impressum.\n\n"
        "Wir verarbeiten personenbezogene Daten nur, soweit dies zur Bereitstellung dieser "
        "Website und zur Bearbeitung Ihrer Anfragen erforderlich ist (Art. 6 Abs. 1 lit. a, b "
        "und f DSGVO). Server-Protokolle werden nach 7 Tagen gelöscht. Es werden keine "
        "Tracking-Dienste und keine Inhalte Dritter eingebunden.\n\n"
        "Sie haben das Recht auf Auskunft (Art. 15), Berichtigung (Art. 16), Löschung "
        "(Art. 17), Einschränkung (Art. 18), Datenübertragbarkeit (Art. 20) und Widerspruch "
        "(Art. 21 DSGVO) sowie das Recht auf Beschwerde bei einer Aufsichtsbehörde, in NRW "
        "bei der LDI NRW."
    ),
    "privacy_en": (
        "Controller: HUMAINE Transferzentrum Ruhr (demo), address see legal notice.\n\n"
        "We process personal data only as far as needed to provide this website and to handle "
        "your inquiries (Art. 6(1)(a), (b) and (f) GDPR). Server logs are deleted after 7 days. "
        "No tracking services and no third-party content are used.\n\n"
        "You have the right of access (Art. 15), rectification (Art. 16), erasure (Art. 17), "
        "restriction (Art. 18), data portability (Art. 20) and to object (Art. 21 GDPR), and "
        "the right to lodge a complaint with a supervisory authority."
    ),
    "inquiry_privacy_de": (
        "Wenn Sie uns eine Anfrage senden, speichern wir Ihre Angaben (Organisation, Name, "
        "E-Mail, optional Telefon und die Beschreibung Ihres Falls), um Ihre Anfrage zu "
        "bearbeiten und Ihnen zu antworten (Art. 6 Abs. 1 lit. a und b DSGVO). Zugriff haben "
        "nur die Transferfachleute des Zentrums und die Expertinnen und Experten, die wir mit "
        "Ihrer Zustimmung in Ihr Team holen. Sie können Ihre Einwilligung jederzeit "
        "widerrufen und Auskunft oder Löschung verlangen; schreiben Sie uns dazu über die "
        "Statusseite Ihrer Anfrage oder per E-Mail. Anfragen ohne weiteren Kontakt löschen "
        "wir nach drei Jahren."
    ),
    "inquiry_privacy_en": (
        "When you send us an inquiry, we store your details (organisation, name, email, "
        "optionally phone, and the description of your case) to handle your inquiry and answer "
        "you (Art. 6(1)(a) and (b) GDPR). Only the centre's transfer specialists and the experts "
        "we bring into your team with your consent have access. You can withdraw your consent "
        "at any time and ask for access or erasure: write to us on your inquiry's status page "
        "or by email. Inquiries without further contact are deleted after three years."
    ),
}


def load(demo: Demo) -> None:
    hub = Hub.objects.order_by("pk").first() or Hub()
    for name, value in HUB.items():
        setattr(hub, name, value)
    save_hub(hub, actor=None, actor_name="demo data")
