from coalicion.core.demo import demo_email
from coalicion.statistics import demo, selectors
from coalicion.statistics.models import Batch, Release
from coalicion.statistics.selectors import HIDDEN, Query


def test_demo_data_is_imported_once_and_shows_hidden_cells(
    db, monkeypatch, django_capture_on_commit_callbacks, make_user
):
    secretariat = make_user(demo_email("secretariat"))
    # A smaller region than the demo's, so that the test stays fast.
    monkeypatch.setattr(demo, "SIZES", {"MX": 60, "GT": 40, "BZ": 6})
    monkeypatch.setattr(demo, "YEARS", (2024,))
    with django_capture_on_commit_callbacks(execute=True):
        demo.create_demo_data()
    assert set(Batch.objects.values_list("measure", "country__code")) == {
        (measure, code)
        for measure in ("tip_victims_detected", "tip_convicted")
        for code in ("MX", "GT", "BZ")
    }
    assert Release.objects.filter(is_current=True).count() == 2
    pivot = selectors.explore(
        viewer=selectors.PUBLIC,
        query=Query("tip_victims_detected", "country", "sex", {"year": "2024"}),
    )
    assert HIDDEN in pivot.states()
    assert Batch.objects.first().upload.uploaded_by == secretariat  # the demo Secretariat
    with django_capture_on_commit_callbacks(execute=True):
        demo.create_demo_data()
    assert Batch.objects.count() == 6
