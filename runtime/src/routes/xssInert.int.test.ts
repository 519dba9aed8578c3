import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, Dialog, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whatsappTemplateSyncer } from "../commands/whatsappTemplateSyncer.js";
import { type ApiCall, apiCall, sessionCookie } from "../test/api.js";
import { screenshotDir } from "../test/browser.js";
import { type BrowserStack, signInOnPage, startBrowserStack } from "../test/browserSession.js";
import { buildUser } from "../test/factories.js";
import type { TestComponents } from "../test/support.js";
import type { WhatsappStack } from "../test/whatsappStack.js";

// Script-looking text in every field that reaches a screen — from the customer's phone, from
// other users, from request headers — shown in Debian's Chromium as plain text that never runs
// and never becomes an element; where validation refuses it, the refusal is what is shown.
let harness: BrowserStack;
let components: TestComponents;
let stack: WhatsappStack;
let browser: Browser;
/** The admin's API calls, beside the browser. */
let api: ApiCall;
let admin: { email: string; password: string };

const PAYLOADS = [
  "<img src=x onerror=window.__xss=1>",
  "<script>window.__xss=1</script>",
  '"><svg onload=window.__xss=1>',
  "javascript:window.__xss=1",
  "{{constructor.constructor('window.__xss=1')()}}",
] as const;
const payload = (index: number): string => PAYLOADS[index % PAYLOADS.length] as string;

beforeAll(async () => {
  harness = await startBrowserStack("xss", {
    mediaDir: true,
    stack: { mediaRetryDelayMs: 50, sendRetryDelayMs: 50 },
  });
  ({ components, stack, browser } = harness);
  const built = await buildUser(components.db, { role: "admin", name: "Admin Segura" });
  admin = { email: built.user.email, password: built.password };
  api = apiCall(
    stack.server.url,
    await sessionCookie(stack.server.url, admin.email, admin.password),
  );
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

/** The conversation a customer message was stored in (found by its wamid). */
async function conversationOfMessage(wamid: string): Promise<number> {
  let id: number | undefined;
  await expect
    .poll(
      async () => {
        id = (await components.db("messages").where({ wamid }).first("conversation_id"))
          ?.conversation_id;
        return id;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  return Number(id);
}

/** An admin's page that records every dialog and uncaught error. */
async function adminPage(): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on("dialog", (dialog: Dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await signInOnPage(page, stack.server.url, admin, "home");
  return { page, dialogs, errors };
}

/**
 * Elements a payload would have created had it been parsed as markup, searched through every
 * shadow root: the components render into shadow DOM, where `document.querySelectorAll` does not look.
 */
const INJECTED = `(() => {
  const found = [];
  const visit = (root) => {
    for (const element of root.querySelectorAll("*")) {
      const tag = element.tagName.toLowerCase();
      const handlers = [...element.attributes].filter((attribute) => attribute.name.startsWith("on"));
      if (handlers.length > 0) found.push(tag + "[" + handlers.map((a) => a.name).join(",") + "]");
      if (tag === "svg" && element.closest("[data-icon]") === null && element.innerHTML.includes("__xss")) found.push("svg");
      if (tag === "script" && element.textContent.includes("__xss")) found.push("script");
      if (tag === "img" && element.getAttribute("src") === "x") found.push("img[src=x]");
      const href = element.getAttribute("href");
      if (href !== null && /^\\s*javascript:/i.test(href)) found.push(tag + "[href=javascript:]");
      if (element.shadowRoot) visit(element.shadowRoot);
    }
  };
  visit(document);
  return found;
})()`;

/** Nothing ran, nothing was injected, no dialog opened. */
async function expectInert(screen: {
  page: Page;
  dialogs: string[];
  errors: string[];
}): Promise<void> {
  const { page } = screen;
  expect(await page.evaluate("typeof window.__xss")).toBe("undefined");
  expect(await page.evaluate(INJECTED)).toEqual([]);
  expect(screen.dialogs).toEqual([]);
  expect(screen.errors).toEqual([]);
}

describe("script-looking text in a real browser", () => {
  it("shows every customer-supplied and user-supplied field as inert text in the inbox", async () => {
    const { control } = stack.emulator;
    const base = `55219${String(Date.now() % 1e6).padStart(6, "0")}`;
    // One customer per payload as their WhatsApp profile name.
    const named = PAYLOADS.map((name, index) =>
      control.receive({ from: `${base}0${index}`, name, type: "text", text: `Oi ${index}` }),
    );
    // One customer sending every kind of message, each carrying a payload.
    const from = `${base}99`;
    const customer = { from, name: "Cliente Marcação" };
    const first = control.receive({ ...customer, type: "text", text: payload(0) });
    for (let index = 1; index < PAYLOADS.length; index += 1) {
      control.receive({ ...customer, type: "text", text: payload(index) });
    }
    control.receive({ ...customer, type: "image", image: { caption: payload(0) } });
    control.receive({
      ...customer,
      type: "document",
      document: { filename: payload(2), caption: payload(1) },
    });
    control.receive({
      ...customer,
      type: "location",
      location: { latitude: -23.5, longitude: -46.6, name: payload(2), address: payload(3) },
    });
    control.receive({
      ...customer,
      type: "contacts",
      contacts: [{ name: { formatted_name: payload(4), first_name: "X" } }],
    });
    control.receive({
      ...customer,
      type: "interactive",
      interactive: { type: "list_reply", list_reply: { id: "x", title: payload(1) } },
    });
    const conversationId = await conversationOfMessage(first.wamid);
    for (const message of named) await conversationOfMessage(message.wamid);
    await expect
      .poll(
        async () =>
          (
            await components
              .db("messages")
              .where({ conversation_id: conversationId })
              .count({ n: "*" })
          )[0]?.n,
        { timeout: 15_000 },
      )
      .toBe(PAYLOADS.length + 5);

    // Notes and quick replies written by users.
    for (const body of PAYLOADS) {
      expect((await api("POST", `/conversations/${conversationId}/notes`, { body })).status).toBe(
        201,
      );
    }
    for (const [index, text] of PAYLOADS.entries()) {
      const created = await api("POST", "/quick-replies", {
        shortcut: `xss${index}`,
        title: text,
        body: text,
      });
      expect(created.status).toBe(201);
    }

    const screen = await adminPage();
    const { page } = screen;
    for (const name of PAYLOADS) {
      await page.getByRole("button", { name }).first().waitFor({ timeout: 15_000 });
    }
    // A long unbroken name wraps inside its row: the time and unread count stay visible.
    const longRow = page.getByRole("button", { name: payload(4) }).first();
    const rowBox = await longRow.boundingBox();
    for (const part of [".list__time", ".list__unread"]) {
      const box = await longRow.locator(part).boundingBox();
      expect(box && rowBox && box.x + box.width <= rowBox.x + rowBox.width).toBe(true);
    }
    await page.getByRole("button", { name: /Cliente Marcação/ }).click();
    const thread = page.getByRole("region", { name: "Conversa com Cliente Marcação" });
    await thread.waitFor();
    for (const text of PAYLOADS) {
      await thread.getByText(text, { exact: true }).first().waitFor();
    }
    await thread.getByRole("img", { name: `Foto: ${payload(0)}` }).waitFor();
    expect(await thread.getByText(payload(0)).count()).toBeGreaterThanOrEqual(2);
    // Caption, file name, place, shared contact and the tapped list row.
    await thread.getByText(payload(3)).first().waitFor();
    expect(await thread.getByText(payload(2)).count()).toBeGreaterThanOrEqual(3);
    expect(await thread.getByText(payload(1)).count()).toBeGreaterThanOrEqual(3);
    expect(await thread.getByText(payload(3)).count()).toBeGreaterThanOrEqual(2);
    expect(await thread.getByText(payload(4)).count()).toBeGreaterThanOrEqual(2);
    const notes = page.locator("at-conversation-notes");
    for (const text of PAYLOADS) await notes.getByText(text, { exact: true }).waitFor();

    // Quick replies in the composer's menu.
    const composer = thread.getByLabel("Mensagem", { exact: true });
    await composer.pressSequentially("/xss");
    const menu = thread.getByRole("listbox", { name: "Respostas rápidas" });
    await expect.poll(() => menu.getByRole("option").count()).toBe(PAYLOADS.length);
    for (const text of PAYLOADS) {
      expect(await menu.getByText(text).count()).toBeGreaterThanOrEqual(1);
    }
    await composer.press("Escape");
    await composer.fill("");

    // A tag: the contact panel refuses markup and says why.
    const panel = page.locator("at-contact-panel");
    for (const text of PAYLOADS) {
      await panel.getByLabel("Nova etiqueta").fill(text);
      await panel.getByRole("button", { name: "Adicionar etiqueta" }).click();
      await panel.getByText("Use até 40 letras, números, espaços, - ou _.").waitFor();
    }
    expect(
      await components
        .db("contact_tags as t")
        .join("conversations as c", "c.contact_id", "t.contact_id")
        .where("c.id", conversationId)
        .count({ n: "*" }),
    ).toEqual([{ n: 0 }]);
    await page.screenshot({ path: path.join(screenshotDir, "xss-inbox.png") });
    await expectInert(screen);

    // A customer whose profile name is markup: the header and the contact panel show it as text.
    // In the list: the thread has buttons with that text too (the tapped list row).
    await page
      .locator("at-conversation-list")
      .getByRole("button", { name: payload(2) })
      .first()
      .click();
    await page.getByRole("region", { name: `Conversa com ${payload(2)}` }).waitFor();
    await panel.getByText(payload(2), { exact: true }).waitFor();
    await expectInert(screen);
    await page.close();
  }, 120_000);

  it("shows a template's body as text and refuses markup as a template name", async () => {
    const { control } = stack.emulator;
    control.addTemplate(
      {
        name: "xss_corpo",
        language: "pt_BR",
        category: "UTILITY",
        components: [{ type: "BODY", text: PAYLOADS.slice(0, 4).join(" ") }],
      },
      "APPROVED",
    );
    await whatsappTemplateSyncer({
      db: components.db,
      store: stack.server.whatsappSettings,
      actorUserId: null,
    });
    for (const name of [payload(0), payload(2), "xss_<b>"]) {
      const refused = await api("POST", "/whatsapp/templates", {
        name,
        language: "pt_BR",
        category: "UTILITY",
        components: [{ type: "BODY", text: "Olá" }],
      });
      expect(refused.status).toBe(400);
    }
    const wamid = control.receive({
      from: `55218${String(Date.now() % 1e7).padStart(7, "0")}`,
      name: "Cliente Modelo",
      type: "text",
      text: "Oi",
    }).wamid;
    const conversationId = await conversationOfMessage(wamid);
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) });

    const screen = await adminPage();
    const { page } = screen;
    await page.getByRole("button", { name: /Cliente Modelo/ }).click();
    const thread = page.getByRole("region", { name: "Conversa com Cliente Modelo" });
    await thread.getByLabel("Modelo", { exact: true }).selectOption({ label: "xss_corpo (pt_BR)" });
    const preview = thread.getByRole("region", { name: "Prévia" });
    await expect.poll(() => preview.textContent()).toContain(PAYLOADS.slice(0, 4).join(" "));
    await expectInert(screen);

    await page.goto(`${stack.server.url}/settings/whatsapp`);
    await page.getByText("xss_corpo").first().waitFor({ timeout: 10_000 });
    // The new-template form refuses markup as a name and says why.
    const templatesBefore = control.templates().length;
    await page.getByRole("button", { name: "Novo modelo" }).click();
    const form = page.locator("at-template-form");
    await form.getByLabel("Nome").fill(payload(0));
    await form.getByLabel("Corpo da mensagem").fill(payload(1));
    await form.getByRole("button", { name: "Enviar para aprovação" }).click();
    await form.getByText("Use só letras minúsculas").waitFor();
    expect(await form.getByLabel("Nome").getAttribute("aria-invalid")).toBe("true");
    expect(control.templates()).toHaveLength(templatesBefore);
    await expectInert(screen);
    await page.close();
  }, 90_000);

  it("shows users' and roles' names, sign-in user agents and report rows as inert text", async () => {
    const userIds: number[] = [];
    for (const [index, name] of PAYLOADS.entries()) {
      const created = await api("POST", "/users", {
        name,
        email: `xss${index}-${randomBytes(3).toString("hex")}@example.com`,
        role: "agent",
      });
      expect(created.status).toBe(201);
      userIds.push(Number((created.body.data as { user: { id: number } }).user.id));
    }
    for (const [index, name] of PAYLOADS.entries()) {
      const created = await api("POST", "/roles", {
        key: `xss-${index}-${randomBytes(2).toString("hex")}`,
        name: name.slice(0, 80),
        permissions: ["conversations.viewAssigned"],
      });
      expect(created.status).toBe(201);
    }
    // Failed sign-ins whose browser says it is a payload.
    for (const userAgent of PAYLOADS) {
      await fetch(`${stack.server.url}/api/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": userAgent },
        body: JSON.stringify({ email: "xss-visitante@example.com", password: "errada" }),
      });
    }
    // A conversation for each payload-named agent, so the report groups rows by those names.
    const { control } = stack.emulator;
    for (const [index, userId] of userIds.entries()) {
      const { wamid } = control.receive({
        from: `55217${String(Date.now() % 1e6).padStart(6, "0")}${index}`,
        name: `Cliente Relatório ${index}`,
        type: "text",
        text: "Oi",
      });
      const conversationId = await conversationOfMessage(wamid);
      await components
        .db("conversations")
        .where({ id: conversationId })
        .update({ assigned_user_id: userId, assigned_at: new Date() });
    }

    const screen = await adminPage();
    const { page } = screen;
    await page.goto(`${stack.server.url}/settings/users`);
    await page.getByRole("heading", { name: "Usuários", level: 1 }).waitFor();
    for (const name of PAYLOADS) await page.getByRole("row", { name }).first().waitFor();
    await expectInert(screen);

    await page.goto(`${stack.server.url}/settings/roles`);
    for (const name of PAYLOADS) await page.getByText(name.slice(0, 80)).first().waitFor();
    await expectInert(screen);

    await page.goto(`${stack.server.url}/settings/audit`);
    await page.getByLabel("Ação").fill("sessions.fail");
    await page.getByRole("button", { name: "Filtrar" }).click();
    for (const userAgent of PAYLOADS) {
      await page.getByRole("row", { name: userAgent }).first().waitFor();
    }
    await expectInert(screen);

    await page.goto(`${stack.server.url}/settings/reports`);
    await page.getByLabel("Agrupar por").selectOption("agent");
    await page.getByRole("button", { name: "Atualizar" }).click();
    for (const name of PAYLOADS) await page.getByRole("row", { name }).first().waitFor();
    await expectInert(screen);

    // The inbox names each conversation's agent, and offers them as transfer targets.
    await page.goto(`${stack.server.url}/`);
    for (const name of PAYLOADS) {
      await page
        .getByRole("button", { name: /Cliente Relatório/ })
        .filter({ hasText: `Com ${name}` })
        .waitFor({ timeout: 10_000 });
    }
    await page.getByRole("button", { name: /Cliente Relatório 0/ }).click();
    const picker = page.getByLabel("Transferir para");
    // Everyone but its current agent (the first payload).
    for (const name of PAYLOADS.slice(1)) {
      await expect
        .poll(() => picker.locator("option").allTextContents(), { timeout: 10_000 })
        .toContainEqual(expect.stringContaining(name));
    }
    await expectInert(screen);
    await page.close();
  }, 90_000);
});
