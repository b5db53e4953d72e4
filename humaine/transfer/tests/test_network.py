"""The network: a public directory with filters; each member edits only its own profile."""

from humaine.tests import factories as f
from humaine.transfer.models import NetworkMember
from humaine.transfer.tests.factories import make_member


def test_directory_lists_current_listed_members_with_filters(cast, client):
    acme = make_member(cast.acme, offers_de="Schadendaten für Piloten")
    research = make_member(
        f.make_organisation("Institut Ruhr", kind="research"), kind="partner",
        offers_de="Befragungen",
    )  # fmt: skip
    hidden = make_member(cast.globex, listed=False)
    gone = make_member(offers_de="Ehemalig")
    gone.left_at = gone.member_since
    gone.save()
    page = client.get("/network/").content.decode()
    assert "Acme Versicherung AG" in page and "Institut Ruhr" in page
    assert "Globex" not in page and "Ehemalig" not in page
    assert "Institut Ruhr" not in client.get("/network/?kind=member").content.decode()
    assert "Acme" not in client.get("/network/?organisation_kind=research").content.decode()
    assert "Acme" in client.get("/network/?sector=insurance").content.decode()
    assert "Institut Ruhr" not in client.get("/network/?q=Schadendaten").content.decode()
    assert client.get(f"/network/{hidden.pk}/").status_code == 404
    assert client.get(f"/network/{research.pk}/").status_code == 200
    assert client.get("/network/?kind=nonsense").status_code == 200
    assert acme


def test_a_member_edits_its_own_profile_and_no_other(cast, client):
    own = make_member(cast.acme)
    other = make_member(cast.globex)
    client.force_login(cast.member)
    assert client.get("/network/profile/").url == f"/network/{own.pk}/edit/"
    response = client.post(
        f"/network/{own.pk}/edit/",
        {"offers_de": "Neue Angebote", "seeks_de": "Partner", "listed": "on",
         "kind": "partner"},
    )  # fmt: skip
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.offers_de == "Neue Angebote"
    assert own.kind == NetworkMember.Kind.MEMBER  # only staff change the kind
    assert client.get(f"/network/{other.pk}/edit/").status_code == 404
    assert client.post(f"/network/{other.pk}/edit/", {"offers_de": "X"}).status_code == 404
    client.force_login(cast.other_member)
    assert client.get(f"/network/{own.pk}/edit/").status_code == 404


def test_staff_add_an_organisation_and_end_a_membership(cast, client):
    client.force_login(cast.staff)
    response = client.post(
        "/network/new/",
        {"organisation": cast.acme.pk, "kind": "member", "member_since": "2024-03-01",
         "listed": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    member = NetworkMember.objects.get(organisation=cast.acme)
    again = client.post("/network/new/", {"organisation": cast.acme.pk, "kind": "member",
                                          "member_since": "2024-03-01"})  # fmt: skip
    assert again.status_code == 400
    client.post(f"/network/{member.pk}/leave/")
    member.refresh_from_db()
    assert member.left_at is not None
    client.force_login(cast.member)
    assert client.get("/network/new/").status_code == 403
