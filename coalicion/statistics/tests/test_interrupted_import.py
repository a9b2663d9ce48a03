"""An import interrupted in the middle (an error while its rows are being
saved) leaves no row and no batch: the figures are those of before."""

import pytest
from django.utils import translation

from coalicion.statistics import actions, imports
from coalicion.statistics.models import Batch, Record, Upload
from coalicion.statistics.tests.conftest import victim


@pytest.fixture
def breaks_on_row(monkeypatch):
    """breaks_on_row(n): while the rows are saved (the second reading of
    the file), reading row n raises, as a lost connection or a killed
    worker would; rows are saved in chunks of 3, so some already are."""

    def install(n):
        monkeypatch.setattr(actions, "CHUNK", 3)
        real_rows = imports.rows
        readings = []

        def rows(handle, file_format, **kwargs):
            readings.append(1)
            for item in real_rows(handle, file_format, **kwargs):
                if len(readings) == 2 and item[0] == n:
                    raise ConnectionError("the connection to the server was lost")
                yield item

        monkeypatch.setattr(imports, "rows", rows)
        return readings

    return install


def test_an_import_interrupted_while_saving_leaves_no_rows_and_no_batch(users, send, breaks_on_row):
    readings = breaks_on_row(9)
    # The job's error is kept by the job queue (the tests' queue runs it at once).
    with translation.override("en"):  # the sender's language
        send(users["focal_point"], [victim() for _ in range(12)] + [victim(year=2023)])

    assert len(readings) == 2  # it was saving
    assert not Batch.objects.exists()
    assert not Record.objects.exists()
    upload = Upload.objects.get()
    assert upload.status == Upload.Status.FAILED
    assert upload.errors == ["The file could not be imported because of an internal error."]
    assert not upload.file  # the file is not kept


def test_an_interrupted_import_leaves_the_earlier_figures_current(users, send, breaks_on_row):
    first = send(users["focal_point"], [victim() for _ in range(4)])
    assert first.status == Upload.Status.DONE
    breaks_on_row(9)
    send(users["focal_point"], [victim(sex="M") for _ in range(12)])

    batch = Batch.objects.get()
    assert (batch.upload_id, batch.status, batch.version) == (first.pk, "current", 1)
    assert Record.objects.count() == 4
    assert set(Record.objects.values_list("sex", flat=True)) == {"F"}
