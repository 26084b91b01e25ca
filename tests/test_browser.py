"""The admin in a real browser: headless Chromium logs in and opens each kind of page,
and uses the forms of the database pages (drift check, backup verification).

Screenshots go to tests/artifacts/ (git-ignored). A page that fails to render,
a missing element, or an error in the browser console fails the test. Without
Chromium the test is skipped, except in CI (``CI`` set), where it must run.
"""

import datetime
import os
import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from americano.models import BackfillRun
from americano.ops import backup
from learning.factories import CardFactory, CourseFactory, LectureFactory
from tests.backfill_recipes.models import RecipeEvent

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PASSWORD = "browser-test-password"

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:  # pragma: no cover - depends on the machine
    webdriver = None

MISSING = [
    name
    for name, found in (
        ("chromium", CHROMIUM),
        ("chromedriver", CHROMEDRIVER),
        ("selenium", webdriver),
    )
    if not found
]
if MISSING and not os.environ.get("CI"):
    pytest.skip(
        f"{', '.join(MISSING)} not installed (apt-get install chromium chromium-driver;"
        " pip install selenium); CI always runs this test",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def browser():
    if MISSING:
        pytest.fail(f"{', '.join(MISSING)} not installed, and CI must run the browser test")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.edu", PASSWORD)


class Pages:
    """Opens admin pages and checks each one like a person would, with a screenshot."""

    def __init__(self, driver, base_url):
        self.driver = driver
        self.base_url = base_url
        self.wait = WebDriverWait(driver, 10)
        ARTIFACTS.mkdir(exist_ok=True)

    def open(self, path):
        self.driver.get(self.base_url + path)

    def find(self, selector):
        return self.wait.until(
            expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, selector))
        )

    def check(self, name, *, heading):
        """The page rendered (title, heading), logged no console error; screenshot it."""
        self.driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        title = self.driver.title
        assert "Server Error" not in title and "Not Found" not in title, f"{name}: {title}"
        # Compared case-blind: the admin's CSS upper-cases captions.
        content = self.find("#content").text.casefold()
        assert heading.casefold() in content, f"{name}: no {heading!r}"
        errors = [
            e
            for e in self.driver.get_log("browser")
            if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]  # asked by Chromium
        ]
        assert errors == [], f"{name}: {errors}"


@pytest.fixture
def backup_file(settings, tmp_path):
    """A real backup of the test database, in the folder the Backups page reads."""
    settings.AMERICANO_BACKUP_DIR = tmp_path
    made = backup.create_backup(connection, tmp_path, "browser")
    assert made.ok, made.verification.problems
    return made.path


@pytest.fixture
def failed_backfill():
    """A backfill stopped by a lock timeout after 5,000 rows in 10 seconds."""
    started = timezone.now() - datetime.timedelta(hours=1)
    BackfillRun.objects.update_or_create(
        name="recipes.day_of_week",
        defaults={
            "app_label": "backfill_recipes",
            "table": RecipeEvent._meta.db_table,
            "rows_done": 5_000,
            "batches": 1,
            "last_key": "cmwumx2qg0b1k337d9x0e2c1f",
            "started_at": started,
            "updated_at": started + datetime.timedelta(seconds=10),
            "finished_at": None,
            "errors": 4,
            "last_error": "canceling statement due to lock timeout",
        },
    )


@pytest.mark.django_db(transaction=True)
def test_admin_in_a_browser(browser, live_server, superuser, failed_backfill, backup_file):
    course = CourseFactory(name="Cardiology", code="MED201")
    LectureFactory(course=course, user=course.user, title="Cardiac cycle")
    CourseFactory(name="Dermatology", user=course.user)
    card = CardFactory(course=CourseFactory(name="Pharmacology", user=course.user))
    pages = Pages(browser, live_server.url)

    pages.open("/admin/login/?next=/admin/")
    pages.find("#id_username").send_keys("admin")
    pages.find("#id_password").send_keys(PASSWORD + Keys.ENTER)
    pages.find("#site-name")
    pages.check("01-admin-index", heading="Site administration")
    assert browser.find_element(By.CSS_SELECTOR, "#user-tools a[href='/admin/database/']")

    # A changelist: search, then a filter.
    pages.open("/admin/learning/lecture/")
    search = pages.find("#searchbar")
    search.send_keys("Cardiac" + Keys.ENTER)
    pages.find("#result_list")
    browser.find_element(
        By.CSS_SELECTOR, "#changelist-filter a[href*='processing_status__exact=PENDING']"
    ).click()
    rows = pages.find("#result_list tbody")
    assert "Cardiac cycle" in rows.text and "q=Cardiac" in browser.current_url
    assert "processing_status__exact=PENDING" in browser.current_url
    pages.check("02-changelist-search-filter", heading="Select lecture to change")

    # A change form: pick the course with the autocomplete widget, and save.
    pages.open(f"/admin/learning/card/{card.pk}/change/")
    pages.find(".field-course .select2-selection").click()
    pages.find(".select2-search__field").send_keys("cardio")
    # The server's answer, not the first page of courses the widget opened with.
    pages.wait.until(
        lambda driver: (
            [o.text for o in driver.find_elements(By.CSS_SELECTOR, ".select2-results__option")]
            == ["Cardiology"]
        )
    )
    option = browser.find_element(By.CSS_SELECTOR, ".select2-results__option")
    pages.check("03-change-form-autocomplete", heading="Change card")
    option.click()
    browser.find_element(By.NAME, "_continue").click()
    pages.find(".messagelist .success")
    card.refresh_from_db()
    assert card.course_id == course.pk
    pages.check("04-change-form-saved", heading="Change card")

    # The database pages.
    pages.open("/admin/database/")
    pages.check("05-database", heading="Database pages")
    pages.open("/admin/database/tables/")
    pages.find("#tables")
    assert "learning.User" in browser.page_source
    pages.check("06-database-tables", heading="Tables, largest first")
    pages.open("/admin/database/migrations/")
    pages.find("#app-learning")
    pages.check("07-database-migrations", heading="Every migration on disk is applied.")
    browser.find_element(By.ID, "check-drift").click()
    assert pages.find("#drift-result").text.startswith("No drift")
    pages.check("08-database-migrations-drift", heading="No drift")

    pages.open("/admin/database/backups/")
    row = pages.find(f"#backup-{slugify(backup_file.name)}")
    assert "verified when made" in row.text
    pages.check("09-database-backups", heading=backup_file.name)
    row.find_element(By.CSS_SELECTOR, "input[value='Verify']").click()
    assert pages.find(".backup-verification .americano-ok").text == "verified now"
    pages.check("10-database-backups-verified", heading="pg_restore --list reads the archive")

    pages.open("/admin/database/backfills/")
    assert "500 rows/s" in pages.find("#backfill-recipesday_of_week").text
    pages.check("11-database-backfills", heading="Last error of recipes.day_of_week")
