"""Hostile workbooks (an XML bomb, an external entity, a sheet that breaks after its first rows) are refused as
"not a valid workbook" with nothing written: by the service, the upload page and the command, for places and
accidents alike (they share the reader). The hostile part sits far down the sheet, past the first block the
reader parses, where openpyxl meets it only while the rows are being checked."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from anjian.accidents.models import Accident
from anjian.accidents.tests import test_import as accident_files
from anjian.core.models import Job, JobFailure, JobStatus
from anjian.registry.models import Enterprise, Site
from anjian.registry.tests import test_import as place_files

pytestmark = pytest.mark.django_db

NOT_A_WORKBOOK = "该文件不是有效的 Excel 工作簿（.xlsx）。"
ROWS = 120  # about 60 KB of sheet XML: the hostile cell is far past the reader's first 16 KB block
SHEET = "xl/worksheets/sheet1.xml"

# Ten levels of ten: expanded, "&lol9;" would be 10^9 characters (a gigabyte from a few hundred bytes).
BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def hostile(valid: bytes, *, doctype: str = "", late_cell: str = "", cut_after_row: int | None = None) -> bytes:
    """The valid workbook with its sheet rewritten: a DOCTYPE before the root element, the first cell of the
    last row replaced by ``late_cell`` (an entity reference), or the sheet cut off after a row."""
    source = zipfile.ZipFile(io.BytesIO(valid))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == SHEET:
                xml = data.decode()
                if doctype:
                    # openpyxl writes no XML declaration: the DOCTYPE opens the part.
                    xml = doctype + xml
                if late_cell:
                    last = ROWS + 1
                    xml, replaced = re.subn(
                        rf'<c r="A{last}"[^>]*>.*?</c>',
                        f'<c r="A{last}" t="inlineStr"><is><t>{late_cell}</t></is></c>',
                        xml,
                        count=1,
                    )
                    assert replaced == 1
                if cut_after_row is not None:
                    xml = xml[: xml.index(f'<row r="{cut_after_row + 1}"')] + '<row r="x"><c><v>'
                data = xml.encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def place_workbook() -> bytes:
    return place_files.xlsx([place_files.row(场所名称=f"仓库{n}") for n in range(ROWS)])


def accident_workbook() -> bytes:
    times = [f"2025-03-04 {n // 60:02d}:{n % 60:02d}" for n in range(ROWS)]
    return accident_files.xlsx([accident_files.row(发生时间=at, 报告时间=at) for at in times])


CASES = {
    "billion_laughs": {"doctype": BILLION_LAUGHS, "late_cell": "&lol9;"},
    "external_entity": {"doctype": EXTERNAL_ENTITY, "late_cell": "&secret;"},
    "broken_after_many_rows": {"cut_after_row": ROWS - 5},
}


def test_the_crafted_files_are_otherwise_valid(cast):
    """The fixtures are sound: without the hostile part each file imports."""
    assert place_files.run(cast, hostile(place_workbook())).ok
    assert accident_files.run(cast, hostile(accident_workbook())).created == ROWS


@pytest.mark.parametrize("case", CASES)
def test_the_place_import_refuses_a_hostile_workbook_and_writes_nothing(cast, case):
    result = place_files.run(cast, hostile(place_workbook(), **CASES[case]))
    assert not result.ok
    assert [(e.row, e.code, e.reason) for e in result.errors if e.row is None] == [(None, "not_excel", NOT_A_WORKBOOK)]
    assert Site.objects.count() == 0 and Enterprise.objects.count() == 0


@pytest.mark.parametrize("case", CASES)
def test_the_accident_import_refuses_a_hostile_workbook_and_writes_nothing(cast, case):
    result = accident_files.run(cast, hostile(accident_workbook(), **CASES[case]))
    assert not result.ok
    assert [(e.row, e.code, e.reason) for e in result.errors if e.row is None] == [(None, "not_excel", NOT_A_WORKBOOK)]
    assert Accident.objects.count() == 0


def _upload(client, namespace: str, data: bytes):
    upload = io.BytesIO(data)
    upload.name = "hostile.xlsx"
    return client.post(reverse(f"{namespace}:import_form"), {"file": upload})


@pytest.mark.parametrize("case", ["billion_laughs", "external_entity"])
@pytest.mark.parametrize(
    ("namespace", "workbook", "model"),
    [("registry", place_workbook, Site), ("accidents", accident_workbook, Accident)],
    ids=["places", "accidents"],
)
def test_the_upload_page_says_the_file_is_not_a_workbook(cast, client_for, case, namespace, workbook, model):
    client = client_for(cast.safety_officer)
    response = _upload(client, namespace, hostile(workbook(), **CASES[case]))
    job = Job.objects.get()
    assert response.status_code == 302
    # Refused input, not an unexpected failure: no "导入意外失败", no retry button, the reason on the page.
    assert job.status == JobStatus.FAILED and job.failure == JobFailure.INPUT and not job.can_retry
    page = client.get(response["Location"]).content.decode()
    assert NOT_A_WORKBOOK in page and "导入意外失败" not in page and "Traceback" not in page
    assert 'data-testid="job-retry"' not in page
    assert model.objects.count() == 0


@pytest.mark.parametrize("case", ["billion_laughs", "external_entity"])
@pytest.mark.parametrize(
    ("command", "workbook", "model"),
    [("import_sites", place_workbook, Site), ("import_accidents", accident_workbook, Accident)],
    ids=["places", "accidents"],
)
def test_the_command_says_the_file_is_not_a_workbook(cast, tmp_path, case, command, workbook, model):
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(hostile(workbook(), **CASES[case]))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(command, str(path), "--user", cast.safety_officer.username, stderr=errors)
    assert NOT_A_WORKBOOK in errors.getvalue() and "Traceback" not in errors.getvalue()
    assert model.objects.count() == 0


def test_openpyxl_parses_workbooks_with_defusedxml():
    """The dependency is installed and openpyxl uses it: entities in a workbook are refused, never expanded."""
    import openpyxl

    assert openpyxl.DEFUSEDXML is True
