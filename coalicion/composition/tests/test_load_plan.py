"""Loading plan files: the Coalition's own plan, an invented one, and bad files."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from coalicion.composition.planfile import load_plan, read_plan_file
from coalicion.core.planfile import PlanFileError
from coalicion.legal.models import GlossaryTerm, Instrument
from coalicion.membership.models import Country, NationalBody, Organ
from coalicion.plans.models import (
    Activity,
    Axis,
    Indicator,
    OperationalObjective,
    Plan,
    Responsible,
    Result,
    StrategicObjective,
)
from conftest import MINI_PLAN


def write_variant(tmp_path, change) -> Path:
    """A copy of the mini plan with `change(data)` applied."""
    data = yaml.safe_load(MINI_PLAN.read_text())
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    return path


def snapshot() -> dict:
    """Counts of every table the loader writes, with the mini plan's texts."""
    return {
        "plans": list(Plan.objects.values_list("code", "vision")),
        "axes": Axis.objects.count(),
        "objectives": StrategicObjective.objects.count(),
        "results": Result.objects.count(),
        "indicators": Indicator.objects.count(),
        "operational": OperationalObjective.objects.count(),
        "activities": Activity.objects.count(),
        "countries": Country.objects.count(),
        "bodies": NationalBody.objects.count(),
        "glossary": GlossaryTerm.objects.count(),
    }


class TestTheCoalitionPlan:
    def test_it_has_the_structure_of_the_document(self, plan):
        axes = Axis.objects.filter(plan=plan)
        assert axes.count() == 4
        assert list(axes.values_list("code", flat=True)) == ["1", "2", "3", "4"]
        objectives = StrategicObjective.objects.filter(axis__plan=plan)
        assert list(objectives.values_list("code", flat=True)) == [
            "1",
            "2.1",
            "2.2",
            "3.1",
            "3.2",
            "4.1",
        ]
        assert Result.objects.filter(objective__axis__plan=plan).count() == 9
        assert set(Result.objects.values_list("target_year", flat=True)) == {2027}

    def test_it_has_every_indicator_of_section_vii(self, plan):
        # Section VII lists 12 indicators: 2 under result 1, one each under
        # results 2.1, 2.2, "2.1" (of objective 2.2), 3.1 and 3.2.1, two under
        # 4.1, one under 4.2 and two under 4.3.
        indicators = Indicator.objects.filter(result__objective__axis__plan=plan)
        assert list(indicators.values_list("code", flat=True)) == [
            "1a",
            "1b",
            "2.1",
            "2.2",
            "2.3",
            "3.1",
            "3.2.1",
            "4.1a",
            "4.1b",
            "4.2",
            "4.3a",
            "4.3b",
        ]
        assert indicators.get(code="1a").kind == Indicator.Kind.MILESTONE
        assert indicators.get(code="2.1").kind == Indicator.Kind.COUNT
        assert all(
            indicator.computation for indicator in indicators if indicator.source == "computed"
        )

    def test_the_result_mislabelled_in_the_document_keeps_its_label_and_gets_a_unique_code(
        self, plan
    ):
        result = Result.objects.get(objective__axis__plan=plan, objective__code="2.2")
        assert result.label == "Resultado 2.1"
        assert result.code == "2.3"
        assert any("2.2" in note["where"] and "2.3" in note["note"] for note in plan.data_notes)

    def test_it_has_the_philosophical_framework(self, plan):
        assert plan.vision.startswith("Ser referente a nivel regional en la coordinación")
        assert plan.mission.startswith("Somos un espacio regional conformado por comisiones")
        assert plan.general_objective.startswith("Fortalecer las capacidades de la Coalición")
        kinds = {
            kind: plan.statements.filter(kind=kind) for kind in ("value", "principle", "approach")
        }
        assert list(kinds["value"].values_list("name", flat=True)) == [
            "Compromiso",
            "Ética",
            "Transparencia",
            "Responsabilidad",
            "Respeto",
            "Solidaridad",
        ]
        assert kinds["principle"].count() == 5
        assert kinds["approach"].count() == 4
        flexibility = kinds["principle"].get(name="Flexibilidad")
        assert "margen para los cambios" in flexibility.text
        assert all(statement.name_en and statement.text_en for statement in plan.statements.all())

    def test_it_has_the_poa_2018(self, plan):
        poa = plan.operating_plans.get(year=2018)
        codes = list(poa.objectives.values_list("code", flat=True))
        assert codes == [
            "1.1",
            "1.2",
            "2.1.1",
            "2.1.2",
            "2.1.3",
            "2.2.1",
            "3.1.1",
            "3.2.1",
            "4.1.1",
            "4.1.2",
            "4.1.3",
        ]
        assert poa.objectives.get(code="3.1.1").strategic_objective.code == "3.1"
        encounter = Activity.objects.get(objective__operating_plan=poa, objective__code="3.1.1")
        organs = set(encounter.responsibles.values_list("organ__code", flat=True))
        assert organs == {"presidency", "secretariat"}
        baseline = Activity.objects.filter(objective__operating_plan=poa, objective__code="1.1")
        assert "Línea Base" in baseline.get().statement
        assert baseline.get().responsibles.get().kind == Responsible.Kind.COMMITTEE

    def test_it_has_the_member_countries_and_their_bodies(self, plan):
        assert sorted(Country.objects.values_list("code", flat=True)) == sorted(
            ["BZ", "CR", "SV", "GT", "HN", "MX", "NI", "PA", "DO"]
        )
        described = NationalBody.objects.filter(described_in_plan=True)
        assert described.count() == 8
        assert not NationalBody.objects.get(country__code="BZ").described_in_plan
        conatt = NationalBody.objects.get(country__code="CR")
        assert conatt.acronym == "CONATT"
        assert conatt.member_institutions == 22
        assert conatt.covers_trafficking and conatt.covers_smuggling
        assert "9095" in conatt.legal_basis
        assert NationalBody.objects.get(country__code="GT").acronym == "CIT"
        assert NationalBody.objects.get(country__code="GT").member_institutions == 26
        assert NationalBody.objects.get(country__code="HN").acronym == "CICESCT"
        assert NationalBody.objects.get(country__code="SV").acronym == "CNCTP"

    def test_it_has_the_organs_and_their_functions(self, plan):
        assert Organ.objects.get(code="presidency").functions.count() == 13
        assert Organ.objects.get(code="secretariat").functions.count() == 14
        plenary = Organ.objects.get(code="plenary")
        assert plenary.functions.count() == 4
        quorum = Organ.objects.get(code="presidency").functions.get(order=11)
        assert quorum.text.startswith("Realizar verificación de quorum")

    def test_it_has_the_glossary_and_the_legal_framework(self, plan):
        terms = GlossaryTerm.objects.filter(plan=plan)
        assert terms.first().term == "Atención integral"
        assert terms.filter(term="Trata de Personas").exists()
        assert all(term.term_en and term.definition_en for term in terms)
        palermo = Instrument.objects.get(code="untoc-trafficking-protocol")
        assert palermo.ratifications.get(country__code="CR").date.isoformat() == "2003-09-09"


class TestLoading:
    def test_loading_the_same_file_twice_changes_nothing(self, plan):
        history_before = plan.history.count()
        report = load_plan(path=settings.COALICION_PLAN_FILE)
        assert not report.changed, (report.created, report.updated)
        assert plan.history.count() == history_before

    def test_another_coalition_loads_its_own_plan(self, db):
        report = load_plan(path=MINI_PLAN)
        mini = report.plan
        assert mini.code == "mini-2030"
        assert mini.axes.get().objectives.get().results.get().indicators.count() == 2
        decrease = Indicator.objects.get(code="A1.1b")
        assert decrease.direction == "decrease"
        assert decrease.baseline_value == 30
        activity = Activity.objects.get(code="A1.1-1")
        assert activity.weight == 1.5
        assert activity.start.isoformat() == "2026-02-01"
        kinds = sorted(activity.responsibles.values_list("kind", flat=True))
        assert kinds == ["committee", "national_body"]
        assert mini.milestone_stages.count() == 2
        assert not load_plan(path=MINI_PLAN).changed

    def test_a_changed_file_updates_the_plan_and_keeps_its_history(self, db, tmp_path):
        load_plan(path=MINI_PLAN)

        def new_vision(data):
            data["plan"]["vision"]["es"] = "Una visión nueva."

        report = load_plan(path=write_variant(tmp_path, new_vision))
        assert report.updated["strategic plans"] == 1
        mini = Plan.objects.get(code="mini-2030")
        assert mini.vision == "Una visión nueva."
        assert mini.history.first().prev_record.vision == "Una visión breve."

    @pytest.mark.parametrize(
        ("change", "expected"),
        [
            (
                lambda d: d["axes"][0]["strategic_objectives"][0]["results"][0]["indicators"][
                    0
                ].update(kind="ratio"),
                "indicators[1] (code A1.1a).kind: 'ratio' is not one of",
            ),
            (
                lambda d: d["poas"][0]["operational_objectives"][0]["activities"][0][
                    "responsibles"
                ][0].update(ref="nadie"),
                "responsibles[1].ref: 'nadie' is not a known committee",
            ),
            (
                lambda d: d["poas"][0]["operational_objectives"][0].update(
                    strategic_objective="Z9"
                ),
                "strategic_objective: 'Z9' is not a strategic objective of the plan",
            ),
            (lambda d: d["plan"].pop("vision"), "plan.vision: is missing"),
            (lambda d: d["countries"][0].update(code="ARG"), "'ARG' is not a valid code"),
            (lambda d: d.update(format=2), "format: 2 is not a supported format"),
            (
                lambda d: d["poas"][0]["operational_objectives"][0]["activities"][1].update(
                    code="A1.1-1"
                ),
                "the activity code 'A1.1-1' is used twice",
            ),
            (
                lambda d: d["poas"][0]["operational_objectives"][0]["activities"][0].update(
                    end="2026-01-01"
                ),
                "end: is before start",
            ),
            (
                lambda d: d["poas"][0]["operational_objectives"][0].update(weight=-1),
                "weight: -1 is out of range",
            ),
        ],
    )
    def test_a_malformed_file_is_refused_with_the_place_and_saves_nothing(
        self, db, tmp_path, change, expected
    ):
        load_plan(path=MINI_PLAN)
        before = snapshot()

        def break_it(data):
            data["plan"]["vision"]["es"] = "Esto no debe guardarse."
            change(data)

        path = write_variant(tmp_path, break_it)
        with pytest.raises(PlanFileError) as error:
            load_plan(path=path)
        assert str(path) in str(error.value)
        assert any(expected in problem for problem in error.value.problems), error.value.problems
        assert snapshot() == before

    def test_invalid_yaml_is_refused_with_its_line(self, tmp_path):
        path = tmp_path / "broken.yaml"
        path.write_text("format: 1\nplan:\n  code: [unclosed\n")
        with pytest.raises(PlanFileError) as error:
            read_plan_file(path)
        assert "line" in error.value.problems[0]
        assert "not valid YAML" in error.value.problems[0]

    def test_a_key_written_twice_is_refused(self, tmp_path):
        path = tmp_path / "twice.yaml"
        path.write_text("format: 1\nformat: 1\n")
        with pytest.raises(PlanFileError) as error:
            read_plan_file(path)
        assert "the key 'format' appears twice" in error.value.problems[0]
        assert "line 2" in error.value.problems[0]

    def test_a_missing_file_is_refused(self, tmp_path):
        with pytest.raises(PlanFileError, match="does not exist"):
            read_plan_file(tmp_path / "nowhere.yaml")

    def test_the_command_names_the_file_and_the_problem(self, db, tmp_path):
        path = write_variant(tmp_path, lambda d: d["plan"].update(period_end=1990))
        with pytest.raises(CommandError) as error:
            call_command("load_plan", str(path))
        message = str(error.value)
        assert "nothing was changed" in message
        assert str(path) in message
        assert "plan.period_end" in message
        assert not Plan.objects.filter(code="mini-2030").exists()

    def test_the_command_reports_what_it_did(self, db, capsys):
        call_command("load_plan", str(MINI_PLAN))
        assert "created: 1 strategic plans" in capsys.readouterr().out
        call_command("load_plan", str(MINI_PLAN))
        assert "nothing changed" in capsys.readouterr().out
