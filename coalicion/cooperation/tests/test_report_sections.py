"""The accountability report carries cooperation's figures: instruments per
stage, alliances and joint actions, good practices and replications — the
same numbers the registries' selectors give, drafts counted but not named."""

import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import translation

from coalicion.composition import demo
from coalicion.cooperation import selectors
from coalicion.core import report_sections


def test_the_report_sections_match_the_selectors(plan, tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CREDENTIALS_FILE", tmp_path / ".demo-credentials")
    call_command("setup_demo")
    as_of = datetime.date.today()
    with translation.override("en"):
        shown = {
            section.key: data
            for section, data in report_sections.contributed(
                "accountability", as_of=as_of, start=datetime.date(2018, 1, 1), end=as_of, lang="en"
            )
        }
    stages = selectors.instruments_by_stage(as_of=as_of, user=AnonymousUser())
    counted = sum(sum(kind["counts"].values()) for kind in stages["types"])
    first = shown["instruments"]["tables"][0]
    assert sum(sum(row[1:]) for row in first["rows"]) == counted
    named = sum(len(kind["instruments"]) for kind in stages["types"])
    assert len(shown["instruments"]["tables"][1]["rows"]) == named < counted

    alliances = selectors.alliances_summary(as_of=as_of, user=None)
    rows = dict(shown["alliances"]["tables"][0]["rows"])
    assert rows["Alliances formed"] == alliances["alliances"]
    assert rows["Joint actions"] == alliances["joint_actions"]

    practices = selectors.practices_summary(as_of=as_of, user=None)
    given = sum(row[1] for row in shown["practices"]["tables"][0]["rows"])
    assert given == practices["practices"]
