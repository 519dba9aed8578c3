// @ts-check
/**
 * The emulated customer's phone. Talks only to the emulator's control API on the same origin.
 * Every piece of message content is untrusted: it is put in the page with textContent and
 * attribute setters only, never as HTML.
 */

const api = "/_emulator";
const reactionChoices = ["👍", "❤️", "😂", "😮", "🙏"];

/** @param {string} id @returns {HTMLElement} */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`missing #${id}`);
  return element;
}

/**
 * Creates an element with text content and classes.
 * @param {string} tag
 * @param {{ text?: string, className?: string }} [options]
 */
function el(tag, options = {}) {
  const element = document.createElement(tag);
  if (options.text !== undefined) element.textContent = options.text;
  if (options.className) element.className = options.className;
  return element;
}

const params = new URLSearchParams(location.search);
const state = {
  phone: params.get("from") ?? localStorage.getItem("emulator.phone") ?? "5511988887777",
  name: params.get("name") ?? localStorage.getItem("emulator.name") ?? "Maria",
  /** @type {{ wamid: string, label: string } | null} */
  replyTo: null,
  /** @type {any[]} */
  messages: [],
  refreshing: false,
  again: false,
};

/**
 * Calls the control API.
 * @param {string} path
 * @param {unknown} [body]
 */
async function call(path, body) {
  const response = await fetch(`${api}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message ?? `HTTP ${response.status}`);
  return data;
}

/** @param {unknown} error */
function showError(error) {
  byId("error").textContent = error instanceof Error ? error.message : String(error);
}

/**
 * Sends a customer message of any type (control API POST /inbound).
 * @param {Record<string, unknown>} message
 */
async function sendAsCustomer(message) {
  byId("error").textContent = "";
  const body = { from: state.phone, name: state.name, ...message };
  if (
    state.replyTo &&
    body.context === undefined &&
    (message.type === "text" || message.type === "image")
  ) {
    body.context = { id: state.replyTo.wamid };
  }
  try {
    await call("/inbound", body);
    setReply(null);
    await refresh();
  } catch (error) {
    showError(error);
  }
}

/** @param {{ wamid: string, label: string } | null} target */
function setReply(target) {
  state.replyTo = target;
  const banner = byId("reply-banner");
  banner.hidden = target === null;
  byId("reply-text").textContent = target ? `Respondendo: ${target.label}` : "";
}

/** @param {Blob} file @returns {Promise<string>} */
async function toBase64(file) {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** @param {number} seconds */
function clock(seconds) {
  return new Date(seconds * 1000).toLocaleTimeString("pt-BR", {
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** @param {string} iso */
function clockIso(iso) {
  return new Date(iso).toLocaleTimeString("pt-BR", { hour: "2-digit", minute: "2-digit" });
}

/** Short text describing a message, for quotes. @param {any} item */
function summary(item) {
  if (!item) return "mensagem";
  if (item.direction === "in") {
    const m = item.message;
    if (m.type === "text") return m.text?.body ?? "";
    return `[${m.type}]`;
  }
  const b = item.body;
  if (item.type === "text") return b.text?.body ?? "";
  if (item.type === "interactive") return b.interactive?.body?.text ?? "[interativo]";
  if (item.type === "template") return item.rendered?.body ?? `[template ${b.template?.name}]`;
  return `[${item.type}]`;
}

/** @param {any} item */
function ticksFor(item) {
  const tick = el("span", { className: "tick" });
  if (item.direction === "out") {
    const glyphs = { accepted: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓", failed: "✗" };
    tick.textContent = glyphs[/** @type {keyof typeof glyphs} */ (item.status)] ?? item.status;
    tick.title = item.status;
    if (item.status === "read") tick.classList.add("read");
    if (item.status === "failed") {
      tick.classList.add("failed");
      const error = item.statuses.find((/** @type {any} */ s) => s.status === "failed")
        ?.errors?.[0];
      if (error) tick.title = `${error.code}: ${error.title}`;
    }
    return tick;
  }
  if (item.readByBusiness) {
    tick.textContent = "✓✓";
    tick.classList.add("read");
    tick.title = "lida pela empresa";
  } else if (item.deliveryState === "delivered") {
    tick.textContent = "✓✓";
    tick.title = "entregue ao webhook";
  } else if (item.deliveryState === "pending") {
    tick.textContent = "🕓";
    tick.title = "entregando ao webhook";
  } else if (item.deliveryState === null || item.deliveryState === "no_target") {
    tick.textContent = "✓";
    tick.title = "nenhum webhook configurado";
  } else {
    tick.textContent = "!";
    tick.classList.add("failed");
    tick.title = `webhook: ${item.deliveryState}`;
  }
  return tick;
}

/**
 * Renders a media object (business or customer side).
 * @param {HTMLElement} bubble @param {string} type @param {any} media
 */
function renderMedia(bubble, type, media) {
  if (!media) return;
  if (media.id && (type === "image" || type === "sticker")) {
    const img = /** @type {HTMLImageElement} */ (el("img"));
    img.src = `${api}/media/${encodeURIComponent(media.id)}`;
    img.alt = media.caption ?? type;
    bubble.append(img);
  } else if (media.id) {
    const link = /** @type {HTMLAnchorElement} */ (
      el("a", { text: `📎 ${media.filename ?? type}` })
    );
    link.href = `${api}/media/${encodeURIComponent(media.id)}`;
    link.target = "_blank";
    link.rel = "noopener noreferrer";
    bubble.append(link);
  } else if (media.link) {
    bubble.append(el("div", { text: `📎 ${type}: ${media.link}` }));
  }
  if (media.caption) bubble.append(el("div", { text: media.caption }));
}

/** @param {HTMLElement} bubble @param {string} label @param {() => void} onClick @param {string} [description] */
function choice(bubble, label, onClick, description) {
  let box = bubble.querySelector(".choices");
  if (!box) {
    box = el("div", { className: "choices" });
    bubble.append(box);
  }
  const button = el("button", { text: label });
  button.setAttribute("type", "button");
  if (description) button.append(el("span", { className: "row-description", text: description }));
  button.addEventListener("click", onClick);
  box.append(button);
}

/** @param {HTMLElement} bubble @param {any} item */
function renderBusiness(bubble, item) {
  const b = item.body;
  switch (item.type) {
    case "text":
      bubble.append(el("div", { text: b.text?.body ?? "" }));
      break;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      renderMedia(bubble, item.type, b[item.type]);
      break;
    case "location": {
      const l = b.location ?? {};
      bubble.append(
        el("div", {
          text: `📍 ${l.name ?? ""} ${l.address ?? ""} (${l.latitude}, ${l.longitude})`,
        }),
      );
      break;
    }
    case "contacts":
      for (const contact of b.contacts ?? []) {
        const phones = (contact.phones ?? []).map((/** @type {any} */ p) => p.phone).join(", ");
        bubble.append(el("div", { text: `👤 ${contact.name?.formatted_name ?? ""} ${phones}` }));
      }
      break;
    case "interactive":
      renderInteractive(bubble, item);
      break;
    case "template":
      renderTemplate(bubble, item);
      break;
    default:
      bubble.append(el("div", { text: `[${item.type}]` }));
  }
}

/** @param {HTMLElement} bubble @param {any} item */
function renderInteractive(bubble, item) {
  const i = item.body.interactive ?? {};
  if (i.header?.type === "text")
    bubble.append(el("div", { className: "header", text: i.header.text }));
  else if (i.header) renderMedia(bubble, i.header.type, i.header[i.header.type]);
  if (i.body?.text) bubble.append(el("div", { text: i.body.text }));
  if (i.footer?.text) bubble.append(el("div", { className: "footer", text: i.footer.text }));
  if (i.type === "button") {
    for (const button of i.action?.buttons ?? []) {
      choice(bubble, button.reply.title, () =>
        sendAsCustomer({
          type: "interactive",
          context: { id: item.wamid },
          interactive: {
            type: "button_reply",
            button_reply: { id: button.reply.id, title: button.reply.title },
          },
        }),
      );
    }
  } else if (i.type === "list") {
    const details = el("details");
    details.append(el("summary", { text: `☰ ${i.action?.button ?? "Opções"}` }));
    for (const section of i.action?.sections ?? []) {
      if (section.title) details.append(el("div", { className: "header", text: section.title }));
      for (const row of section.rows ?? []) {
        choice(
          details,
          row.title,
          () =>
            sendAsCustomer({
              type: "interactive",
              context: { id: item.wamid },
              interactive: {
                type: "list_reply",
                list_reply: {
                  id: row.id,
                  title: row.title,
                  ...(row.description ? { description: row.description } : {}),
                },
              },
            }),
          row.description,
        );
      }
    }
    bubble.append(details);
  } else if (i.type === "cta_url") {
    bubble.append(
      el("div", {
        text: `🔗 ${i.action?.parameters?.display_text ?? ""}: ${i.action?.parameters?.url ?? ""}`,
      }),
    );
  } else {
    bubble.append(el("div", { className: "footer", text: `[interactive ${i.type}]` }));
  }
}

/** @param {HTMLElement} bubble @param {any} item */
function renderTemplate(bubble, item) {
  const r = item.rendered;
  if (!r) {
    bubble.append(el("div", { text: `[template ${item.body.template?.name}]` }));
    return;
  }
  if (r.header?.text) bubble.append(el("div", { className: "header", text: r.header.text }));
  if (r.header?.media) renderMedia(bubble, r.header.format.toLowerCase(), r.header.media);
  bubble.append(el("div", { text: r.body }));
  if (r.footer) bubble.append(el("div", { className: "footer", text: r.footer }));
  for (const button of r.buttons ?? []) {
    if (button.type === "QUICK_REPLY") {
      choice(bubble, button.text, () =>
        sendAsCustomer({
          type: "button",
          context: { id: item.wamid },
          button: { text: button.text, payload: button.payload ?? button.text },
        }),
      );
    } else if (button.type === "URL") {
      bubble.append(
        el("div", { className: "footer", text: `🔗 ${button.text}: ${button.url ?? ""}` }),
      );
    } else {
      bubble.append(el("div", { className: "footer", text: `[${button.type}] ${button.text}` }));
    }
  }
}

/** @param {HTMLElement} bubble @param {any} m */
function renderMine(bubble, m) {
  switch (m.type) {
    case "text":
      bubble.append(el("div", { text: m.text?.body ?? "" }));
      break;
    case "image":
    case "video":
    case "audio":
    case "document":
    case "sticker":
      renderMedia(bubble, m.type, m[m.type]);
      break;
    case "location":
      bubble.append(
        el("div", { text: `📍 ${m.location?.name ?? ""} ${m.location?.address ?? ""}` }),
      );
      break;
    case "interactive": {
      const reply = m.interactive?.button_reply ?? m.interactive?.list_reply;
      bubble.append(el("div", { text: reply ? `↪ ${reply.title}` : "[interactive]" }));
      break;
    }
    case "button":
      bubble.append(el("div", { text: `↪ ${m.button?.text ?? ""}` }));
      break;
    default:
      bubble.append(el("div", { text: `[${m.type}]` }));
  }
}

/** @param {any[]} messages */
function render(messages) {
  const list = byId("messages");
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  list.replaceChildren();
  /** @type {Map<string, any>} */
  const byWamid = new Map(messages.map((m) => [m.wamid, m]));
  /** Latest reaction per target message, per side. @type {Map<string, string>} */
  const reactions = new Map();
  for (const item of messages) {
    if (item.direction === "in" && item.type === "reaction") {
      reactions.set(`me:${item.message.reaction?.message_id}`, item.message.reaction?.emoji ?? "");
    }
    if (item.direction === "out" && item.type === "reaction") {
      reactions.set(`biz:${item.body.reaction?.message_id}`, item.body.reaction?.emoji ?? "");
    }
  }
  for (const item of messages) {
    if (item.type === "reaction") continue;
    const mine = item.direction === "in";
    const li = el("li", { className: `msg ${mine ? "from-me" : "from-business"}` });
    if (mine && item.type === "system") li.className = "msg system";
    const contextId = mine ? item.message.context?.id : item.body.context?.message_id;
    if (contextId)
      li.append(el("div", { className: "quote", text: summary(byWamid.get(contextId)) }));
    if (mine) renderMine(li, item.message);
    else renderBusiness(li, item);
    const meta = el("div", { className: "meta" });
    meta.append(
      el("span", { text: mine ? clock(Number(item.message.timestamp)) : clockIso(item.createdAt) }),
    );
    meta.append(ticksFor(item));
    li.append(meta);
    const reaction = [reactions.get(`me:${item.wamid}`), reactions.get(`biz:${item.wamid}`)]
      .filter(Boolean)
      .join(" ");
    if (reaction) li.append(el("span", { className: "reactions", text: reaction }));
    if (!mine) {
      const actions = el("div", { className: "actions" });
      const replyButton = el("button", { text: "↩ responder" });
      replyButton.setAttribute("type", "button");
      replyButton.addEventListener("click", () =>
        setReply({ wamid: item.wamid, label: summary(item) }),
      );
      actions.append(replyButton);
      for (const emoji of [...reactionChoices, ""]) {
        const button = el("button", { text: emoji || "✕" });
        button.setAttribute("type", "button");
        button.setAttribute("aria-label", emoji ? `Reagir com ${emoji}` : "Remover reação");
        button.addEventListener("click", () =>
          sendAsCustomer({ type: "reaction", reaction: { message_id: item.wamid, emoji } }),
        );
        actions.append(button);
      }
      li.append(actions);
    }
    list.append(li);
  }
  if (atBottom) list.scrollTop = list.scrollHeight;
}

async function markRead() {
  if (!(/** @type {HTMLInputElement} */ (byId("auto-read")).checked)) return;
  if (document.visibilityState !== "visible") return;
  const unread = state.messages.some(
    (m) => m.direction === "out" && (m.status === "sent" || m.status === "delivered"),
  );
  if (unread) await call(`/conversations/${encodeURIComponent(state.phone)}/read`, {});
}

async function refresh() {
  if (state.refreshing) {
    state.again = true;
    return;
  }
  state.refreshing = true;
  try {
    const data = await call(`/conversations/${encodeURIComponent(state.phone)}`);
    state.messages = data.messages ?? [];
    render(state.messages);
    byId("typing").hidden = !data.typing;
    byId("business-status").textContent = data.typing ? "digitando…" : "online";
    await markRead();
  } catch (error) {
    showError(error);
  } finally {
    state.refreshing = false;
    if (state.again) {
      state.again = false;
      void refresh();
    }
  }
}

function showIdentity() {
  byId("identity-summary").textContent = `${state.name} (${state.phone})`;
  /** @type {HTMLInputElement} */ (byId("customer-phone")).value = state.phone;
  /** @type {HTMLInputElement} */ (byId("customer-name")).value = state.name;
}

async function start() {
  showIdentity();
  try {
    const info = await call("/info");
    byId("business-name").textContent = info.verifiedName;
    document.title = `${info.verifiedName} · emulated phone`;
  } catch (error) {
    showError(error);
  }

  byId("identity-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.phone = /** @type {HTMLInputElement} */ (byId("customer-phone")).value.trim();
    state.name = /** @type {HTMLInputElement} */ (byId("customer-name")).value.trim();
    localStorage.setItem("emulator.phone", state.phone);
    localStorage.setItem("emulator.name", state.name);
    showIdentity();
    void refresh();
  });

  byId("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const input = /** @type {HTMLInputElement} */ (byId("text"));
    const text = input.value;
    if (text.trim() === "") return;
    input.value = "";
    void sendAsCustomer({ type: "text", text: { body: text } });
  });

  byId("attach-toggle").addEventListener("click", () => {
    const panel = byId("attach");
    panel.hidden = !panel.hidden;
    byId("attach-toggle").setAttribute("aria-expanded", String(!panel.hidden));
  });

  byId("reply-cancel").addEventListener("click", () => setReply(null));

  for (const kind of /** @type {const} */ (["image", "document"])) {
    const input = /** @type {HTMLInputElement} */ (byId(`${kind}-file`));
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      input.value = "";
      if (!file) return;
      const media = {
        data: await toBase64(file),
        mime_type: file.type || (kind === "image" ? "image/jpeg" : "application/octet-stream"),
        ...(kind === "document" ? { filename: file.name } : {}),
      };
      await sendAsCustomer({ type: kind, [kind]: media });
    });
  }

  byId("location-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = new FormData(/** @type {HTMLFormElement} */ (event.target));
    const text = (/** @type {string} */ key) => String(form.get(key) ?? "");
    void sendAsCustomer({
      type: "location",
      location: {
        latitude: Number(text("latitude")),
        longitude: Number(text("longitude")),
        ...(text("name") ? { name: text("name") } : {}),
        ...(text("address") ? { address: text("address") } : {}),
      },
    });
  });

  const events = new EventSource(`${api}/events`);
  events.addEventListener("change", (event) => {
    const change = JSON.parse(/** @type {MessageEvent} */ (event).data);
    const mine = state.messages.some((m) => m.customerKey === change.customerKey);
    if (!change.customerKey || mine || change.customerKey === state.phone) void refresh();
  });
  document.addEventListener("visibilitychange", () => void refresh());
  // The typing indicator expires on the server's clock; a slow poll catches it.
  setInterval(() => void refresh(), 5000);
  await refresh();
}

void start();
