import { randomBytes } from "node:crypto";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiCall, signIn as apiSignIn } from "../test/api.js";
import { screenshotDir } from "../test/browser.js";
import {
  type BrowserServer,
  openSignedInPage,
  startBrowserServer,
} from "../test/browserSession.js";
import { buildUser, insertContact } from "../test/factories.js";
import type { TestComponents, TestServer } from "../test/support.js";

// The manager pages in Debian's Chromium: reports (figures, grouping, CSV), the custom role
// editor, and the password form explaining each broken rule in Portuguese.
let harness: BrowserServer;
let components: TestComponents;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  harness = await startBrowserServer("manager");
  ({ components, server, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(email: string, password: string): Promise<Page> {
  return openSignedInPage(
    browser,
    server.url,
    { email, password },
    {
      viewport: { width: 1280, height: 900 },
      until: "home",
    },
  );
}

/** A conversation opened `daysAgo` days ago (at 15:00 UTC, midday in São Paulo). */
async function conversation(options: {
  daysAgo: number;
  agentId: number | null;
  replyAfterSeconds?: number;
  origin?: "agent" | "automatic";
  resolvedAfterSeconds?: number;
}): Promise<void> {
  const day = new Date(Date.now() - options.daysAgo * 86_400_000);
  const opened = new Date(
    Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 15, 0, 0),
  );
  const later = (seconds: number) => new Date(opened.getTime() + seconds * 1000);
  const contactId = await insertContact(components.db, components.env, {
    waId: `55119${randomBytes(4).readUInt32BE() % 1e8}`,
  });
  const [id] = await components.db("conversations").insert({
    contact_id: contactId,
    opened_at: opened,
    assigned_user_id: options.agentId,
    ...(options.resolvedAfterSeconds === undefined
      ? {}
      : { status: "resolved", resolved_at: later(options.resolvedAfterSeconds) }),
  });
  const message = (direction: string, sentAt: Date, origin: string | null) =>
    components.db("messages").insert({
      conversation_id: id,
      direction,
      wamid: `wamid.${randomBytes(10).toString("hex")}`,
      type: "text",
      content: JSON.stringify({ type: "text", body: "oi" }),
      sent_at: sentAt,
      origin,
    });
  await message("inbound", opened, null);
  if (options.replyAfterSeconds !== undefined) {
    await message("outbound", later(options.replyAfterSeconds), options.origin ?? "agent");
  }
}

describe("manager pages in a real browser", () => {
  it("shows the reports with totals, bars per day, grouping by agent and the CSV link", async () => {
    const carla = await buildUser(components.db, { name: "Carla Souza" });
    const diego = await buildUser(components.db, { name: "Diego <b>Alves</b>" });
    await conversation({
      daysAgo: 1,
      agentId: carla.user.id,
      replyAfterSeconds: 90,
      resolvedAfterSeconds: 1800,
    });
    await conversation({ daysAgo: 1, agentId: carla.user.id, replyAfterSeconds: 30 });
    await conversation({ daysAgo: 1, agentId: null, replyAfterSeconds: 3, origin: "automatic" });
    await conversation({
      daysAgo: 2,
      agentId: diego.user.id,
      replyAfterSeconds: 300,
      resolvedAfterSeconds: 7200,
    });
    await conversation({ daysAgo: 4, agentId: diego.user.id });

    const manager = await buildUser(components.db, { role: "manager", name: "Gerente" });
    const page = await signIn(manager.user.email, manager.password);
    await page.goto(`${server.url}/settings/reports`);
    await page.getByRole("heading", { name: "Relatórios", level: 1 }).waitFor();
    const totals = page.locator(".reports__totals");
    await totals.waitFor();
    expect(await totals.locator(".reports__card").first().textContent()).toContain("5");
    // Medians: first response of [3, 30, 90, 300] s is 60 s; 1 of 4 replies was automatic.
    expect(await totals.textContent()).toContain("1 min");
    expect(await totals.textContent()).toContain("25%");
    expect(await page.getByRole("row").count()).toBe(31);
    // Bars scale with the busiest day: 3 conversations fill the track, 1 a third, none nothing.
    const widths = await page
      .locator(".reports__bar")
      .evaluateAll((bars) => bars.map((bar) => Math.round(bar.getBoundingClientRect().width)));
    expect([...new Set(widths)].sort((a, b) => a - b)).toEqual([0, 40, 120]);
    await page.screenshot({ path: path.join(screenshotDir, "reports.png"), fullPage: true });

    await page.getByLabel("Agrupar por").selectOption("agent");
    await page.getByRole("button", { name: "Atualizar" }).click();
    const carlaRow = page.getByRole("row", { name: /Carla Souza/ });
    await carlaRow.waitFor();
    expect(await carlaRow.textContent()).toContain("2");
    // Names are text, never markup.
    await page.getByRole("row", { name: /Diego <b>Alves<\/b>/ }).waitFor();
    await page.getByRole("row", { name: /Sem responsável/ }).waitFor();

    const href = await page.getByRole("link", { name: "Exportar CSV" }).getAttribute("href");
    expect(href).toMatch(
      /^\/api\/reports\/export\.csv\?from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}&groupBy=agent$/,
    );
    const csv = await page.evaluate<string>(
      `fetch(${JSON.stringify(href)}, { credentials: "same-origin" }).then((r) => r.text())`,
    );
    expect(csv).toContain("Carla Souza,2,2,60,60");

    // A bad period is explained, not crashed on.
    await page.getByLabel("De", { exact: true }).fill("2020-01-01");
    await page.getByRole("button", { name: "Atualizar" }).click();
    await page.getByRole("alert").filter({ hasText: "366 days" }).waitFor();

    // Agents have no reports: the page sends them to the inbox.
    const agent = await buildUser(components.db, { role: "agent" });
    const agentPage = await signIn(agent.user.email, agent.password);
    await agentPage.goto(`${server.url}/settings/reports`);
    await agentPage.waitForURL((url) => url.pathname === "/");
  });

  it("creates, edits and deletes a custom role; built-in roles are read-only", async () => {
    const admin = await buildUser(components.db, { role: "admin", name: "Dona Admin" });
    const page = await signIn(admin.user.email, admin.password);
    await page.goto(`${server.url}/settings/roles`);
    await page.getByRole("heading", { name: "Papéis e permissões", level: 1 }).waitFor();

    await page.getByRole("button", { name: "Ver: Atendente" }).click();
    await page.getByRole("heading", { name: "Permissões do papel padrão: Atendente" }).waitFor();
    expect(await page.getByLabel("Enviar mensagens").isChecked()).toBe(true);
    expect(await page.getByLabel("Enviar mensagens").isDisabled()).toBe(true);
    expect(await page.getByLabel("Relatórios").isChecked()).toBe(false);
    expect(await page.getByRole("button", { name: "Editar: Atendente" }).count()).toBe(0);
    await page.getByRole("button", { name: "Cancelar" }).click();

    await page.getByLabel("Identificador").fill("supervisor-noite");
    await page.getByLabel("Nome", { exact: true }).fill("Supervisor <i>noite</i>");
    await page.getByLabel("Ver todas as conversas").check();
    await page.getByLabel("Atribuir conversas").check();
    await page.getByLabel("Relatórios").check();
    await page.getByRole("button", { name: "Criar papel" }).click();
    const row = page.getByRole("row", { name: /supervisor-noite/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("Supervisor <i>noite</i>");
    expect(await row.textContent()).toContain("3 permissão(ões)");
    await page.screenshot({ path: path.join(screenshotDir, "role-editor.png"), fullPage: true });

    await page.getByRole("button", { name: "Editar: Supervisor <i>noite</i>" }).click();
    expect(await page.getByLabel("Relatórios").isChecked()).toBe(true);
    await page.getByLabel("Atribuir conversas").uncheck();
    await page.getByRole("button", { name: "Salvar alterações" }).click();
    await row.getByText("2 permissão(ões)").waitFor();
    const stored = await components.db("roles").where({ key: "supervisor-noite" }).first();
    const granted =
      typeof stored.permissions === "string" ? JSON.parse(stored.permissions) : stored.permissions;
    expect([...granted].sort()).toEqual(["conversations.viewAll", "reports.view"]);

    // A role someone holds cannot be deleted.
    const holder = await buildUser(components.db, { role: "supervisor-noite" });
    await page.reload();
    const deleteButton = page.getByRole("button", { name: "Excluir: Supervisor <i>noite</i>" });
    expect(await deleteButton.isDisabled()).toBe(true);
    await components.db("users").where({ id: holder.user.id }).update({ role: "agent" });
    await page.reload();
    page.once("dialog", (dialog) => void dialog.accept());
    await deleteButton.click();
    await page.getByRole("status").filter({ hasText: "Papel excluído." }).waitFor();
    expect(await page.getByRole("row", { name: /supervisor-noite/ }).count()).toBe(0);

    // A manager has no role editor.
    const manager = await buildUser(components.db, { role: "manager" });
    const managerPage = await signIn(manager.user.email, manager.password);
    await managerPage.goto(`${server.url}/settings/roles`);
    await managerPage.waitForURL((url) => url.pathname === "/");
  });

  it("leaves a settings page the user was just refused, without waiting for a reload", async () => {
    const manager = await buildUser(components.db, { role: "manager" });
    const page = await signIn(manager.user.email, manager.password);
    await page.goto(`${server.url}/settings/reports`);
    await page.getByRole("heading", { name: "Relatórios" }).first().waitFor();
    // The page listens for access changes over its own socket.
    await expect
      .poll(async () =>
        (await server.io.fetchSockets()).some((socket) => socket.data.userId === manager.user.id),
      )
      .toBe(true);
    const admin = apiCall(
      server.url,
      (await apiSignIn(server.url, components.db, { role: "admin" })).cookie,
    );
    expect((await admin("PATCH", `/users/${manager.user.id}`, { role: "agent" })).status).toBe(200);
    await page.waitForURL((url) => url.pathname === "/", { timeout: 10_000 });
    await page.getByText("Conectado").waitFor();
  });

  it("explains in Portuguese every rule a refused new password breaks", async () => {
    const { user, password } = await buildUser(components.db, {
      email: "fernanda.costa@example.com",
    });
    await components.db("users").where({ id: user.id }).update({ must_change_password: true });
    const page = await signIn(user.email, password);
    await page.getByRole("heading", { name: "Escolha sua senha" }).waitFor();
    await page.getByLabel("Senha atual").fill(password);
    await page.getByLabel("Nova senha", { exact: true }).fill("fernanda.costa");
    await page.getByLabel("Repita a nova senha").fill("fernanda.costa");
    await page.getByRole("button", { name: "Salvar nova senha" }).click();
    const alert = page.getByRole("alert");
    await alert.getByText("A nova senha não foi aceita:").waitFor();
    await alert.getByText("Não use seu e-mail (nem a parte antes do @) na senha.").waitFor();

    await page.getByLabel("Nova senha", { exact: true }).fill("abababababababab");
    await page.getByLabel("Repita a nova senha").fill("abababababababab");
    await page.getByRole("button", { name: "Salvar nova senha" }).click();
    await alert.getByText("Não repita só um ou dois caracteres.").waitFor();
    expect(await alert.getByText("Não use seu e-mail").count()).toBe(0);
    await page.screenshot({ path: path.join(screenshotDir, "password-rules.png") });
  });
});
