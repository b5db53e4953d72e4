"""The detector of :mod:`humaine.tests.german`: it finds internal names and English on a
German page, and keeps quiet on German prose, code, attributes and marked other languages."""

import pytest

from humaine.tests.german import findings


def _page(body: str) -> str:
    return f'<!doctype html><html lang="de"><body><main>{body}</main></body></html>'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p>Annahme: processes_personal_data = True</p>", "snake_case 'processes_personal_data'"),
        ("<p>Annahme: processes_personal_data = True</p>", "English 'True'"),
        ("<li>anonym · inquiry.submitted</li>", "audit action 'inquiry.submitted'"),
        ("<li>Tobias · check.answers_submitted</li>", "audit action 'check.answers_submitted'"),
        ("<p>Frage (P-SECTOR) offen</p>", "catalogue key 'P-SECTOR'"),
        ("<td>Ready</td>", "English 'Ready'"),
        ("<td>Successful</td>", "English 'Successful'"),
        ("<p>Hochrisiko nach Annex III point 4(a)</p>", "English 'Annex'"),
        ("<p>Maschinen (machinery)</p>", "English 'machinery'"),
        ("<p>Status: new → triage</p>", "English 'new'"),
        ("<li>Betriebsrat: conditions, Führungskraft: agree</li>", "English 'conditions'"),
        ('<p><span class="x">Betriebsrat</span> (works_council)</p>', "'works_council'"),
        ('<p lang="de">Thank you for your inquiry.</p>', "English 'you'"),
    ],
)
def test_internal_names_and_english_are_found(body, expected):
    assert any(expected in item for item in findings(_page(body))), findings(_page(body))


@pytest.mark.parametrize(
    "body",
    [
        "<p>Die KI schlägt eine Entscheidung vor; ein Mensch bestätigt oder ändert jeden Fall.</p>",
        "<p>Art. 6 Abs. 3 KI-VO, § 87 Abs. 1 Nr. 6 BetrVG, Anhang III Nr. 4 Buchst. a</p>",
        "<p>Was tut die KI? Wer hat das Team, den Status, den Check und das Monitoring?</p>",
        "<p>Die Person und die Organisation haben ein Login, einen Account und ein Event.</p>",
        "<p>Minimales Risiko; Medium; Filter; Download; Upload; Evaluation; Profile</p>",
        "<p>Schreiben Sie an info@humaine.example.de oder https://humaine.de/check_list</p>",
        "<p>Siehe docs/scenarios.md und var/private_files/a.txt</p>",
        "<p>Parameter <code>processes_personal_data</code>, <kbd>inquiry.submitted</kbd></p>",
        "<pre>status: new → triage\nthe end</pre>",
        '<input name="works_council" value="the_value" placeholder="inquiry.submitted">',
        '<a href="/api/v1/the_docs" title="works_council">Zur Dokumentation</a>',
        '<p lang="en">Thank you for your inquiry. We will contact you this week.</p>',
        '<p>Abmelden (<span translate="no">staff</span>)</p>',
        "<script>var the_value = 'inquiry.submitted';</script><style>.the_class{}</style>",
        "<textarea>What the user typed, with snake_case</textarea>",
        "<p>Z. B., d. h., u. a., usw. – 3,5 Stunden je Monat</p>",
    ],
)
def test_german_text_code_attributes_and_marked_languages_pass(body):
    assert findings(_page(body)) == []
