import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { UserRole } from "../../contracts/api.js";
import type { User } from "../models/User.js";
import { apiCall, signIn as apiSignIn } from "../test/api.js";
import { screenshotDir } from "../test/browser.js";
import { type BrowserStack, signInOnPage, startBrowserStack } from "../test/browserSession.js";
import { buildUser, contactColumns, phoneHash } from "../test/factories.js";
import type { TestComponents } from "../test/support.js";
import type { WhatsappStack } from "../test/whatsappStack.js";

// Several agents in one inbox, each in their own browser (Debian's Chromium) against an
// in-process runtime and the Cloud API emulator: live assignment, the claim race, transfers,
// resolve/reopen, private notes, the contact panel, filters, typing, notifications, English.
let harness: BrowserStack;
let components: TestComponents;
let stack: WhatsappStack;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

beforeAll(async () => {
  harness = await startBrowserStack("collab");
  ({ components, stack, browser } = harness);
}, 120_000);

afterEach(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  expect(problems.splice(0)).toEqual([]);
});

afterAll(async () => {
  await harness?.close();
});

/** Records browser notifications instead of showing them (headless Chromium has no desktop). */
const fakeNotifications = () => {
  const shown: Array<{ title: string; body: string | undefined }> = [];
  (globalThis as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
  class FakeNotification {
    static permission = "granted";
    static requestPermission = async () => "granted";
    onclick: (() => void) | null = null;
    constructor(title: string, options?: { body?: string }) {
      shown.push({ title, body: options?.body });
    }
    close(): void {}
  }
  (globalThis as unknown as { Notification: unknown }).Notification = FakeNotification;
  // Counts chimes: each one starts oscillators on an AudioContext.
  const scope = globalThis as unknown as {
    chimes: number;
    AudioContext: { prototype: { createOscillator: () => unknown } };
  };
  scope.chimes = 0;
  const createOscillator = scope.AudioContext.prototype.createOscillator;
  scope.AudioContext.prototype.createOscillator = function (this: unknown) {
    scope.chimes += 1;
    return createOscillator.call(this);
  };
};

/**
 * Keeps the page's WebSockets reachable (`openSockets`) so a test can cut the connection the
 * way a network drop does; Socket.IO then reconnects by itself.
 */
const trackSockets = `
  const Native = globalThis.WebSocket;
  globalThis.openSockets = [];
  globalThis.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      globalThis.openSockets.push(this);
    }
  };
`;

async function signIn(role: UserRole, name: string): Promise<{ page: Page; user: User }> {
  const { user, password } = await buildUser(components.db, { role, name });
  const context = await browser.newContext({ viewport: { width: 1400, height: 860 } });
  contexts.push(context);
  await context.addInitScript(fakeNotifications);
  await context.addInitScript({ content: trackSockets });
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`${name}: ${error.message}`));
  await signInOnPage(page, stack.server.url, { email: user.email, password });
  return { page, user };
}

/** A customer writes in: a new, unassigned conversation. */
function customerWrites(from: string, name: string, text: string): void {
  stack.emulator.control.receive({ from, name, type: "text", text });
}

async function conversationIdOf(waId: string): Promise<number> {
  const row = await components
    .db("conversations as c")
    .join("contacts as ct", "ct.id", "c.contact_id")
    .where("ct.wa_id_hash", phoneHash(components.env, waId))
    .first("c.id");
  return row.id as number;
}

const row = (page: Page, name: string) => page.getByRole("button", { name: new RegExp(name) });
const actions = (page: Page) => page.locator("at-conversation-actions");

describe("agents working the inbox together", () => {
  it("shows a new conversation to both agents, the claim live to a manager, and who won a stale claim", async () => {
    const ana = await signIn("agent", "Ana Agente");
    const bruno = await signIn("agent", "Bruno Agente");
    const gina = await signIn("manager", "Gina Supervisora");

    customerWrites("5511900000001", "Carla Cliente", "Oi, preciso de ajuda");
    await row(ana.page, "Carla Cliente").waitFor({ timeout: 15_000 });
    await row(bruno.page, "Carla Cliente").waitFor({ timeout: 15_000 });
    await expect.poll(() => row(bruno.page, "Carla Cliente").textContent()).toContain("Na fila");
    // One message, counted once (the new conversation's event already includes it).
    await bruno.page.waitForTimeout(500);
    expect(
      (await row(bruno.page, "Carla Cliente").locator(".list__unread").textContent())?.trim(),
    ).toBe("1");

    await row(ana.page, "Carla Cliente").click();
    await ana.page.getByRole("button", { name: "Assumir", exact: true }).click();
    await actions(ana.page).getByText("Com você").waitFor();
    // The manager's list follows without a reload.
    await expect
      .poll(() => row(gina.page, "Carla Cliente").textContent(), { timeout: 10_000 })
      .toContain("Com Ana Agente");

    customerWrites("5511900000002", "Davi Cliente", "Bom dia");
    await row(bruno.page, "Davi Cliente").waitFor({ timeout: 15_000 });
    await row(bruno.page, "Davi Cliente").click();
    const take = bruno.page.getByRole("button", { name: "Assumir", exact: true });
    await take.waitFor();
    // Ana takes it in a way Bruno's screen does not hear about: his screen is stale.
    const daviId = await conversationIdOf("5511900000002");
    await components
      .db("conversations")
      .where({ id: daviId })
      .update({ assigned_user_id: ana.user.id, assigned_at: new Date() });
    await take.click();
    await bruno.page.getByText("Ana Agente já assumiu esta conversa.").waitFor();
    // It is Ana's now: it leaves Bruno's list, while the message stays on screen.
    await expect.poll(() => row(bruno.page, "Davi Cliente").count()).toBe(0);
    await bruno.page.getByText("Ana Agente já assumiu esta conversa.").waitFor();
    expect(
      (await components.db("conversations").where({ id: daviId }).first("assigned_user_id"))
        .assigned_user_id,
    ).toBe(ana.user.id);

    // A message for a conversation Bruno has not open: a notification with the text as text.
    await bruno.page.getByText("Avisos", { exact: true }).click();
    await bruno.page.getByLabel("Notificações do navegador").check();
    await bruno.page.getByText("Avisos", { exact: true }).click();
    customerWrites("5511900000003", "Eva Cliente", "Olá <b>time</b> <img src=x onerror=alert(1)>");
    await expect
      .poll(
        () =>
          bruno.page.evaluate(
            () =>
              (
                globalThis as unknown as {
                  shownNotifications: Array<{ title: string; body?: string }>;
                }
              ).shownNotifications,
          ),
        { timeout: 15_000 },
      )
      .toContainEqual({
        title: "Nova mensagem de Eva Cliente",
        body: "Olá <b>time</b> <img src=x onerror=alert(1)>",
      });
    expect(await bruno.page.locator("at-inbox-shell img").count()).toBe(0);
    const chimes = () =>
      bruno.page.evaluate(() => (globalThis as unknown as { chimes: number }).chimes);
    expect(await chimes()).toBeGreaterThan(0);

    // With the sound turned off, the next message is silent.
    await bruno.page.getByText("Avisos", { exact: true }).click();
    await bruno.page.getByLabel("Som").uncheck();
    const before = await chimes();
    await bruno.page.waitForTimeout(1_100);
    customerWrites("5511900000004", "Fábia Cliente", "Mais uma");
    await row(bruno.page, "Fábia Cliente").waitFor({ timeout: 15_000 });
    expect(await chimes()).toBe(before);
  }, 60_000);

  it("moves a transferred conversation out of the first agent's Minhas and into the second's", async () => {
    const ana = await signIn("agent", "Ana Transfer");
    const bruno = await signIn("agent", "Bruno Transfer");
    const gina = await signIn("manager", "Gina Gerente");

    customerWrites("5511900000011", "Elisa Cliente", "Quero trocar um produto");
    await row(ana.page, "Elisa Cliente").waitFor({ timeout: 15_000 });
    await row(ana.page, "Elisa Cliente").click();
    await ana.page.getByRole("button", { name: "Assumir", exact: true }).click();
    await actions(ana.page).getByText("Com você").waitFor();
    await ana.page.getByRole("button", { name: "Minhas" }).click();
    await bruno.page.getByRole("button", { name: "Minhas" }).click();
    await expect.poll(() => row(ana.page, "Elisa Cliente").count()).toBe(1);
    await expect.poll(() => row(bruno.page, "Elisa Cliente").count()).toBe(0);

    await row(gina.page, "Elisa Cliente").click();
    const picker = gina.page.getByLabel("Transferir para");
    // The picker shows who is online: Bruno is signed in.
    await expect
      .poll(() => picker.locator(`option[value="agent:${bruno.user.id}"]`).textContent())
      .toContain("(online)");
    await picker.selectOption(`agent:${bruno.user.id}`);
    await gina.page.getByRole("button", { name: "Transferir", exact: true }).click();
    await actions(gina.page).getByText("Com Bruno Transfer").waitFor();

    await expect.poll(() => row(ana.page, "Elisa Cliente").count(), { timeout: 10_000 }).toBe(0);
    // Ana had it open: she is told where it went, and it closes (agents see only their own).
    await ana.page.getByText("A conversa foi transferida para Bruno Transfer.").waitFor();
    await row(bruno.page, "Elisa Cliente").waitFor({ timeout: 10_000 });
    await row(bruno.page, "Elisa Cliente").click();
    await actions(bruno.page).getByText("Com você").waitFor();
    await bruno.page.getByRole("region", { name: /Conversa com Elisa Cliente/ }).waitFor();
    await bruno.page.getByText("Quero trocar um produto").last().waitFor();
    await bruno.page.screenshot({ path: path.join(screenshotDir, "inbox-collaboration.png") });

    // Bruno gives it back to the queue: it leaves his Minhas, and Ana's Não atribuídas has it.
    await ana.page.getByRole("button", { name: "Não atribuídas" }).click();
    await bruno.page.getByRole("button", { name: "Devolver à fila" }).click();
    await actions(bruno.page).getByText("Na fila, sem atendente").waitFor();
    await expect.poll(() => row(bruno.page, "Elisa Cliente").count()).toBe(0);
    await row(ana.page, "Elisa Cliente").waitFor({ timeout: 10_000 });
  });

  it("follows an administrator's change of the agent's own role at once, without a reload", async () => {
    const owner = await buildUser(components.db, { role: "agent", name: "Olavo Dono" });
    customerWrites("5511900000051", "Olga Cliente", "Minha fatura veio errada");
    await expect
      .poll(() => conversationIdOf("5511900000051").catch(() => undefined), { timeout: 15_000 })
      .toBeDefined();
    const olgaId = await conversationIdOf("5511900000051");
    // Someone else's conversation: an agent does not see it.
    await components.db("conversations").where({ id: olgaId }).update({
      assigned_user_id: owner.user.id,
    });
    const ana = await signIn("agent", "Ana Promovida");
    const header = ana.page.locator(".inbox__role");
    await expect.poll(() => header.textContent()).toBe("Atendente");
    expect(await row(ana.page, "Olga Cliente").count()).toBe(0);
    const reports = ana.page.getByRole("link", { name: "Relatórios" });
    expect(await reports.count()).toBe(0);

    const admin = apiCall(
      stack.server.url,
      (await apiSignIn(stack.server.url, components.db, { role: "admin" })).cookie,
    );
    // Promoted: her screen follows the session, not the one she signed in with.
    expect((await admin("PATCH", `/users/${ana.user.id}`, { role: "manager" })).status).toBe(200);
    await expect.poll(() => header.textContent(), { timeout: 10_000 }).toBe("Gerente");
    await reports.waitFor();
    await row(ana.page, "Olga Cliente").waitFor({ timeout: 10_000 });
    await row(ana.page, "Olga Cliente").click();
    await ana.page.getByText("Minha fatura veio errada").last().waitFor();

    // Demoted while the conversation is open: it closes, saying why, and leaves the list.
    expect((await admin("PATCH", `/users/${ana.user.id}`, { role: "agent" })).status).toBe(200);
    await ana.page
      .getByText("Você não tem mais acesso a esta conversa.")
      .waitFor({ timeout: 10_000 });
    await expect.poll(() => header.textContent()).toBe("Atendente");
    expect(await row(ana.page, "Olga Cliente").count()).toBe(0);
    expect(await reports.count()).toBe(0);
    expect(await ana.page.getByText("Minha fatura veio errada").count()).toBe(0);
  });

  it("shows a customer's consent decision in the open contact panel as it happens", async () => {
    const ana = await signIn("agent", "Ana Consentimento");
    customerWrites("5511900000061", "Rita Cliente", "Oi, quero saber do meu pedido");
    await row(ana.page, "Rita Cliente").waitFor({ timeout: 15_000 });
    await row(ana.page, "Rita Cliente").click();
    const panel = ana.page.locator("at-contact-panel");
    const consent = panel.locator(".panel__consent");
    // This tenant does not ask; an opt-out is honoured all the same.
    await consent.getByText("Não perguntado").waitFor({ timeout: 10_000 });

    customerWrites("5511900000061", "Rita Cliente", "SAIR");
    await consent.getByText("Revogado").waitFor({ timeout: 10_000 });
    customerWrites("5511900000061", "Rita Cliente", "voltar");
    await consent.getByText("Concedido").waitFor({ timeout: 10_000 });
    await panel.getByText("Histórico de consentimento").click();
    await expect.poll(() => panel.locator(".panel__records li").count()).toBe(2);
  });

  it("resolves and reopens, filters by status, searches, keeps notes private and inert, edits tags, shows who is typing", async () => {
    const ana = await signIn("agent", "Ana Notas");
    const gina = await signIn("manager", "Gina Etiquetas");

    customerWrites("5511900000021", "Fábio Cliente", "Meu pedido-xyz atrasou");
    customerWrites("5511900000022", "Helena Cliente", "Outra dúvida");
    await row(ana.page, "Fábio Cliente").waitFor({ timeout: 15_000 });
    await row(ana.page, "Helena Cliente").waitFor({ timeout: 15_000 });

    // Search by name, by number, by message text (debounced).
    const search = ana.page.getByRole("searchbox", { name: "Buscar por nome, número ou texto" });
    for (const query of ["Fábio", "5511900000021", "pedido-xyz"]) {
      await search.fill(query);
      await expect.poll(() => row(ana.page, "Helena Cliente").count()).toBe(0);
      await expect.poll(() => row(ana.page, "Fábio Cliente").count()).toBe(1);
    }
    await search.fill("");
    await row(ana.page, "Helena Cliente").waitFor();

    await row(ana.page, "Fábio Cliente").click();
    // An agent may only transfer what they hold.
    await ana.page.getByRole("button", { name: "Assumir", exact: true }).waitFor();
    expect(await ana.page.getByLabel("Transferir para").count()).toBe(0);
    await ana.page.getByRole("button", { name: "Assumir", exact: true }).click();
    await ana.page.getByLabel("Transferir para").waitFor();
    await ana.page.getByRole("button", { name: "Resolver" }).click();
    await actions(ana.page).getByText("Resolvida").waitFor();
    const status = ana.page.getByRole("combobox", { name: "Situação" });
    await status.selectOption("open");
    await expect.poll(() => row(ana.page, "Fábio Cliente").count()).toBe(0);
    await expect.poll(() => row(ana.page, "Helena Cliente").count()).toBe(1);
    await status.selectOption("resolved");
    await row(ana.page, "Fábio Cliente").click();
    await ana.page.getByRole("button", { name: "Reabrir" }).click();
    await actions(ana.page).getByText("Aberta").waitFor();
    // Reopened, it no longer matches "Resolvidas".
    await expect.poll(() => row(ana.page, "Fábio Cliente").count()).toBe(0);
    const fabioId = await conversationIdOf("5511900000051");
    expect(
      (await components.db("conversations").where({ id: fabioId }).first("status")).status,
    ).toBe("open");
    await status.selectOption("");

    // Gina (a manager) watches the same conversation.
    await row(gina.page, "Fábio Cliente").click();
    await gina.page.locator("at-contact-panel").getByText("+5511900000021").waitFor();

    const note = "Cliente <b>VIP</b> <img src=x onerror=alert(1)> ligar amanhã";
    await ana.page.getByLabel("Nova nota privada").fill(note);
    await ana.page.getByRole("button", { name: "Adicionar nota" }).click();
    await ana.page.locator("at-conversation-notes").getByText(note).waitFor();
    // Gina sees it arrive, as text.
    await gina.page.locator("at-conversation-notes").getByText(note).waitFor({ timeout: 10_000 });
    expect(
      await gina.page.locator("at-conversation-notes img, at-conversation-notes b").count(),
    ).toBe(0);
    // Notes are never sent to the customer.
    expect(stack.emulator.control.messages({ to: "5511900000021" })).toHaveLength(0);

    // Agents cannot edit tags; managers can.
    expect(await ana.page.getByLabel("Nova etiqueta").count()).toBe(0);
    const panel = gina.page.locator("at-contact-panel");
    await panel.getByLabel("Nova etiqueta").fill("cliente vip");
    await panel.getByRole("button", { name: "Adicionar etiqueta" }).click();
    await panel.getByRole("button", { name: "Remover etiqueta cliente vip" }).waitFor();
    await panel.getByLabel("Nova etiqueta").fill("<script>");
    await panel.getByRole("button", { name: "Adicionar etiqueta" }).click();
    await panel.getByText("Use até 40 letras, números, espaços, - ou _.").waitFor();
    const contact = await components
      .db("contacts")
      .where({ wa_id_hash: phoneHash(components.env, "5511900000021") })
      .first("id");
    expect(
      (await components.db("contact_tags").where({ contact_id: contact.id }).select("tag")).map(
        (tag) => tag.tag,
      ),
    ).toEqual(["cliente vip"]);

    // Ana types: Gina sees it above the thread.
    await ana.page.getByLabel("Mensagem").pressSequentially("Oi F");
    await gina.page.getByText("Ana Notas está digitando…").waitFor({ timeout: 10_000 });
    await gina.page.screenshot({ path: path.join(screenshotDir, "contact-panel.png") });
    await expect
      .poll(() => gina.page.getByText("Ana Notas está digitando…").count(), { timeout: 10_000 })
      .toBe(0);
  });

  it("shows the inbox in English with ?lang=en", async () => {
    const { page } = await signIn("manager", "Iara Manager");
    customerWrites("5511900000031", "Jonas Customer", "Hello there");
    await page.goto(`${stack.server.url}/?lang=en`);
    await page.getByText("Connected").waitFor();
    await page.getByRole("heading", { name: "Conversations" }).waitFor();
    for (const name of ["Mine", "Unassigned", "All", "Sign out"]) {
      await page.getByRole("button", { name, exact: true }).waitFor();
    }
    await page.getByText("Pick a conversation from the list.").waitFor();
    await expect.poll(() => row(page, "Jonas Customer").textContent()).toContain("In the queue");
    expect(await row(page, "Jonas Customer").textContent()).toContain("Open");
    await row(page, "Jonas Customer").click();
    await page.getByRole("button", { name: "Take it" }).waitFor();
    await page.getByRole("button", { name: "Resolve" }).waitFor();
    await page.getByLabel("Transfer to").waitFor();
    await page.getByRole("heading", { name: /Private notes/ }).waitFor();
    await page.getByRole("heading", { name: "Consent (LGPD)" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(await page.getByText("Minhas").count()).toBe(0);
  });

  it("catches up after a dropped connection with the events it missed, without reloading the list", async () => {
    const { page } = await signIn("manager", "Kátia Reconecta");
    customerWrites("5511900000041", "Lia Cliente", "Primeira mensagem");
    await row(page, "Lia Cliente").waitFor({ timeout: 15_000 });

    // The network drops and stays down while a customer writes.
    let blocked = true;
    await page
      .context()
      .route("**/socket.io/**", (route) => (blocked ? route.abort() : route.continue()));
    await page.evaluate("globalThis.openSockets.forEach((socket) => socket.close())");
    await page.getByText("Sem conexão").waitFor();
    customerWrites("5511900000042", "Mário Cliente", "Escrevi enquanto você estava fora");
    await expect
      .poll(
        async () =>
          (
            await components
              .db("messages as m")
              .join("conversations as c", "c.id", "m.conversation_id")
              .join("contacts as ct", "ct.id", "c.contact_id")
              .where("ct.wa_id_hash", phoneHash(components.env, "5511900000042"))
              .count({ count: "*" })
          )[0]?.count,
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(await row(page, "Mário Cliente").count()).toBe(0);

    const listReloads: string[] = [];
    page.on("request", (request) => {
      if (
        /\/api\/conversations(\?|$)/.test(
          new URL(request.url()).pathname + new URL(request.url()).search,
        )
      )
        listReloads.push(request.url());
    });
    blocked = false;
    await page.getByText("Conectado").waitFor({ timeout: 20_000 });
    await row(page, "Mário Cliente").waitFor({ timeout: 10_000 });
    expect(listReloads).toEqual([]);
  }, 60_000);

  it("pages through 10,000 conversations as the list scrolls and finds one by search", async () => {
    const { page, user } = await signIn("agent", "Nina Volume");
    const base = Date.parse("2026-01-01T00:00:00Z");
    for (let chunk = 0; chunk < 10; chunk += 1) {
      const contacts = Array.from({ length: 1_000 }, (_, index) => {
        const n = chunk * 1_000 + index;
        return contactColumns(components.env, {
          waId: `55219${String(n).padStart(8, "0")}`,
          name: `Volume ${n}`,
        });
      });
      await components.db("contacts").insert(contacts);
      const ids = await components
        .db("contacts")
        .whereIn(
          "wa_id_hash",
          contacts.map((contact) => contact.wa_id_hash as string),
        )
        .select("id", "name");
      await components.db("conversations").insert(
        ids.map((contact: { id: number; name: string }) => ({
          contact_id: contact.id,
          status: "open",
          assigned_user_id: user.id,
          last_message_at: new Date(base + Number(contact.name.split(" ")[1]) * 1_000),
        })),
      );
    }
    await page.reload();
    await page.getByText("Conectado").waitFor();
    await page.getByRole("button", { name: "Minhas" }).click();
    const rows = page.locator("at-conversation-list li");
    // Newest first, one page at a time.
    await row(page, "Volume 9999").waitFor({ timeout: 10_000 });
    expect(await rows.count()).toBe(50);
    await page.locator("at-conversation-list .list__end").scrollIntoViewIfNeeded();
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(100);
    await row(page, "Volume 9900").waitFor();

    const started = Date.now();
    await page
      .getByRole("searchbox", { name: "Buscar por nome, número ou texto" })
      .fill("Volume 1234");
    await row(page, "Volume 1234(?!\\d)").waitFor({ timeout: 5_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect.poll(() => rows.count()).toBe(1);
  }, 90_000);
});
