// The web chat: an inbox of conversations and one open conversation, talking through the gateway's ChatService.
import { api, say, onTaskEvents, isTerminal } from "./app.js";

const chat = document.querySelector("[data-conversation]");
const conversation = chat?.dataset.conversation;
const list = document.getElementById("messages");
const form = document.getElementById("compose");

function render(messages) {
  // "…" stands for an answer on its way; once more follows, it is only noise.
  const visible = messages.filter((message, index) => message.text !== "…" || index === messages.length - 1);
  list.replaceChildren(...visible.map((message) => {
    const item = document.createElement("li");
    item.className = message.role === "user" ? "user" : "assistant";
    item.textContent = message.text;
    return item;
  }));
  list.scrollTop = list.scrollHeight;
}

async function reload() {
  const data = await api("GET", `/v1/conversations/${encodeURIComponent(conversation)}/messages`);
  render(data.messages ?? []);
  return data.messages?.length ?? 0;
}

/** Follows a task until it ends, then shows the answer once result delivery has written it. */
function follow(task, before) {
  const source = new EventSource(`/v1/tasks/${encodeURIComponent(task)}/events`);
  onTaskEvents(source, async (type, data) => {
    if (type === "task.progress") await reload();
    // A fast task may have ended before the stream opened: then its snapshot is the end.
    if (!isTerminal(type, data)) return;
    source.close();
    for (let attempt = 0; attempt < 20; attempt++) {
      if ((await reload()) > before) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
}

/** A chosen file as the API takes it: its name, type and bytes in base64. */
async function upload(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return { name: file.name, media_type: file.type || undefined, data: btoa(binary) };
}

if (form && conversation) {
  const input = form.elements.text;
  input.focus();
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey) { event.preventDefault(); form.requestSubmit(); }
  });
  const picker = form.elements.files;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = input.value.trim();
    const chosen = Array.from(picker?.files ?? []);
    if (!text && chosen.length === 0) return;
    input.value = "";
    try {
      const files = await Promise.all(chosen.map(upload));
      if (picker) picker.value = "";
      const body = files.length ? { text, files } : { text };
      const reply = await api("POST", `/v1/conversations/${encodeURIComponent(conversation)}/messages`, body);
      const count = await reload();
      if (reply.task) follow(reply.task, count);
      say("");
    } catch (error) {
      say(error.message, true);
    }
    input.focus();
  });
}

document.getElementById("new-conversation")?.addEventListener("click", async () => {
  try {
    const created = await api("POST", "/v1/conversations", {});
    location.href = `/chat?c=${encodeURIComponent(created.id)}`;
  } catch (error) {
    say(error.message, true);
  }
});

document.getElementById("rename")?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const title = event.target.elements.title.value.trim();
  try {
    await api("PATCH", `/v1/conversations/${encodeURIComponent(conversation)}`, { title });
    location.reload();
  } catch (error) {
    say(error.message, true);
  }
});

document.getElementById("delete-conversation")?.addEventListener("click", async () => {
  try {
    await api("DELETE", `/v1/conversations/${encodeURIComponent(conversation)}`);
    location.href = "/chat";
  } catch (error) {
    say(error.message, true);
  }
});

document.body.dataset.chat = "ready";
