"""One table says who is told of what: every kind has a rule for each of its audiences, the README shows the
table the code holds, every kind is sent by some service, and no app addresses users around the table."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from anjian.core import notification_rules as rules
from anjian.core import notifications
from anjian.core.tests.test_layers import ROOT, imports_of, module_name

README = ROOT.parent / "README.md"
START = "<!-- notification kinds: rendered from anjian/core/notification_rules.py -->"
END = "<!-- end of notification kinds -->"
# The sending API of core.notifications that addresses users or units directly: the mechanism's own.
DIRECT = {"Message", "send", "queue", "notify", "notify_units"}


def _app_sources():
    """(module, source) of every non-test module outside core."""
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if parts[0] == "core" or "tests" in parts or "migrations" in parts:
            continue
        yield module_name(path), path.read_text(encoding="utf-8")


def test_every_audience_of_every_kind_has_a_rule():
    assert rules.unresolved() == []


def test_the_readme_shows_the_table_the_code_holds():
    text = README.read_text(encoding="utf-8")
    assert START in text and END in text, "the README lost the markers of the notification table"
    shown = text.split(START, 1)[1].split(END, 1)[0].strip()
    assert shown == rules.readme_table(), (
        "The README's notification table differs from anjian/core/notification_rules.py; paste this between the "
        "markers:\n" + rules.readme_table()
    )


def test_every_kind_of_the_table_is_sent_by_some_module_and_none_outside_it():
    """A kind nobody sends is a promise the README breaks; a kind sent that the table lacks is refused at run
    time, and here before it runs."""
    constants: set[str] = set()
    sent: set[str] = set()
    for _module, source in _app_sources():
        tree = ast.parse(source)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name in {"tell", "message"} and isinstance(node.args[0].value, str):
                    sent.add(node.args[0].value)
    assert sorted(set(rules.KINDS) - constants) == []
    assert sorted(sent - set(rules.KINDS)) == []
    assert sent, "no module sends through notifications.tell or notifications.message"


def _direct_uses(module: str, source: str) -> list[str]:
    """Where a module imports or calls the sending API that takes recipients from the caller."""
    found = []
    aliases = set()
    for target, names, line in imports_of(source, module):
        if target == "anjian.core.notifications":
            found.extend(f"{module}:{line} imports {name}" for name in names if name in DIRECT)
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "anjian.core":
            aliases.update(a.asname or a.name for a in node.names if a.name == "notifications")
        elif isinstance(node, ast.Import):
            aliases.update(a.asname for a in node.names if a.name == "anjian.core.notifications" and a.asname)
    for node in ast.walk(tree):
        func = node.func if isinstance(node, ast.Call) else None
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id in aliases
            and func.attr in DIRECT
        ):
            found.append(f"{module}:{node.lineno} calls notifications.{func.attr}")
    return found


def test_no_app_addresses_users_around_the_table():
    """Apps send through ``tell`` and ``message`` (an outbox adds what ``message`` builds); ``Message``, ``send``,
    ``queue``, ``notify`` and ``notify_units`` take recipients from the caller and stay the mechanism's own."""
    assert [use for module, source in _app_sources() for use in _direct_uses(module, source)] == []


def test_the_check_of_direct_addressing_catches_it():
    source = (
        "from anjian.core import notifications as notify\n"
        "from anjian.core.notifications import send, tell\n"
        "notify.queue(notify.Message(about=x, kind='k', title='t', users=[1]))\n"
        "notify.tell('k', about=x, title='t')\n"
    )
    assert _direct_uses("anjian.x.y", source) == [
        "anjian.x.y:2 imports send",
        "anjian.x.y:3 calls notifications.queue",
        "anjian.x.y:3 calls notifications.Message",
    ]


def test_a_message_is_refused_for_an_unknown_kind_the_wrong_record_or_recipients_named_by_the_sender():
    from anjian.inspections.models import Hazard
    from anjian.registry.models import Site

    with pytest.raises(ImproperlyConfigured, match="Unknown notification kind"):
        notifications.message("inspections.no_such_kind", about=Hazard(pk=1), title="t")
    with pytest.raises(TypeError, match=r"inspections\.Hazard"):
        notifications.message("inspections.overdue", about=Site(pk=1), title="t")
    with pytest.raises(TypeError, match="names no units"):
        notifications.message("inspections.overdue", about=Hazard(pk=1), title="t", units=[1])


def test_a_kind_without_a_rule_for_its_audience_is_named():
    rules.KINDS["test.unruled"] = rules.Kind("test.unruled", "registry.Site", "never", (rules.Audience.CITY,))
    try:
        assert rules.unresolved(["test.unruled"]) == ["test.unruled: city of registry.Site"]
    finally:
        del rules.KINDS["test.unruled"]


def test_every_kind_names_a_model_that_exists():
    from django.apps import apps

    for entry in rules.KINDS.values():
        assert apps.get_model(entry.about) is not None
        assert Path(ROOT / entry.code.split(".")[0]).is_dir(), entry.code
