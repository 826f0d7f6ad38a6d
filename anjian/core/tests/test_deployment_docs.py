"""The README's deployment section tells the truth about the settings module.

Every environment variable ``config/settings.py`` reads is in the README's one settings
table and every variable in that table is read; the TLS proxy header the README tells
the proxy to set is the one Django trusts; the recipe's proxy waits longer than gunicorn.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SETTINGS = ROOT / "config" / "settings.py"
README = ROOT / "README.md"
TABLE_HEADER = ["variable", "default", "meaning"]


def _is_environ(node: ast.AST) -> bool:
    """``os.environ`` (or a bare ``environ`` imported from os)."""
    if isinstance(node, ast.Attribute):
        return node.attr == "environ" and isinstance(node.value, ast.Name) and node.value.id == "os"
    return isinstance(node, ast.Name) and node.id == "environ"


def _environ_key(node: ast.AST, helpers: set[str]) -> ast.AST | None:
    """The expression naming the variable, when ``node`` reads the environment; else None."""
    if isinstance(node, ast.Call):
        func = node.func
        first = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg in {"name", "key"}), None)
        if isinstance(func, ast.Attribute) and _is_environ(func.value) and func.attr in {"get", "setdefault", "pop"}:
            return first
        if isinstance(func, ast.Attribute) and func.attr == "getenv" and isinstance(func.value, ast.Name):
            return first if func.value.id == "os" else None
        if isinstance(func, ast.Name) and func.id in helpers | {"getenv"}:
            return first
    if isinstance(node, ast.Subscript) and _is_environ(node.value):
        return node.slice
    in_environ = isinstance(node, ast.Compare) and any(_is_environ(c) for c in node.comparators)
    if in_environ and any(isinstance(op, ast.In | ast.NotIn) for op in node.ops):
        return node.left
    return None


def variables_read(source: str) -> tuple[set[str], list[int]]:
    """The names of the environment variables a settings module reads, and the lines that read one by a
    computed name (allowed only inside the module's own env helpers such as ``env_bool``)."""
    tree = ast.parse(source)
    helpers = {
        fn.name
        for fn in tree.body
        if isinstance(fn, ast.FunctionDef) and any(_environ_key(n, set()) is not None for n in ast.walk(fn))
    }
    inside_helpers = {id(n) for fn in tree.body if getattr(fn, "name", None) in helpers for n in ast.walk(fn)}
    names: set[str] = set()
    computed: list[int] = []
    for node in ast.walk(tree):
        key = _environ_key(node, helpers)
        if key is None:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
        elif id(node) not in inside_helpers:
            computed.append(node.lineno)
    return names, computed


def _deployment_section(text: str) -> str:
    match = re.search(r"^## Deployment\b.*?(?=^## |\Z)", text, flags=re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Deployment' section"
    return match.group(0)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def settings_table(text: str) -> list[list[str]]:
    """The rows of the one `| variable | default | meaning |` table (header and rule excluded)."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("|") and _cells(line) == TABLE_HEADER]
    assert len(starts) == 1, f"expected one settings table in the Deployment section, found {len(starts)}"
    rows = []
    for line in lines[starts[0] + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(_cells(line))
    return rows


def documented_variables(text: str) -> set[str]:
    names: set[str] = set()
    for row in settings_table(text):
        names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", row[0]))
    return names


# --- the comparison itself --------------------------------------------------------------------


def test_every_variable_the_settings_read_is_documented_and_every_documented_one_is_read():
    read, computed = variables_read(SETTINGS.read_text(encoding="utf-8"))
    assert computed == [], f"config/settings.py reads a variable by a computed name on lines {computed}"
    documented = documented_variables(_deployment_section(README.read_text(encoding="utf-8")))
    assert sorted(read - documented) == [], "read by config/settings.py but missing from the README's settings table"
    assert sorted(documented - read) == [], "in the README's settings table but not read by config/settings.py"


def test_every_row_gives_a_default_and_a_meaning():
    for row in settings_table(_deployment_section(README.read_text(encoding="utf-8"))):
        assert len(row) == 3 and all(row), f"incomplete row: {row}"
        assert re.fullmatch(r"(`[A-Z][A-Z0-9_]*`(, )?)+", row[0]), f"one or more `NAME`s only: {row[0]}"


def test_the_reader_sees_every_way_of_reading_the_environment():
    source = """
import os
from os import environ

def env_bool(name, default=False):
    return os.environ.get(name) in {"1"}

def env_list(name, default=""):
    return os.environ.get(name, default).split(",")

A = os.environ.get("A")
B = os.environ["B"]
C = env_bool("C", True)
D = env_list(name="D")
os.environ.setdefault("E", "x")
F = os.getenv("F")
G = environ.get("G")
if "H" in os.environ:
    pass
I = os.environ.get(f"I_{A}")
"""
    names, computed = variables_read(source)
    assert names == {"A", "B", "C", "D", "E", "F", "G", "H"}
    assert computed == [20]


def test_the_table_parser_reads_one_table_only():
    text = "## Deployment\n\n| variable | default | meaning |\n| --- | --- | --- |\n| `X`, `Y` | `1` | m |\n\nafter\n"
    assert documented_variables(_deployment_section(text)) == {"X", "Y"}


# --- what the README says about the TLS proxy and gunicorn -------------------------------------


def _production(script: str, tmp_path: Path) -> subprocess.CompletedProcess:
    unset = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ANJIAN_TESTING", "DATABASE_URL", "CELERY_BROKER_URL"}
    env = {k: v for k, v in os.environ.items() if k not in unset and not k.startswith("SECURE_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY="x8#kQ2!vL9@pR4$wZ7^mN1&bT6*yH3(cF5)dJ0_gS-eA+uK=iO",
        ALLOWED_HOSTS="anjian.example.gov.cn",
        ANJIAN_VAR_DIR=str(tmp_path),
    )
    return subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
def probe(**headers):
    response = client.get("/healthz", HTTP_HOST="anjian.example.gov.cn", **headers)
    return [response.status_code, response.get("Location", ""), response.get("Strict-Transport-Security", "")]
print(json.dumps({
    "header": list(settings.SECURE_PROXY_SSL_HEADER),
    "plain": probe(),
    "forwarded_https": probe(HTTP_X_FORWARDED_PROTO="https"),
    "forwarded_http": probe(HTTP_X_FORWARDED_PROTO="http"),
}))
"""


def test_https_is_decided_by_the_x_forwarded_proto_header_the_readme_names(tmp_path):
    result = _production(PROBE, tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    # Without the proxy's word, the request is plain HTTP and is sent to HTTPS.
    assert seen["plain"][:2] == [301, "https://anjian.example.gov.cn/healthz"]
    assert seen["forwarded_http"][:2] == [301, "https://anjian.example.gov.cn/healthz"]
    # With it, the request is served as HTTPS, HSTS included.
    status, _location, hsts = seen["forwarded_https"]
    assert status == 200 and "max-age=31536000" in hsts

    section = _deployment_section(README.read_text(encoding="utf-8"))
    assert "SECURE_PROXY_SSL_HEADER" in section and "`X-Forwarded-Proto: https`" in section
    assert re.search(r"proxy_set_header X-Forwarded-Proto \$scheme;", section)
    # gunicorn must be reachable only through the proxy, or a client could claim HTTPS itself.
    assert re.search(r"gunicorn .*--bind 127\.0\.0\.1:", section)


def test_the_proxy_waits_longer_than_gunicorns_timeout():
    section = _deployment_section(README.read_text(encoding="utf-8"))
    gunicorn = int(re.search(r"gunicorn .*--timeout (\d+)", section).group(1))
    nginx = int(re.search(r"proxy_read_timeout (\d+)s;", section).group(1))
    assert nginx > gunicorn
