MAX_QUERIES = 10


def test_the_glossary_lists_every_term(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/es/legal/glossary/").content.decode()
    for term in plan.glossary.all():
        assert term.term in html


def test_the_glossary_search_ignores_accents_and_case(client, plan):
    html = client.get("/es/legal/glossary/", {"q": "VICTIMA"}).content.decode()
    assert 'id="victimas"' in html
    assert 'id="deteccion"' in html  # "víctima" in its definition
    assert 'id="migrante"' not in html
    assert "4 términos coinciden" in html


def test_the_glossary_search_works_in_english(client, plan):
    html = client.get("/en/legal/glossary/", {"q": "smuggling"}).content.decode()
    assert "Smuggling of migrants" in html or "smuggling of migrants" in html.lower()


def test_an_htmx_search_gets_only_the_results(client, plan):
    response = client.get(
        "/es/legal/glossary/", {"q": "repatriación"}, headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Repatriación" in html


def test_a_search_with_no_match_says_so(client, plan):
    html = client.get("/en/legal/glossary/", {"q": "zzzz"}).content.decode()
    assert "0 terms match" in html


def test_the_legal_framework_is_a_country_by_instrument_matrix(
    client, plan, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/es/legal/instruments/").content.decode()
    assert "Convenio 105 relativo a la Abolición del Trabajo Forzoso" in html
    assert "Convención de Belem do Pará" in html or "Belem do Pará" in html
    assert "Declaración Conjunta" in html
    html = client.get("/en/legal/instruments/").content.decode()
    assert "Regional agreements" in html


def test_mexicos_adhesion_mark_is_shown_on_its_deposit_not_its_ratification(client, plan):
    html = client.get("/es/legal/instruments/").content.decode()
    row = html[html.index('id="oas-achr"') :]
    row = row[: row.index("</tr>")]
    cells = row.split("<td>")[1:]
    marked = [cell for cell in cells if "(a)" in cell]
    assert len(marked) == 1  # Mexico's only
    ratification, deposit = marked[0].split("<small>")
    assert "(a)" not in ratification
    assert "(a)" in deposit and "1981" in deposit
