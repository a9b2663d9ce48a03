"""The plan file's loader calls the parts the apps contribute
(`coalicion.core.planfile`, ADR 12)."""

import pytest

from coalicion.composition.planfile import parts, read_plan_file
from coalicion.core.planfile import PlanFileError
from conftest import MINI_PLAN


def test_each_app_reads_its_own_sections_in_the_order_of_the_apps():
    owners = {part.__name__: part.SECTIONS for part in parts()}
    assert owners == {
        "coalicion.membership.planfile": ("countries", "national_bodies", "organs"),
        "coalicion.plans.planfile": ("plan", "committees", "axes", "poas"),
        "coalicion.legal.planfile": ("glossary", "legal_framework"),
    }


def test_a_section_no_app_owns_is_refused_by_name(tmp_path):
    path = tmp_path / "extra.yaml"
    path.write_text(MINI_PLAN.read_text(encoding="utf-8") + "\nstatistics: []\n")
    with pytest.raises(PlanFileError) as error:
        read_plan_file(path)
    assert error.value.problems == ["statistics: unknown section"]


def test_the_legal_frameworks_notes_join_the_plans_notes_on_the_data(plan):
    where = [note["where_en"] for note in plan.data_notes]
    assert "Legal framework: tables A and B" in where
    assert where.index("Legal framework: tables A and B") > 0  # after the file's own notes
