"""Every page, as the person who uses it, passes axe-core and the Nu Html Checker in Chromium.

On the demo data (Kiên Giang and Hưng Yên), the test visits each page type as its user (an
anonymous visitor, a data-entry officer, a leader, an admin), in Vietnamese and two of them in
English. In each page it runs axe-core (every impact: critical and serious, moderate and minor
too) and saves the page's HTML; at the end one run of the Nu Html Checker (vnu.jar, one JVM
start) validates all the saved pages.

The checkers are test-only npm packages (``npm ci --ignore-scripts``, see package.json). Without
them the test is skipped with the reason, except under ``CI=true``, where it fails: the same
policy as Chromium in ``conftest.py``.
"""

import importlib
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string

from plans.models import Profile, Province, Target
from tests.browser.conftest import ARTIFACTS, DEFAULT_TIMEOUT_MS, ROOT, in_ci
from tests.conftest import PASSWORD, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

AXE_JS = ROOT / "node_modules/axe-core/axe.min.js"
VNU_JAR = ROOT / "node_modules/vnu-jar/build/dist/vnu.jar"
BAD_CSV = (
    "year,agency_code,indicator_code,value,numerator,denominator,note\r\n"
    "2017,91-BDT,OFFICIAL_EMAIL,,431,430,\r\n"
    "2017,91-KHONG-CO,LAN,có,,,\r\n"
    "2017,91-BDT,LAN,ba,,,\r\n"
)
GOOD_CSV = (
    "year,agency_code,indicator_code,value,numerator,denominator,note\r\n"
    "2017,91-BDT,OFFICIAL_EMAIL,,41,43,theo báo cáo quý IV\r\n"
)


DANGLING_IDREFS = """() => {
    const missing = [];
    for (const attr of ["aria-describedby", "aria-labelledby", "aria-controls", "for"]) {
        for (const el of document.querySelectorAll(`[${attr}]`)) {
            for (const id of el.getAttribute(attr).split(/\\s+/).filter(Boolean)) {
                if (!document.getElementById(id)) missing.push(`${attr}=${id}`);
            }
        }
    }
    for (const link of document.querySelectorAll('a[href^="#"]:not([href="#"])')) {
        if (!document.getElementById(link.getAttribute("href").slice(1))) {
            missing.push(`href=${link.getAttribute("href")}`);
        }
    }
    return missing;
}"""


def checkers() -> tuple[Path, list[str]]:
    """Return axe-core's script and the command that starts vnu.jar; skip (or fail in CI)."""
    missing = []
    if not AXE_JS.is_file():
        missing.append(f"axe-core ({AXE_JS.relative_to(ROOT)})")
    if not VNU_JAR.is_file():
        missing.append(f"vnu-jar ({VNU_JAR.relative_to(ROOT)})")
    java = shutil.which("java")
    if java is None:
        missing.append("java (apt-get install default-jre-headless)")
    if missing:
        reason = "Checkers missing: " + ", ".join(missing) + "; run npm ci --ignore-scripts"
        if in_ci():
            pytest.fail(f"CI=true requires the page checkers. {reason}")
        pytest.skip(reason)
    return AXE_JS, [java, "-jar", str(VNU_JAR)]


class PageChecker:
    """Visit pages, run axe-core in each, keep each page's HTML for one vnu.jar run."""

    def __init__(self, live_server, axe_js: Path, html_dir: Path):
        self.base = live_server.url
        self.axe_js = axe_js
        self.html_dir = html_dir
        self.axe_failures: dict[str, list] = {}
        self.files: dict[Path, str] = {}
        self.screenshots = os.environ.get("QUALITY_SCREENSHOTS")

    def visit(self, page, path: str, name: str, status: int = 200):
        response = page.goto(self.base + path)
        assert response is not None, (name, path)
        assert response.status == status, (name, path, response.status)
        self.check(page, name)

    def check(self, page, name: str):
        """Check the page as it stands (after a form was posted, say)."""
        assert name not in self.files.values(), f"two pages named {name}"
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower())
        file = self.html_dir / f"{len(self.files):02d}-{slug}.html"
        # Saved before axe's own <script> is injected into the page.
        file.write_text(page.content(), encoding="utf-8")
        self.files[file] = name
        if self.screenshots:
            page.screenshot(path=str(Path(self.screenshots) / f"{file.stem}.png"), full_page=True)
        page.add_script_tag(path=str(self.axe_js))
        violations = page.evaluate("async () => (await axe.run()).violations")
        found = [
            (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in violations
        ]
        # axe accepts an aria-describedby naming an id that is not there (a help text the
        # template forgot to render); a screen reader then reads nothing.
        if dangling := page.evaluate(DANGLING_IDREFS):
            found.append(("dangling-idref", "serious", "points at no element", dangling[:3]))
        if found:
            self.axe_failures[name] = found

    def check_html(self, html: str, name: str, page):
        """Show ``html`` (a page the live server cannot easily be made to answer) and check it."""
        page.goto(self.base + "/accounts/login/")
        # Written into the current document, so that /static/ links load from the live server.
        page.set_content(html)
        self.check(page, name)

    def html_errors(self, vnu: list[str]) -> list[str]:
        """Return the Nu Html Checker's errors (and warnings) for every saved page, one run."""
        run = subprocess.run(
            [*vnu, "--format", "gnu", "--skip-non-html", *map(str, self.files)],
            capture_output=True,
            text=True,
            timeout=300,
        )
        lines = [line for line in (run.stdout + run.stderr).splitlines() if line.strip()]
        named = []
        for line in lines:
            for file, name in self.files.items():
                line = line.replace(f'"{file}"', f"[{name}]").replace(str(file), f"[{name}]")
            named.append(line)
        assert run.returncode == 0 or named, run
        return named


def ensure_catalogue():
    migration = importlib.import_module("indicators.migrations.0002_standard_catalogue")
    migration.install(django_apps, None)


@pytest.fixture
def demo_users():
    """Load the demo (Kiên Giang 91, Hưng Yên 33) and its four kinds of user."""
    ensure_catalogue()
    call_command("load_demo", "--no-accounts", stdout=io.StringIO())
    kien_giang, hung_yen = Province.objects.get(code="91"), Province.objects.get(code="33")
    return {
        "officer": make_user("canbo_q", Profile.Role.OFFICER, [kien_giang]),
        "leader": make_user("lanhdao_q", Profile.Role.LEADER, [kien_giang, hung_yen]),
        "admin": make_user("quantri_q", Profile.Role.ADMIN, is_staff=True, is_superuser=True),
        "locked": make_user("bi_khoa_q", Profile.Role.OFFICER, [kien_giang]),
    }


def new_page(browser, live_server, language="vi"):
    """Open a page in a new context at 1366x800, the screens of the committees' offices."""
    # The site's Content-Security-Policy rightly refuses the injected checker.
    context = browser.new_context(
        bypass_csp=True,
        locale="en-US" if language == "en" else "vi-VN",
        viewport={"width": 1366, "height": 800},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    if language == "en":
        # Vietnamese first: English is a choice (the language form's cookie), not the browser's.
        context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        )
    return context, context.new_page()


def test_it_passes_axe_and_the_html_checker_on_every_page(
    browser, live_server, login, demo_users, tmp_path
):
    axe_js, vnu = checkers()
    checker = PageChecker(live_server, axe_js, tmp_path)
    email = Target.objects.get(
        plan__province__code="91", plan__year=2017, indicator__code="SPECIALIZED_NETWORK"
    )
    contexts = []

    # An anonymous visitor: the public home page, the login form (also refused), the lock-out,
    # a missing page, an expired form.
    context, page = new_page(browser, live_server)
    contexts.append(context)
    checker.visit(page, "/", "home, anonymous")
    checker.visit(page, "/accounts/login/", "login")
    page.fill("input[name=username]", "canbo_q")
    page.fill("input[name=password]", "sai-mật-khẩu")
    page.locator("form:has(input[name=password]) [type=submit]").click()
    page.wait_for_load_state()
    checker.check(page, "login, wrong password")
    for _attempt in range(5):
        page.goto(live_server.url + "/accounts/login/")
        page.fill("input[name=username]", demo_users["locked"].username)
        page.fill("input[name=password]", "sai-mật-khẩu")
        with page.expect_navigation():
            page.locator("form:has(input[name=password]) [type=submit]").click()
    assert "15 phút" in page.content()
    checker.check(page, "locked out")
    checker.visit(page, "/khong-co-trang-nay/", "404", status=404)
    page.goto(live_server.url + "/accounts/login/")
    context.clear_cookies()
    page.fill("input[name=username]", "canbo_q")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").click()
    checker.check(page, "403 csrf")
    # Pages the live server answers only when something is broken.
    for template in ("400.html", "500.html", "503.html"):
        checker.check_html(render_to_string(template), template, page)

    # The data-entry officer of Kiên Giang.
    context, page = new_page(browser, live_server)
    contexts.append(context)
    login(page, live_server, demo_users["officer"])
    checker.visit(page, "/", "home, officer")
    checker.visit(page, "/accounts/password_change/", "password change")
    page.fill("input[name=old_password]", "sai")
    page.fill("input[name=new_password1]", "123")
    page.fill("input[name=new_password2]", "456")
    with page.expect_navigation():
        page.get_by_role("button", name="Đổi mật khẩu").click()
    checker.check(page, "password change, refused")
    checker.visit(page, "/accounts/password_change/done/", "password changed")
    checker.visit(page, "/entry/91/2017/", "entry year")
    for tier in ("province", "department", "district", "commune"):
        checker.visit(page, f"/entry/91/2017/{tier}/", f"entry grid {tier}")
    checker.visit(page, "/entry/91/2017/department/?notes=1", "entry grid with notes")
    page.locator("input.num").first.fill("ba")
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu các ô đã sửa").click()
    checker.check(page, "entry grid with errors")
    checker.visit(page, "/entry/91/2017/agency/91-BDT/", "agency")
    checker.visit(page, "/entry/91/2017/agency/91-BDT/history/", "history")
    checker.visit(
        page, "/entry/91/2017/agency/91-BDT/history/?indicator=OFFICIAL_EMAIL", "history, one"
    )
    checker.visit(page, "/entry/91/2017/upload/", "upload")
    for name, content in (("upload refused", BAD_CSV), ("upload preview", GOOD_CSV)):
        page.goto(live_server.url + "/entry/91/2017/upload/")
        page.set_input_files(
            "#upload-file",
            files=[{"name": "ket-qua.csv", "mimeType": "text/csv", "buffer": content.encode()}],
        )
        with page.expect_navigation():
            page.get_by_role("button", name="Xem trước").click()
        checker.check(page, name)
    checker.visit(page, "/entry/91/2016/", "entry year, closed")
    checker.visit(page, "/entry/33/2017/", "404 other province", status=404)
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.locator("form[action='/accounts/logout/'] button").click()
    checker.check(page, "logged out")

    # A leader of both provinces reads the dashboard.
    context, page = new_page(browser, live_server)
    contexts.append(context)
    login(page, live_server, demo_users["leader"])
    checker.visit(page, "/", "home, leader")
    checker.visit(page, "/dashboard/", "dashboard index")
    checker.visit(page, "/dashboard/91/2017/", "dashboard 91 2017")
    checker.visit(page, "/dashboard/33/2017/", "dashboard 33 2017")
    checker.visit(page, f"/dashboard/91/2017/target/{email.pk}/", "dashboard target")
    checker.visit(page, "/dashboard/91/trend/SPECIALIZED_NETWORK/", "dashboard trend")
    checker.visit(page, "/dashboard/compare/2017/", "dashboard compare")
    checker.visit(page, "/dashboard/compare/2017/?sort=91", "dashboard compare, sorted")
    checker.visit(page, "/dashboard/91/2017/report/", "printable report")
    checker.visit(page, "/entry/91/2017/", "403", status=403)

    # The admin: every province, and the closed plan it may reopen.
    context, page = new_page(browser, live_server)
    contexts.append(context)
    login(page, live_server, demo_users["admin"])
    checker.visit(page, "/", "home, admin")
    checker.visit(page, "/entry/33/2017/", "entry year, closed, admin")

    # In English.
    context, page = new_page(browser, live_server, language="en")
    contexts.append(context)
    login(page, live_server, demo_users["officer"])
    checker.visit(page, "/entry/91/2017/", "entry year, English")
    checker.visit(page, "/entry/91/2017/department/", "entry grid, English")
    context, page = new_page(browser, live_server, language="en")
    contexts.append(context)
    login(page, live_server, demo_users["leader"])
    checker.visit(page, "/dashboard/91/2017/", "dashboard, English")

    for context in contexts:
        context.close()
    html_errors = checker.html_errors(vnu)
    if checker.axe_failures or html_errors:
        ARTIFACTS.mkdir(exist_ok=True)
        for file in checker.files:
            shutil.copy(file, ARTIFACTS / f"quality-{file.name}")
    assert checker.axe_failures == {}
    assert html_errors == []


def test_the_entry_pages_name_indicators_in_the_readers_language(
    browser, live_server, login, demo_users
):
    """Officers read the indicator's name; the code stays beside it, small, for upload files."""
    name = "Kết nối và sử dụng mạng truyền số liệu chuyên dùng của các cơ quan Đảng và Nhà nước"
    english = "Connected to and uses the specialized data network of Party and State agencies"
    context, page = new_page(browser, live_server)
    login(page, live_server, demo_users["officer"])

    page.goto(live_server.url + "/entry/91/2017/department/")
    header = page.locator("thead th", has_text=name)
    assert header.locator(".code").inner_text().replace("\u200b", "") == "SPECIALIZED_NETWORK"
    # 150 rows x 14 columns stay usable: no header wider than its column's limit.
    widths = page.locator("thead th:not(.agency-col)").evaluate_all(
        "ths => ths.map(th => th.getBoundingClientRect().width)"
    )
    assert len(widths) == 14, widths
    assert max(widths) <= 9.5 * 16 + 1, widths

    page.goto(live_server.url + "/entry/91/2017/")
    reported = page.locator("table.reported tbody tr", has_text="SPECIALIZED_NETWORK")
    assert name in reported.inner_text()
    assert "trong kế hoạch" in reported.inner_text()
    progress = page.locator("table.progress-table tbody tr", has_text=name)
    # The target worded as on the dashboard, never the raw comparator.
    assert "trên 80 %" in progress.inner_text()
    assert ">" not in progress.inner_text()
    web = page.locator("table.progress-table tbody tr", has_text="PUBLIC_SERVICES_L4")
    assert "từ 3 dịch vụ trở lên" in web.inner_text()

    page.goto(live_server.url + "/entry/91/2017/agency/91-BDT/")
    assert page.locator("table.entry-agency th", has_text=name).count() == 1
    page.goto(live_server.url + "/entry/91/2017/agency/91-BDT/history/?indicator=OFFICIAL_EMAIL")
    assert "Cán bộ, công chức có hộp thư điện tử công vụ" in page.locator("h1").inner_text()
    context.close()

    context, page = new_page(browser, live_server, language="en")
    login(page, live_server, demo_users["officer"])
    page.goto(live_server.url + "/entry/91/2017/department/")
    assert page.locator("thead th", has_text=english).count() == 1
    context.close()


def test_the_upload_page_states_the_limit_that_applies(
    browser, live_server, login, demo_users, settings
):
    settings.UPLOAD_MAX_BYTES = 512 * 1024  # below the preview's own 2 MB
    context, page = new_page(browser, live_server)
    login(page, live_server, demo_users["officer"])
    page.goto(live_server.url + "/entry/91/2017/upload/")
    assert page.locator("label[for=upload-file]").inner_text() == "Chọn tệp (tối đa 512,0\xa0KB)"
    context.close()
