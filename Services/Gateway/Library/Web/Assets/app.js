// The dashboard's shared script: JSON API calls with the page's CSRF token, action buttons, live task updates.
const csrf = document.querySelector('meta[name="csrf-token"]')?.content ?? "";

/** Calls the JSON API; throws an Error with the API's message when the answer is not 2xx. */
export async function api(method, url, body) {
  const response = await fetch(url, {
    method, credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf, "Accept": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let data = null;
  try { data = await response.json(); } catch { data = null; }
  if (!response.ok) throw new Error(data?.message ?? `HTTP ${response.status}`);
  return data;
}

/** Now as the server writes times: UTC, `2026-11-30 20:40:05`. */
function stamp() {
  return new Date().toISOString().replace("T", " ").slice(0, 19);
}

/** Shows a message in the page's status line. */
export function say(text, isError = false) {
  const flash = document.getElementById("flash");
  if (!flash) return;
  flash.textContent = text;
  flash.className = isError ? "flash error" : "flash";
}

export const eventTypes = ["task.snapshot", "task.queued", "task.started", "task.progress", "task.completed", "task.failed", "task.cancelled"];

/** Calls `handler(type, data)` for every task event of an EventSource. */
export function onTaskEvents(source, handler) {
  for (const type of eventTypes) {
    source.addEventListener(type, (event) => {
      let data = {};
      try { data = JSON.parse(event.data); } catch { data = {}; }
      handler(type, data);
    });
  }
}

/** Whether an event ends its task (a snapshot of a task that has ended already included). */
export function isTerminal(type, data) {
  return ["completed", "failed", "cancelled"].includes(statusOf(type, data));
}

/** The status word an event leaves its task in. */
export function statusOf(type, data) {
  switch (type) {
    case "task.snapshot": return (data.status ?? "unknown").toLowerCase();
    case "task.queued": return "queued";
    case "task.started": case "task.progress": return "running";
    default: return type.slice(5);
  }
}

function setStatus(element, word) {
  element.textContent = word;
  element.className = `status ${word}`;
}

// Action buttons: <button data-url="/v1/…" data-method="POST" data-body='{…}' data-then="reload|task|run">.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-url]");
  if (!button) return;
  event.preventDefault();
  button.disabled = true;
  try {
    const data = await api(button.dataset.method ?? "POST", button.dataset.url, button.dataset.body ? JSON.parse(button.dataset.body) : undefined);
    say(button.dataset.done ?? "Done.");
    const then = button.dataset.then;
    if (then === "reload") setTimeout(() => location.reload(), 300);
    else if (then === "task" && data?.task) location.href = `/tasks/${encodeURIComponent(data.task)}`;
    else button.disabled = false;
  } catch (error) {
    say(error.message, true);
    button.disabled = false;
  }
});

// Lists of tasks: every status word updates as the task's events arrive.
if (document.body.dataset.live === "events") {
  const source = new EventSource("/v1/events");
  const feed = document.getElementById("live-events");
  onTaskEvents(source, (type, data) => {
    for (const element of document.querySelectorAll(`[data-task-status="${CSS.escape(data.task ?? "")}"]`)) setStatus(element, statusOf(type, data));
    if (feed) {
      const item = document.createElement("li");
      item.textContent = `${stamp()} ${type} ${data.agent ?? ""} ${data.task ?? ""}`;
      feed.prepend(item);
      while (feed.children.length > 20) feed.lastElementChild.remove();
    }
  });
}

// One task: its timeline, status word and result as they happen.
const taskID = document.body.dataset.task;
if (taskID) {
  const source = new EventSource(`/v1/tasks/${encodeURIComponent(taskID)}/events`);
  const timeline = document.getElementById("timeline");
  const status = document.getElementById("task-status");
  onTaskEvents(source, (type, data) => {
    if (status) setStatus(status, statusOf(type, data));
    if (type !== "task.snapshot" && timeline) {
      const item = document.createElement("li");
      const message = data.payload?.message ?? data.payload?.reason ?? data.payload?.error ?? "";
      item.textContent = `${stamp()} ${type}${message ? ` — ${message}` : ""}`;
      timeline.append(item);
    }
    if (type === "task.snapshot" && isTerminal(type, data)) {
      source.close();  // it has ended already: the page shows it as it is, and the stream would only reconnect
    } else if (isTerminal(type, data)) {
      const result = document.getElementById("result-text");
      if (result) result.textContent = data.text ?? JSON.stringify(data.payload, null, 2);
      document.getElementById("cancel")?.remove();
      if (type === "task.failed") document.getElementById("replay")?.removeAttribute("hidden");
      source.close();
    }
  });
}

// The run form of a workflow: its inputs become a workflow.run message; the page follows the run.
for (const form of document.querySelectorAll("form[data-workflow]")) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const inputs = {};
    for (const field of form.querySelectorAll("[data-input]")) {
      if (field.value === "") continue;
      inputs[field.dataset.input] = field.type === "number" ? Number(field.value) : field.value;
    }
    try {
      const data = await api("POST", "/v1/messages", { type: "workflow.run", payload: { workflow: form.dataset.workflow, inputs } });
      location.href = `/runs/${encodeURIComponent(data.task)}`;
    } catch (error) {
      say(error.message, true);
    }
  });
}

// A workflow run: its steps refresh until it ends.
const runID = document.body.dataset.run;
if (runID) {
  const refresh = async () => {
    try {
      const run = await api("GET", `/v1/runs/${encodeURIComponent(runID)}`);
      const status = document.getElementById("run-status");
      if (status) setStatus(status, (run.status ?? "unknown").toLowerCase());
      const workflow = document.getElementById("run-workflow");
      if (workflow && run.workflow) { workflow.textContent = run.workflow; workflow.href = `/workflows#wf-${encodeURIComponent(run.workflow)}`; }
      const failure = document.getElementById("run-failure");
      if (failure) failure.textContent = run.failure ?? "";
      const output = document.getElementById("run-output");
      if (output && run.output !== null && run.output !== undefined) output.textContent = JSON.stringify(run.output, null, 2);
      const inFlight = run.current ? [{ name: run.current.step, status: "running", task: run.current.task }] : [];
      const body = document.getElementById("run-steps");
      if (body) {
        body.replaceChildren(...[...(run.steps ?? []), ...inFlight].map((step) => {
          const row = document.createElement("tr");
          const name = document.createElement("td"); name.textContent = step.name ?? "";
          const state = document.createElement("td"); const word = document.createElement("span"); setStatus(word, (step.status ?? "").toLowerCase()); state.append(word);
          const task = document.createElement("td");
          if (step.task) { const link = document.createElement("a"); link.href = `/tasks/${encodeURIComponent(step.task)}`; link.textContent = step.task; task.append(link); }
          row.append(name, state, task);
          return row;
        }));
      }
      if (!["completed", "failed", "cancelled"].includes((run.status ?? "").toLowerCase())) setTimeout(refresh, 1500);
    } catch (error) {
      say(error.message, true);
    }
  };
  setTimeout(refresh, 1000);
}

// Tests (and impatient people) can tell the page's handlers are in place.
document.body.dataset.app = "ready";
