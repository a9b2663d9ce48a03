"""Spanish first, plain words (issue 12): what the interface says in Spanish."""

from django.urls import reverse
from django.utils import translation

from coalicion.meetings.models import Decision
from coalicion.monitoring import roundtrip
from coalicion.monitoring.formulas import ActivityStatus
from coalicion.monitoring.matrix import ACTIVITY_STATUS_LABELS


def test_file_names_are_in_the_persons_language(plan):
    from coalicion.monitoring.actions import create_quarterly_periods

    period = create_quarterly_periods(operating_plan=plan.operating_plans.get(year=2018))[3]
    with translation.override("es"):
        assert roundtrip.template_filename(period) == "informes-2018-T4.xlsx"
    with translation.override("en"):
        assert roundtrip.template_filename(period) == "reports-2018-Q4.xlsx"


def test_a_cancelled_activity_is_feminine_in_spanish():
    with translation.override("es"):
        assert str(ACTIVITY_STATUS_LABELS[ActivityStatus.CANCELLED]) == "Cancelada"


def test_majorities_are_said_in_words():
    with translation.override("es"):
        labels = [str(label) for _value, label in Decision.Majority.choices]
    assert "Mayoría de dos tercios (dos tercios de los votos emitidos)" in labels
    assert not any("≥" in label or ">" in label for label in labels)


def test_my_work_reads_in_spanish(client_as, users):
    with translation.override("es"):
        url = reverse("my_work")
    html = client_as("focal_point").get(url).content.decode()
    assert "Mi trabajo" in html and "Menú" in html and "Mi cuenta" in html
    assert "My work" not in html
