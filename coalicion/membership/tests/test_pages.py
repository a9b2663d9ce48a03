from coalicion.membership.models import Country, Organ, OrganTerm

MAX_QUERIES = 10


def test_the_member_list_shows_every_country_and_body(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/es/members/").content.decode()
    for name in ["Belice", "Costa Rica", "El Salvador", "Guatemala", "Honduras", "México"]:
        assert name in html
    for acronym in ["CONATT", "CIT", "CNCTP", "CICESCT"]:
        assert acronym in html


def test_a_country_page_shows_its_body_in_both_languages(client, plan):
    html = client.get("/es/members/GT/").content.decode()
    assert "Comisión Interinstitucional contra la Trata de Personas" in html
    assert "26" in html
    html = client.get("/en/members/gt/").content.decode()
    assert "Legal basis" in html
    assert "Number of member institutions" in html


def test_an_unknown_country_is_not_found(client, plan):
    assert client.get("/es/members/ZZ/").status_code == 404


def test_the_organs_page_lists_functions_and_todays_holder(
    client, plan, django_assert_max_num_queries
):
    OrganTerm.objects.create(
        organ=Organ.objects.get(code="secretariat"),
        country=Country.objects.get(code="PA"),
        start="2020-01-01",
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/es/members/organs/").content.decode()
    assert "Pleno" in html and "Presidencia" in html and "Secretaría Técnica" in html
    assert "Realizar el conteo y reconteo de votos" in html
    assert "Panamá" in html
    html = client.get("/en/members/organs/").content.decode()
    assert "Technical Secretariat" in html
    assert "Functions" in html
