"""deputies/access.py is the one place that decides who may do what: no other module or
template looks at a role."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from appeals.models import Appeal
from deputies import access

ROOT = Path(__file__).resolve().parent.parent
ROLE_CHECK = re.compile(
    r"\.is_citizen|\.is_deputy|\.is_committee|\.is_federal|sees_ratings|sees_region"
    r"|\.role\s*(?:==|!=|\bin\b)|\.is_staff\b"
)
SKIP_DIRS = {".venv", "tests", "demo", "migrations", "bench", "node_modules", "static"}
# Who must give a second factor is decided while signing in, in accounts, which sits
# beneath deputies in the layers (pyproject.toml) and so cannot ask the gate.
SIGN_IN_RULES = {"accounts/otp.py"}


def role_checks_outside_the_gate(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.suffix not in (".py", ".html") or SKIP_DIRS & set(relative.parts[:-1]):
            continue
        if relative.as_posix() in {"deputies/access.py", *SIGN_IN_RULES}:
            continue
        if relative.parts[0].startswith("."):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_CHECK.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def test_no_role_checks_outside_deputies_access():
    found = role_checks_outside_the_gate(ROOT)
    assert not found, "Ask deputies.access instead:\n" + "\n".join(found)


def test_the_check_finds_a_role_check_in_a_view_and_a_template(tmp_path):
    (tmp_path / "ratings").mkdir()
    (tmp_path / "ratings" / "views.py").write_text("if not scope.is_federal:\n    pass\n")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "nav.html").write_text("{% if user.role == 'deputy' %}{% endif %}")
    (tmp_path / "deputies").mkdir()
    (tmp_path / "deputies" / "access.py").write_text("scope.is_federal\n")

    assert role_checks_outside_the_gate(tmp_path) == [
        "ratings/views.py:1: if not scope.is_federal:",
        "templates/nav.html:1: {% if user.role == 'deputy' %}{% endif %}",
    ]


def test_the_gate_spells_the_appeal_statuses_as_appeals_does():
    # deputies may not import appeals, so the gate writes the statuses out.
    assert access.SUBMITTED == Appeal.Status.SUBMITTED
    assert access.ASSIGNED == Appeal.Status.ASSIGNED
    assert access.IN_PROGRESS == Appeal.Status.IN_PROGRESS
    assert access.ANSWERED == Appeal.Status.ANSWERED
    assert set(access.OPEN_STATUSES) == set(Appeal.OPEN_STATUSES)


MENU = {
    "citizen": ["appeals:appeal_create", "appeals:appeal_list"],
    "deputy": ["appeals:dashboard", "ratings:my_rating"],
    "committee": [
        "appeals:committee_queue",
        "appeals:committee_search",
        "ratings:hot_spots",
        "ratings:region_table",
        "ratings:topic_analytics",
    ],
    "federal": ["appeals:committee_search", "ratings:hot_spots", "ratings:regions_comparison"],
}
EVERY_ROLE_LINK = sorted({name for names in MENU.values() for name in names} | {"admin:index"})


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["citizen", "deputy", "committee", "federal", "admin_user"])
def test_the_menu_offers_each_role_its_own_pages_only(role, client, request):
    found = request.getfixturevalue(role)
    client.force_login(getattr(found, "user", found))

    page = client.get(reverse("deputies:region_list")).content.decode()

    nav = page[page.index('<nav class="main-nav') : page.index("</nav>")]
    offered = [name for name in EVERY_ROLE_LINK if f'href="{reverse(name)}"' in nav]
    if role == "admin_user":
        assert offered == [
            "admin:index",
            "appeals:committee_search",
            "ratings:hot_spots",
            "ratings:regions_comparison",
        ]
    else:
        assert offered == sorted(MENU[role])
