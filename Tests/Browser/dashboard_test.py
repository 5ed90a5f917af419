"""Browser tests of the dashboard in a real headless Chromium (Selenium), against a real gateway, assistant and Redis.

Run by scripts/browser-test.sh (from scripts/test.sh, so `make test`), which builds nothing: it expects the debug
build and REDIS_URL. Screenshots of every page at desktop and phone width go to $SCREENSHOTS (not committed).
"""
import json
import os
import socket
import subprocess
import sys
import time
import traceback
import urllib.request
import uuid

from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("SB_BIN", os.path.join(ROOT, ".build", "debug"))
REDIS_URL = os.environ["REDIS_URL"]
SCREENSHOTS = os.environ.get("SCREENSHOTS", os.path.join(ROOT, ".build", "browser-screenshots"))
PREFIX = "bt" + uuid.uuid4().hex[:8]
ADMIN, OPERATOR, VIEWER = ("sbt_admin_" + uuid.uuid4().hex, "sbt_oper_" + uuid.uuid4().hex, "sbt_view_" + uuid.uuid4().hex)
PAGES = ["/", "/tasks", "/chat", "/agents", "/workflows", "/schedules", "/dlq", "/costs", "/approvals"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()
BASE = f"http://127.0.0.1:{PORT}"
LOGS = os.path.join(SCREENSHOTS, "logs")


def environment(**extra):
    env = dict(os.environ)
    env.update({
        "REDIS_URL": REDIS_URL, "SB_PREFIX": PREFIX, "LOG_LEVEL": "info", "LLM_PROVIDER": "offline",
        "GATEWAY_PORT": str(PORT), "GATEWAY_HOST": "127.0.0.1", "SB_REPO_ALLOW": "file:///tmp/",
        "GATEWAY_API_TOKENS": f"root:{ADMIN}:admin,ops:{OPERATOR}:operator,guest:{VIEWER}:viewer",
    })
    env.update(extra)
    return env


def start(name):
    os.makedirs(LOGS, exist_ok=True)
    log = open(os.path.join(LOGS, f"{name}.log"), "ab")
    return subprocess.Popen([os.path.join(BIN, name)], cwd=ROOT, env=environment(), stdout=log, stderr=subprocess.STDOUT)


def redis(*args):
    host_port = REDIS_URL.split("//", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    return subprocess.run(["redis-cli", "-h", host, "-p", port, *args], check=True, capture_output=True, text=True).stdout.strip()


def api(method, path, body=None, token=ADMIN):
    request = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null"), dict(error.headers)


def browser(width=1280, height=900):
    options = webdriver.ChromeOptions()
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", f"--window-size={width},{height}", "--disable-dev-shm-usage"]:
        options.add_argument(argument)
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")), options=options)


def wait(driver, condition, timeout=15):
    # Live pages re-render lists while a condition reads them: an element gone stale is read again next poll.
    return WebDriverWait(driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)


def ready(driver, script="app"):
    """Waits until the page's script (`app`, or `chat` on /chat) has put its handlers in place."""
    wait(driver, lambda d: d.execute_script(f"return document.body.dataset.{script}") == "ready")


def open_page(driver, url):
    driver.get(url)
    ready(driver, "chat" if "/chat" in url else "app")


def navigated(driver, action, script="app"):
    """Runs `action` (a click that loads another page or reloads this one) and waits for the new page's script."""
    driver.execute_script("window.oldPage = true")
    action()
    WebDriverWait(driver, 15, ignored_exceptions=(WebDriverException,)).until(lambda d: d.execute_script("return window.oldPage === undefined"))
    ready(driver, script)


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def login(driver, token):
    driver.delete_all_cookies()
    driver.get(BASE + "/login")
    field = driver.find_element(By.NAME, "token")
    field.send_keys(token)
    field.submit()
    wait(driver, EC.url_to_be(BASE + "/"))
    ready(driver)


def fetch(driver, method, path, body=None, csrf=True):
    """A fetch from the page, with or without the page's CSRF token: returns [status, body text]."""
    return driver.execute_async_script("""
        const [method, path, body, csrf, done] = arguments;
        const headers = {"Content-Type": "application/json"};
        if (csrf) headers["X-CSRF-Token"] = document.querySelector('meta[name="csrf-token"]').content;
        fetch(path, {method, headers, body: body === null ? undefined : JSON.stringify(body)})
          .then(async (r) => done([r.status, await r.text()])).catch((e) => done([0, String(e)]));
    """, method, path, body, csrf)


RESULTS = []


def test(function):
    RESULTS.append(function)
    return function


@test
def login_by_form_and_link(driver):
    login(driver, ADMIN)
    assert "web:root" in driver.find_element(By.CSS_SELECTOR, "header .who").text
    cookie = driver.get_cookie("sb_session")
    assert cookie and cookie["httpOnly"] and cookie.get("sameSite") == "Strict", cookie
    driver.find_element(By.CSS_SELECTOR, "header form button").click()
    wait(driver, EC.url_to_be(BASE + "/login"))
    assert driver.get_cookie("sb_session") is None
    driver.get(BASE + "/tasks")
    assert driver.current_url == BASE + "/login", "a page without a session redirects to /login"
    driver.get("about:blank")
    driver.get(f"{BASE}/login#token={ADMIN}")
    wait(driver, EC.url_to_be(BASE + "/"))
    assert "#token" not in driver.current_url
    assert not console_errors(driver)


@test
def every_page_renders_with_csp_and_no_console_errors(driver):
    login(driver, ADMIN)
    with urllib.request.urlopen(urllib.request.Request(BASE + "/login")) as response:
        csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe" not in csp and "frame-ancestors 'none'" in csp, csp
    expected = {"/": "Agents", "/tasks": "Tasks", "/chat": "Send", "/agents": "assistant", "/workflows": "Workflows",
                "/schedules": "Schedules", "/dlq": "Dead letters", "/costs": "Spend by day", "/approvals": "Approvals"}
    for width, height, label in [(1280, 900, "desktop"), (390, 844, "phone")]:
        driver.set_window_size(width, height)
        for page in PAGES:
            open_page(driver, BASE + page)
            wait(driver, EC.presence_of_element_located((By.TAG_NAME, "main")))
            assert expected[page] in driver.find_element(By.TAG_NAME, "body").text, (page, driver.page_source[:500])
            time.sleep(0.3)
            errors = console_errors(driver)
            assert not errors, (page, errors)
            name = "home" if page == "/" else page.strip("/").replace("/", "-")
            driver.save_screenshot(os.path.join(SCREENSHOTS, f"{name}-{label}.png"))
    driver.set_window_size(1280, 900)
    assert api("GET", "/v1/tasks", token="not-a-token")[0] == 401, "the JSON API answers 401 without a token"


@test
def task_status_arrives_live_and_result_is_shown(driver):
    """The assistant is not running yet: the task waits QUEUED while its page is open, then completes live."""
    login(driver, ADMIN)
    status, accepted, _ = api("POST", "/v1/messages", {"type": "chat.message", "payload": {"text": "hello <script>window.pwned=1</script>"}, "conversation": "bt-live"})
    assert status == 202, accepted
    task = accepted["task"]
    open_page(driver, f"{BASE}/tasks/{task}")
    assert driver.find_element(By.ID, "task-status").text == "queued"
    assert "<script>window.pwned=1</script>" in driver.find_element(By.ID, "payload").text, "the payload shows as text"
    assert driver.execute_script("return window.pwned === undefined")
    marker = driver.execute_script("window.sameDocument = 'yes'; return window.sameDocument")
    ASSISTANT.append(start("assistant"))
    wait(driver, lambda d: d.find_element(By.ID, "task-status").text == "completed", timeout=60)
    assert driver.execute_script("return window.sameDocument") == marker, "no reload happened"
    assert driver.find_element(By.ID, "result-text").text.strip(), "the result is shown"
    assert "task.completed" in driver.find_element(By.ID, "timeline").text
    driver.save_screenshot(os.path.join(SCREENSHOTS, "task-desktop.png"))
    open_page(driver, f"{BASE}/tasks?status=completed")
    assert task[:13] in driver.find_element(By.TAG_NAME, "table").text
    assert not console_errors(driver)


@test
def task_list_statuses_update_live(driver):
    status, accepted, _ = api("POST", "/v1/messages", {"type": "todos.scrape", "payload": {"url": "https://example.com/list", "format": "json"}})
    assert status == 202, accepted
    login(driver, ADMIN)
    open_page(driver, BASE + "/tasks?agent=scraper")
    word = driver.find_element(By.CSS_SELECTOR, f"[data-task-status='{accepted['task']}']")
    assert word.text == "queued"
    time.sleep(0.5)  # the page's event stream is open
    assert api("POST", f"/v1/tasks/{accepted['task']}/cancel")[0] == 200
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, f"[data-task-status='{accepted['task']}']").text == "cancelled")


@test
def cancel_from_the_task_page(driver):
    login(driver, ADMIN)
    status, accepted, _ = api("POST", "/v1/messages", {"type": "todos.scrape", "payload": {"url": "https://example.com/todo", "format": "json"}})
    assert status == 202, accepted
    open_page(driver, f"{BASE}/tasks/{accepted['task']}")
    driver.find_element(By.ID, "cancel").click()
    wait(driver, lambda d: d.find_element(By.ID, "task-status").text == "cancelled")
    status, task, _ = api("GET", f"/v1/tasks/{accepted['task']}")
    assert task["status"] == "CANCELLED", task


@test
def viewer_cannot_cancel_or_approve(driver):
    status, accepted, _ = api("POST", "/v1/messages", {"type": "todos.scrape", "payload": {"url": "https://example.com/v", "format": "json"}})
    login(driver, VIEWER)
    assert "viewer" in driver.find_element(By.CSS_SELECTOR, "header .who").text
    open_page(driver, f"{BASE}/tasks/{accepted['task']}")
    assert not driver.find_elements(By.ID, "cancel"), "a viewer sees no cancel button"
    code, text = fetch(driver, "POST", f"/v1/tasks/{accepted['task']}/cancel")
    assert code == 403, (code, text)
    code, text = fetch(driver, "POST", "/v1/approvals/nope", {"decision": "approve"})
    assert code == 403, (code, text)
    open_page(driver, BASE + "/approvals")
    assert not driver.find_elements(By.CSS_SELECTOR, "button[data-url^='/v1/approvals']")


@test
def request_without_csrf_token_is_refused(driver):
    login(driver, ADMIN)
    status, accepted, _ = api("POST", "/v1/messages", {"type": "todos.scrape", "payload": {"url": "https://example.com/c", "format": "json"}})
    code, text = fetch(driver, "POST", f"/v1/tasks/{accepted['task']}/cancel", csrf=False)
    assert code == 403 and json.loads(text)["error"] == "csrf", (code, text)
    code, text = fetch(driver, "POST", f"/v1/tasks/{accepted['task']}/cancel", csrf=True)
    assert code in (200, 202), (code, text)


@test
def dead_letter_replay(driver):
    redis("XADD", f"{PREFIX}:dlq:scraper", "*", "type", "todos.scrape", "payload", '{"url":"https://example.com/d","format":"json"}',
          "task", "bt-dead-1", "reason", "handler_failed", "error", "boom <b>bold</b>", "attempts", "3")
    before = int(redis("XLEN", f"{PREFIX}:in:scraper"))
    login(driver, ADMIN)
    open_page(driver, BASE + "/dlq")
    assert "boom <b>bold</b>" in driver.find_element(By.TAG_NAME, "main").text
    driver.find_element(By.CSS_SELECTOR, "button[data-url$='/replay'][data-url*='/dlq/scraper/1']").click()
    wait(driver, lambda d: int(redis("XLEN", f"{PREFIX}:in:scraper")) == before + 1)
    assert redis("XLEN", f"{PREFIX}:dlq:scraper") == "0"


@test
def approvals_approve(driver):
    login(driver, OPERATOR)
    open_page(driver, BASE + "/chat")
    box = wait(driver, EC.presence_of_element_located((By.ID, "text")))
    box.send_keys("/prune file:///tmp/bt-repo main false")
    driver.find_element(By.CSS_SELECTOR, "#compose button[type=submit]").click()
    wait(driver, lambda d: "Approval needed" in d.find_element(By.ID, "messages").text or "approve" in d.find_element(By.ID, "messages").text.lower())
    login(driver, ADMIN)
    open_page(driver, BASE + "/approvals")
    driver.find_element(By.XPATH, "//button[text()='Approve']").click()
    wait(driver, lambda d: "No approvals are waiting" in d.find_element(By.TAG_NAME, "main").text)


@test
def web_chat_round_trip_with_the_assistant(driver):
    login(driver, ADMIN)
    open_page(driver, BASE + "/chat")
    box = wait(driver, EC.presence_of_element_located((By.ID, "text")))
    assert driver.switch_to.active_element == box, "the chat opens ready to type"
    box.send_keys("hello assistant")
    box.send_keys("\n")
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#messages li.assistant")) >= 1
         and d.find_elements(By.CSS_SELECTOR, "#messages li.assistant")[-1].text not in ("", "…"), timeout=60)
    assert "hello assistant" in driver.find_element(By.ID, "messages").text
    driver.save_screenshot(os.path.join(SCREENSHOTS, "chat-round-trip.png"))
    conversations = len(driver.find_elements(By.CSS_SELECTOR, "ul.inbox li"))
    navigated(driver, driver.find_element(By.ID, "new-conversation").click, "chat")
    assert len(driver.find_elements(By.CSS_SELECTOR, "ul.inbox li")) == conversations + 1
    title = driver.find_element(By.CSS_SELECTOR, "#rename input[name=title]")
    title.clear()
    title.send_keys("Second")
    navigated(driver, driver.find_element(By.CSS_SELECTOR, "#rename button[type=submit]").click, "chat")
    assert "Second" in driver.find_element(By.CSS_SELECTOR, "ul.inbox").text
    navigated(driver, driver.find_element(By.ID, "delete-conversation").click, "chat")
    assert "Second" not in driver.find_element(By.CSS_SELECTOR, "ul.inbox").text
    assert len(driver.find_elements(By.CSS_SELECTOR, "ul.inbox li")) == conversations
    assert not console_errors(driver)


@test
def web_chat_file_upload_reaches_the_gateway(driver):
    """A file chosen in the compose form is uploaded with the message; outside a coding session the chat says files
    are read by sessions (the session path itself is tested in Swift, with code-writer and a model stand-in)."""
    login(driver, ADMIN)
    open_page(driver, BASE + "/chat")
    navigated(driver, driver.find_element(By.ID, "new-conversation").click, "chat")
    path = os.path.join(SCREENSHOTS, "upload-notes.txt")
    with open(path, "w") as handle:
        handle.write("remember the milk\n")
    driver.find_element(By.ID, "files").send_keys(path)
    driver.find_element(By.CSS_SELECTOR, "#compose button[type=submit]").click()
    wait(driver, lambda d: "Files are read by coding sessions" in d.find_element(By.ID, "messages").text, timeout=30)
    assert "(sent upload-notes.txt)" in driver.find_element(By.ID, "messages").text
    driver.save_screenshot(os.path.join(SCREENSHOTS, "chat-upload.png"))
    navigated(driver, driver.find_element(By.ID, "delete-conversation").click, "chat")
    assert not console_errors(driver)


@test
def workflow_run_from_its_form_and_followed_live(driver):
    """The run form publishes workflow.run; /runs/{id} shows it queued, then running once an orchestrator takes it."""
    login(driver, ADMIN)
    open_page(driver, BASE + "/workflows")
    assert driver.find_elements(By.CSS_SELECTOR, "#wf-sync_todos svg rect"), "steps drawn"
    form = driver.find_element(By.CSS_SELECTOR, "form[data-workflow='sync_todos']")
    for name, value in [("url", "https://example.com/todo"), ("repo_url", "file:///tmp/bt-repo"), ("path", "TODO.md")]:
        form.find_element(By.CSS_SELECTOR, f"[data-input='{name}']").send_keys(value)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait(driver, EC.url_contains("/runs/"))
    run = driver.current_url.rsplit("/", 1)[1]
    assert driver.find_element(By.ID, "run-status").text == "queued"
    marker = driver.execute_script("window.sameDocument = 'run'; return window.sameDocument")
    ASSISTANT.append(start("orchestrator"))
    wait(driver, lambda d: d.find_element(By.ID, "run-status").text == "running", timeout=60)
    wait(driver, lambda d: "scrape" in d.find_element(By.ID, "run-steps").text, timeout=10)
    assert driver.find_element(By.ID, "run-workflow").text == "sync_todos"
    assert driver.execute_script("return window.sameDocument") == marker, "no reload happened"
    status, body, _ = api("GET", f"/v1/runs/{run}")
    assert status == 200 and body["workflow"] == "sync_todos", body
    driver.save_screenshot(os.path.join(SCREENSHOTS, "run-desktop.png"))
    assert not console_errors(driver)


@test
def costs_page_draws_charts(driver):
    """Ledger totals as the agents write them become bars, by agent, user, model and day."""
    day = time.strftime("%Y-%m-%d", time.gmtime())
    for key in [f"agent:assistant", "user:web:root", "model:claude-sonnet-4-5", f"day:{day}"]:
        redis("HSET", f"{PREFIX}:usage:{key}", "tokens_in", "1000", "tokens_out", "200", "cost_usd", "0.5", "calls", "3")
        kind, name = key.split(":", 1)
        redis("ZADD", f"{PREFIX}:usage:index:{kind}", "0.5", name)
    login(driver, ADMIN)
    open_page(driver, BASE + "/costs")
    charts = driver.find_elements(By.CSS_SELECTOR, "main svg")
    assert len(charts) == 6, f"charts drawn: {len(charts)}"
    text = driver.find_element(By.TAG_NAME, "main").text
    for label in ["claude-sonnet-4-5", "web:root", day, "$0.50 · 1200 tokens"]:
        assert label in text, label
    widths = [float(rect.get_attribute("width")) for rect in driver.find_elements(By.CSS_SELECTOR, "svg rect")]
    assert max(widths) > 100, widths
    driver.save_screenshot(os.path.join(SCREENSHOTS, "costs-with-spend.png"))


ASSISTANT = []


def main():
    os.makedirs(SCREENSHOTS, exist_ok=True)
    gateway = start("gateway")
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(BASE + "/readyz", timeout=1)
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("the gateway did not become ready; see " + LOGS)
        driver = browser()
        failures = 0
        try:
            for function in RESULTS:
                try:
                    driver.get_log("browser")
                    function(driver)
                    print(f"ok   {function.__name__}")
                except Exception:
                    failures += 1
                    print(f"FAIL {function.__name__}")
                    traceback.print_exc()
                    driver.save_screenshot(os.path.join(SCREENSHOTS, f"failed-{function.__name__}.png"))
        finally:
            driver.quit()
        print(f"browser tests: {len(RESULTS) - failures} passed, {failures} failed; screenshots in {SCREENSHOTS}")
        return 1 if failures else 0
    finally:
        for process in ASSISTANT + [gateway]:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
