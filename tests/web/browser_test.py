"""browser_test.py — "landrec serve" driven through a real browser (headless Chromium, Selenium).

What it protects: that a person can use the web application with the pages and the script as
shipped, not just that the HTTP API answers. Signed out, a page sends to the sign-in form; the
form signs in with the keyboard; a Hangul location query finds the sheet written in Hanja; the
sheet view draws its page image and field table; the review desk takes two corrections typed
with the keyboard only and they land in PostgreSQL attributed to the reviewer, with their review
items resolved; an officer sees the dashboard; and the browser reports no error on the way
(a Content-Security-Policy violation or a script error shows up as a SEVERE console entry).

It makes its own database on the server the PG* variables reach, loads two ledger sheets with
"landrec run", and starts "landrec serve" as the web role on a free port. Without a server it
skips (exit 77) unless LR_TEST_REQUIRE_DB=1; without Chromium, chromedriver or Selenium it skips
unless LR_TEST_REQUIRE_BROWSER=1. With LR_SCREENSHOTS=DIR it saves the screenshots of
docs/web.md into DIR (web-search.png, web-sheet.png, web-review.png, web-dashboard.png).
"""
import importlib.util
import os
import select
import shutil
import socket
import subprocess
import sys
import traceback

SKIP = 77
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"

REVIEWER, REVIEWER_PW = "rev", "review-pass-1"
OFFICER, OFFICER_PW = "off", "officer-pass-1"
# The two corrections as typed, as a reviewer would write a date: each begins with a digit, so it
# starts with a space (with the box empty a digit takes an alternative, docs/web.md); the space
# is dropped when saved. Hangul goes through the same keys.
TYPED = [" 1955-03-02", " 1955년 3월 2일"]
SAVED = [t.strip() for t in TYPED]

failures = []


def check(ok, what):
    """Records a failed check and goes on, so that one run shows every failure."""
    if not ok:
        failures.append(what)
        print("FAIL: " + what, file=sys.stderr)
    return ok


def required(name):
    return os.environ.get(name) == "1"


def sh(args, env=None, stdin=None, cwd=None):
    return subprocess.run(args, env=env, input=stdin, capture_output=True, text=True, cwd=cwd)


def psql(db, sql):
    """Rows of a query on DB as the administrator the PG* variables name, '|'-separated."""
    r = sh(["psql", "-d", db, "-Atqc", sql])
    if r.returncode != 0:
        raise RuntimeError("psql failed: %s\n%s" % (sql, r.stderr))
    return [line for line in r.stdout.splitlines() if line]


def free_port():
    # Bound and released: another process could take it meanwhile, but "serve" then fails to
    # start and says so, rather than the test talking to a stranger.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(landrec, db, port, log_path):
    """Starts "landrec serve" as the web role; returns the process once it listens."""
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [landrec, "serve", "--db", "dbname=%s user=landrec_web" % db, "--listen",
         "127.0.0.1:%d" % port, "--threads", "3"],
        stdout=subprocess.PIPE, stderr=log, text=True)
    log.close()
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    line = proc.stdout.readline() if ready else ""
    if "listening on" not in line:
        proc.terminate()
        proc.wait()
        raise RuntimeError("landrec serve did not start (%r); see %s" % (line, log_path))
    return proc


def browser_missing():
    """Why the browser test cannot run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return path + " is missing (Debian: chromium, chromium-driver)"
    if importlib.util.find_spec("selenium") is None:
        return "Selenium is missing (Debian: python3-selenium; run with /usr/bin/python3)"
    return None


def make_driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000",
                "--lang=en-US"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)


class Session:
    """The browser and what the checks need of it."""

    def __init__(self, driver, base, shots):
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        self.d = driver
        self.base = base
        self.shots = shots
        # An element read while the script replaces it is asked for again, not a failure.
        self.wait = WebDriverWait(driver, 20,
                                  ignored_exceptions=(StaleElementReferenceException,))
        self.console = []

    def collect_console(self):
        # Chromedriver hands each entry out once; gathered at every step so none is lost.
        self.console.extend(self.d.get_log("browser"))

    def shot(self, name):
        if self.shots:
            self.d.save_screenshot(os.path.join(self.shots, name))

    def css(self, sel):
        from selenium.webdriver.common.by import By

        return self.d.find_elements(By.CSS_SELECTOR, sel)

    def until(self, cond, what):
        from selenium.common.exceptions import TimeoutException

        try:
            return self.wait.until(lambda d: cond())
        except TimeoutException:
            check(False, "timed out waiting: " + what)
            return None

    def click_first(self, selector):
        """Clicks the first element matching selector, found afresh: a list the page redraws
        (search results while the query settles) leaves an element found before it stale.
        False when there is none yet or it went stale (until() tries again)."""
        from selenium.common.exceptions import StaleElementReferenceException

        try:
            found = self.css(selector)
            if found:
                found[0].click()
                return True
        except StaleElementReferenceException:
            pass
        return False

    def sign_in(self, user, password):
        """Types into the sign-in form and presses Enter, then waits to leave /login."""
        from selenium.webdriver.common.keys import Keys

        if not self.until(lambda: self.css("#login #user"), "the sign-in form"):
            return False
        self.css("#user")[0].clear()
        self.css("#user")[0].send_keys(user)
        self.css("#password")[0].send_keys(password + Keys.ENTER)
        return self.until(lambda: "/login" not in self.d.current_url,
                          "signing in as %s to leave /login" % user) is not None


def desk_item(s):
    """Which item the desk shows: its field and sheet link, unique per review item."""
    name = s.css("#field-name")
    link = s.css("#item-sheet")
    if not name or not link or s.css("#item")[0].get_attribute("hidden") is not None:
        return None
    return (name[0].text, link[0].get_attribute("href"))


def run_browser(s, db):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    d = s.d
    # Signed out, a page sends to the sign-in form, which comes back to it afterwards.
    d.get(s.base + "/search")
    check(s.until(lambda: "/login" in d.current_url, "the redirect to /login") is not None,
          "signed out, /search leads to /login (at %s)" % d.current_url)
    check(s.sign_in(REVIEWER, REVIEWER_PW), "the reviewer signs in")
    check(d.current_url.split("?")[0].endswith("/search"),
          "after signing in the browser is back at /search (at %s)" % d.current_url)
    s.collect_console()

    # Search in Hangul; the sheet's location is written in Hanja.
    if not s.until(lambda: s.css("#search input[name=location]"), "the search form"):
        return
    loc = s.css("#search input[name=location]")[0]
    loc.send_keys("경성부" + Keys.ENTER)
    links = s.until(lambda: s.css("a.sheet-link"), "a result for location 경성부")
    check(bool(links), "location 경성부 finds a sheet")
    check("京城府" in d.find_element("tag name", "body").text,
          "the results show the location 京城府")
    s.shot("web-search.png")
    s.collect_console()
    if not links:
        return

    # The sheet view: the page image drawn in the viewer, the field table beside it.
    s.until(lambda: s.click_first("a.sheet-link"), "a result link that takes a click")
    check(s.until(lambda: "/sheets/" in d.current_url, "the sheet page") is not None,
          "the result link opens the sheet")
    check(bool(s.until(lambda: s.css("#viewer"), "#viewer")), "the sheet has #viewer")
    check(bool(s.until(lambda: s.css("#viewer image"), "the page image in #viewer")),
          "the viewer draws the page image (loaded under the CSP)")
    rows = s.css("#fields tbody tr")
    check(bool(rows) and s.css("#fields")[0].is_displayed(), "the field table is shown")
    s.shot("web-sheet.png")
    s.collect_console()

    # The review desk, keyboard only: each correction typed into the focused box, then Enter.
    d.get(s.base + "/review")
    seen, said = [], []
    for n, typed in enumerate(TYPED):
        item = s.until(lambda: desk_item(s) if desk_item(s) not in seen else None,
                       "review item %d on the desk" % (n + 1))
        if not check(item is not None, "the desk shows review item %d" % (n + 1)):
            return
        seen.append(item)
        check(s.until(lambda: d.switch_to.active_element.get_attribute("id") == "correction",
                      "the focus in #correction") is not None,
              "the correction box has the focus when item %d loads" % (n + 1))
        if n == 1:
            s.shot("web-review.png")  # the first decision's confirmation above the second item
        ActionChains(d).send_keys(typed).send_keys(Keys.ENTER).perform()
        # The desk says how the decision went, then loads the next item (or the empty queue):
        # once the item has changed, #status holds this decision's answer.
        check(s.until(lambda: desk_item(s) != item or s.css("#empty")[0].is_displayed(),
                      "the next item after correction %d" % (n + 1)) is not None,
              "the desk moves on after correction %d" % (n + 1))
        status = s.css("#status")[0]
        said.append(status.text)
        check(status.text.startswith("saved: ") and "error" not in status.get_attribute("class"),
              "#status confirms correction %d: %r" % (n + 1, status.text))
    s.collect_console()

    # In PostgreSQL: the two versions as typed, attributed, and their items resolved; the desk
    # confirmed each with the value the server stored.
    rows = psql(db, "select v.raw, v.source, v.why, ri.state from value_version v"
                    " join review_item ri using (page_run_id, section, row_no, field)"
                    " where v.reviewer = '%s' order by v.id" % REVIEWER)
    check(rows == ["%s|web|corrected|resolved" % t for t in SAVED],
          "value_version holds the two corrections by %s, items resolved: %r" % (REVIEWER, rows))
    values = psql(db, "select coalesce(value, '') from value_version"
                      " where reviewer = '%s' order by id" % REVIEWER)
    check(len(values) == len(said) and all(t.endswith("\u2192 " + v) for t, v in zip(said, values)),
          "the desk's confirmations %r name the stored values %r" % (said, values))

    # An officer's dashboard, after signing out through the page.
    if s.until(lambda: s.css("#logout"), "#logout"):
        s.css("#logout")[0].click()
    check(s.until(lambda: "/login" in d.current_url, "/login after signing out") is not None,
          "signing out leads to /login")
    check(s.sign_in(OFFICER, OFFICER_PW), "the officer signs in")
    d.get(s.base + "/dashboard")
    check(bool(s.until(lambda: [h for h in s.css("h1") if h.text == "Dashboard"],
                       "the dashboard")), "the officer sees the dashboard")
    check(bool(s.css("svg")), "the dashboard has its charts")
    s.shot("web-dashboard.png")
    s.collect_console()


def console_errors(entries):
    # A missing favicon is the browser's own guess, not the page's; everything else SEVERE is
    # a script error, a CSP violation or a resource that failed to load.
    return [e for e in entries
            if e.get("level") == "SEVERE" and "favicon" not in e.get("message", "")]


def main():
    landrec = os.environ.get("LANDREC")
    data = os.environ.get("LR_TESTDATA")
    if not landrec or not data:
        print("LANDREC and LR_TESTDATA are not set (meson sets them)", file=sys.stderr)
        return 99
    if sh(["psql", "-d", "postgres", "-Atqc", "select 1"]).returncode != 0:
        print("no PostgreSQL server reachable through PG*", file=sys.stderr)
        return 1 if required("LR_TEST_REQUIRE_DB") else SKIP
    why = browser_missing()
    if why:
        print(why, file=sys.stderr)
        return 1 if required("LR_TEST_REQUIRE_BROWSER") else SKIP

    shots = os.environ.get("LR_SCREENSHOTS")
    if shots:
        os.makedirs(shots, exist_ok=True)
    pid = os.getpid()
    db = "lr_webbrowser_%d" % pid
    tmp = os.path.join(os.environ.get("LR_TEST_TMP", "/tmp"), "web-browser-%d" % pid)
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    env = dict(os.environ, PGDATABASE=db)
    loader = dict(env, PGUSER="landrec_loader")
    # The sheets are named relative to the testdata's parent (testdata/ledger/land-01.png), so
    # that the pages and the screenshots show no path of this machine.
    top = os.path.dirname(os.path.abspath(data))

    def rel(name):
        return os.path.relpath(os.path.join(data, "ledger", name), top)

    server = driver = None
    try:
        steps = [
            (["psql", "-d", "postgres", "-Atqc", "create database %s" % db], os.environ, None),
            ([landrec, "db", "init"], env, None),
            ([landrec, "run", "-q", "--batch", "browser", "--out", os.path.join(tmp, "out"),
              rel("land-01.png"), rel("land-02.png")], loader, None),
            ([landrec, "user", "add", REVIEWER, "--role", "reviewer"], loader, REVIEWER_PW + "\n"),
            ([landrec, "user", "add", OFFICER, "--role", "officer"], loader, OFFICER_PW + "\n"),
        ]
        for args, e, stdin in steps:
            r = sh(args, env=e, stdin=stdin, cwd=top)
            if r.returncode != 0:
                print("setting up failed: %s\n%s%s" % (" ".join(args), r.stdout, r.stderr),
                      file=sys.stderr)
                return 99
        # Without open review items the desk would have nothing to correct.
        n_open = int(psql(db, "select count(*) from review_item where state = 'open'")[0])
        if n_open < 2:
            print("the loaded sheets have %d open review items, 2 needed" % n_open,
                  file=sys.stderr)
            return 99
        port = free_port()
        server = start_server(landrec, db, port, os.path.join(tmp, "serve.log"))
        driver = make_driver()
        s = Session(driver, "http://127.0.0.1:%d" % port, shots)
        try:
            run_browser(s, db)
        finally:
            s.collect_console()
        for e in console_errors(s.console):
            check(False, "browser console: %s" % e.get("message"))
    except Exception:
        traceback.print_exc()
        failures.append("exception")
    finally:
        if driver:
            driver.quit()
        if server:
            server.terminate()
            check(server.wait(30) == 0, "landrec serve stops with status 0 on SIGTERM")
        sh(["psql", "-d", "postgres", "-Atqc", "drop database if exists %s with (force)" % db])
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d check(s) failed; server log in %s" % (len(failures), tmp), file=sys.stderr)
        return 1
    print("ok: sign-in, search, sheet, two keyboard corrections, dashboard, clean console")
    return 0


if __name__ == "__main__":
    sys.exit(main())
