"""Each role's main pages, one list for the layout test, the axe test and
bench/screenshots.py, all three on the seeded demo (demo/seeder) and its accounts.

Importable without Django set up: what reads the database imports it inside the function.
"""

from dataclasses import dataclass

# Debian's chromium; Playwright never downloads a browser of its own.
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The seeded demo (`seed_demo`) the pages are checked and photographed on: every role's
# account, tables with rows, appeals in every state; seeded in about 2 s.
DEMO_SIZE = {"deputies": 120, "appeals": 1500, "seed": 7}

ROLES = ("anonymous", "citizen", "deputy", "committee", "federal")
# Where a role's pages are about one region, it is Moscow, the committee account's region.
REGION = "77"


@dataclass(frozen=True)
class MainPage:
    name: str  # also the screenshot's file name: <role>-<name>-<width>.png
    path: str  # {deputy}, {appeal}, {region}: filled in by `url` from `demo_targets`


HOME = MainPage("home", "/")
REGIONS = MainPage("regions", "/regions/")
REGION_PAGE = MainPage("region", "/regions/{region}/")
DEPUTY_PAGE = MainPage("deputy", "/deputies/{deputy}/")
FINDER = MainPage("finder", "/appeals/new/deputy/?region={region}")
APPEAL = MainPage("appeal", "/appeals/{appeal}/")
NOTIFICATIONS = MainPage("notifications", "/notifications/")
PROFILE = MainPage("profile", "/accounts/profile/")
RATING_TABLE = MainPage("rating-table", "/ratings/?region={region}")
TOPICS = MainPage("topics", "/ratings/topics/?region={region}")
DRILL_DOWN = MainPage("deputy-rating", "/ratings/deputies/{deputy}/")
SEARCH = MainPage("search", "/committee/search/?q=подъезд")
HOT_SPOTS = MainPage("hot-spots", "/ratings/hot-spots/")

PAGES = {
    "anonymous": (
        HOME,
        REGIONS,
        REGION_PAGE,
        DEPUTY_PAGE,
        FINDER,
        MainPage("sign-in", "/accounts/login/"),
        MainPage("sign-up", "/accounts/signup/"),
    ),
    "citizen": (
        HOME,
        REGIONS,
        REGION_PAGE,
        DEPUTY_PAGE,
        FINDER,
        MainPage("appeal-new", "/appeals/new/?region={region}"),
        MainPage("my-appeals", "/appeals/"),
        APPEAL,
        MainPage("receipt", "/appeals/{appeal}/receipt/"),
        NOTIFICATIONS,
        PROFILE,
    ),
    "deputy": (
        MainPage("dashboard", "/dashboard/"),
        APPEAL,
        MainPage("my-rating", "/ratings/me/"),
        NOTIFICATIONS,
        PROFILE,
    ),
    "committee": (
        MainPage("queue", "/committee/queue/"),
        RATING_TABLE,
        TOPICS,
        DRILL_DOWN,
        APPEAL,
        SEARCH,
        HOT_SPOTS,
        MainPage("formula-preview", "/ratings/formula/"),
        PROFILE,
    ),
    "federal": (
        MainPage("regions-compared", "/ratings/regions/"),
        RATING_TABLE,
        TOPICS,
        MainPage("queue", "/committee/queue/?region={region}"),
        DRILL_DOWN,
        APPEAL,
        PROFILE,
    ),
}


def url(base: str, page: MainPage, targets: dict) -> str:
    """`targets`: one role's entry of `demo_targets()`."""
    return base + page.path.format(**targets)


def account(role: str) -> str:
    from demo.seeder import demo_email

    return demo_email(role)


def demo_targets() -> dict:
    """For each role, what its pages are about in the seeded demo: the deputy and appeal
    it opens, the region of its tables. Read once the demo is seeded."""
    from django.db.models import Count

    from appeals.models import Appeal
    from deputies.models import Deputy

    def busiest(appeals):
        """The appeal with the longest thread: the page with the most on it."""
        found = appeals.annotate(n=Count("messages")).order_by("-n", "-pk").first()
        if found is None:
            raise LookupError(f"the demo has no appeal for {appeals.query}")
        return found.number

    deputy = Deputy.objects.get(user__email=account("deputy"))
    open_appeals = Appeal.objects.filter(status__in=Appeal.OPEN_STATUSES)
    in_region = Deputy.objects.filter(region__code=REGION)
    drill = in_region.annotate(n=Count("appeals")).order_by("-n", "pk").first()
    staff = {
        "deputy": drill.pk,
        "appeal": busiest(open_appeals.filter(region__code=REGION)),
        "region": REGION,
    }
    public = {"deputy": deputy.pk, "appeal": "", "region": REGION}
    return {
        "anonymous": public,
        "citizen": {
            **public,
            "appeal": busiest(Appeal.objects.filter(citizen__email=account("citizen"))),
        },
        "deputy": {
            **public,
            "appeal": busiest(open_appeals.filter(deputy=deputy)),
        },
        "committee": staff,
        "federal": staff,
    }


def sign_in(page, base: str, role: str, password: str, second_factor) -> None:
    """Through the sign-in form; `second_factor(page, email)` answers a staff account's
    code step (tests/browser/conftest.py's fixture, or the screenshot script's)."""
    if role == "anonymous":
        return
    email = account(role)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    with page.expect_navigation():
        page.press("#id_password", "Enter")
    second_factor(page, email)
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/two-factor/" not in url)


def switch(page, *, language: str | None = None, accessible: bool | None = None) -> None:
    """Posts to the language switch (set_language) and the accessible-mode toggle
    (accounts:accessibility) as their buttons do, with the page's CSRF token, whatever
    the buttons look like; the choices stay in the context's cookies."""
    forms = []
    if language is not None:
        forms.append(("/i18n/setlang/", {"language": language}))
    if accessible is not None:
        forms.append(("/accounts/accessibility/", {"enable": "1" if accessible else "0"}))
    for action, fields in forms:
        with page.expect_navigation():
            page.evaluate(
                """([action, fields]) => {
                    const field = document.querySelector("input[name=csrfmiddlewaretoken]");
                    const cookie = document.cookie.match(/(?:^|; )csrftoken=([^;]*)/);
                    const token = field ? field.value : cookie && cookie[1];
                    const form = document.createElement("form");
                    form.method = "post";
                    form.action = action;
                    const all = {...fields, next: location.pathname + location.search,
                                 csrfmiddlewaretoken: token};
                    for (const [name, value] of Object.entries(all)) {
                        const input = document.createElement("input");
                        input.type = "hidden";
                        input.name = name;
                        input.value = value;
                        form.appendChild(input);
                    }
                    document.body.appendChild(form);
                    form.submit();
                }""",
                [action, fields],
            )
