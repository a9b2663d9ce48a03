"""The language is in the URL; '/' sends the visitor to theirs."""


def test_root_sends_a_visitor_to_spanish_by_default(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/es/"


def test_root_sends_a_visitor_who_prefers_english_to_english(client, db):
    response = client.get("/", headers={"accept-language": "en-GB,en;q=0.9"})
    assert response["Location"] == "/en/"


def test_root_keeps_spanish_for_a_browser_that_prefers_another_language(client, db):
    response = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"})
    assert response["Location"] == "/es/"


def test_every_page_links_to_itself_in_the_other_language(client, plan):
    html = client.get(f"/es/plans/{plan.code}/axes/2/").content.decode()
    assert f'href="/en/plans/{plan.code}/axes/2/" hreflang="en"' in html
    html = client.get(f"/en/plans/{plan.code}/axes/2/").content.decode()
    assert f'href="/es/plans/{plan.code}/axes/2/" hreflang="es"' in html


def test_the_interface_is_translated(client, plan):
    assert "Países miembros" in client.get("/es/").content.decode()
    assert "Member countries" in client.get("/en/").content.decode()


def test_dates_follow_the_language(client, plan):
    from coalicion.membership.models import Country, Organ, OrganTerm

    OrganTerm.objects.create(
        organ=Organ.objects.get(code="presidency"),
        country=Country.objects.get(code="CR"),
        start="2026-07-01",
    )
    assert "1 de julio de 2026" in client.get("/es/members/CR/").content.decode()
    assert "1 July 2026" in client.get("/en/members/CR/").content.decode()
