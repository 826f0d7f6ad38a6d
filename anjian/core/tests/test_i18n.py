"""Chinese first: the zh_Hans catalogue is complete, up to date and compiled; English stays selectable."""

from __future__ import annotations

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert po.percent_translated() == 100


def test_the_catalogue_holds_every_string_of_the_sources(tmp_path, monkeypatch):
    """makemessages over the sources adds nothing that the committed catalogue lacks."""
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext (GNU gettext) is needed to check the catalogue; install the gettext package")
    # makemessages writes into ./locale of the working directory: work on a copy of the sources.
    for name in ("anjian", "config", "templates", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)
    fresh = polib.pofile(str(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(PO))}
    missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
    assert missing == [], "run `make messages` and translate: " + "; ".join(missing[:20])


def test_the_compiled_catalogue_is_current():
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr for e in mo}
    for entry in polib.pofile(str(PO)):
        if entry.msgid_plural:
            continue
        assert compiled.get((entry.msgctxt, entry.msgid)) == entry.msgstr, f"recompile: {entry.msgid}"


def test_roles_and_kinds_speak_chinese_and_english():
    from anjian.accounts.choices import Role

    with translation.override("zh-hans"):
        assert str(Role.STREET_OFFICER.label) == "街镇（园区）监管人员"
        assert str(Role.AUDIT_ADMIN.label) == "审计管理员"
    with translation.override("en"):
        assert str(Role.AUDIT_ADMIN.label) == "Audit administrator"


@pytest.mark.django_db
def test_the_language_switch_turns_the_interface_english(client, cast):
    client.force_login(cast.street_officer)
    assert "退出登录" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log out" in client.get("/").content.decode()
