"""While demo data exist, every page says so; a clean database shows no notice."""

import pytest
from django.core.management import call_command

from coalicion.composition import demo
from coalicion.composition.context_processors import demo_data_loaded, forget_demo_data
from coalicion.composition.models import DemoData

NOTICE_ES = "Datos de demostración"
NOTICE_EN = "Demo data"


@pytest.fixture
def demo_loaded(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    call_command("setup_demo")
    yield
    forget_demo_data()  # the database goes back to its clean state


def test_a_clean_database_shows_no_demo_notice(client, plan):
    forget_demo_data()
    assert not DemoData.objects.exists()
    for path in ("/es/", "/es/legal/instruments/", "/en/"):
        html = client.get(path).content.decode()
        assert "demo-notice" not in html
        assert NOTICE_ES not in html


def test_every_page_says_demo_data_after_the_demo_is_loaded(client, demo_loaded):
    assert DemoData.objects.count() == 1
    for path in ("/es/", "/es/legal/instruments/", "/es/accounts/login/"):
        html = client.get(path).content.decode()
        assert 'class="demo-notice"' in html
        assert NOTICE_ES in html
    html = client.get("/en/").content.decode()
    assert NOTICE_EN in html and NOTICE_ES not in html


def test_loading_the_demo_twice_keeps_one_flag(demo_loaded, tmp_path):
    demo.set_up_demo()
    assert DemoData.objects.count() == 1


def test_the_flag_is_read_from_the_database_at_most_once_a_minute(plan, django_assert_num_queries):
    forget_demo_data()
    with django_assert_num_queries(1):
        assert demo_data_loaded() is False
        assert demo_data_loaded() is False
