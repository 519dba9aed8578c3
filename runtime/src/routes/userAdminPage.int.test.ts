import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotDir } from "../test/browser.js";
import {
  type BrowserServer,
  openSignedInPage,
  startBrowserServer,
} from "../test/browserSession.js";
import { buildUser } from "../test/factories.js";
import type { TestComponents, TestServer } from "../test/support.js";

// User management in Debian's Chromium: an admin adds an agent (the temporary password is shown
// once), the agent must choose their own password at first sign-in, and the admin disables them.
let harness: BrowserServer;
let components: TestComponents;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  harness = await startBrowserServer("users");
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
      viewport: { width: 1280, height: 800 },
      until: "home",
    },
  );
}

describe("user management in a real browser", () => {
  it("adds an agent who must choose a password, then disables them", async () => {
    const admin = await buildUser(components.db, { role: "admin", name: "Dona Admin" });
    const page = await signIn(admin.user.email, admin.password);
    await page.getByRole("link", { name: "Usuários" }).click();
    await page.getByRole("heading", { name: "Usuários", level: 1 }).waitFor();

    await page.getByLabel("Nome", { exact: true }).fill("Beto Agente");
    await page.getByLabel("E-mail", { exact: true }).fill("beto@example.com");
    await page.getByRole("button", { name: "Adicionar", exact: true }).click();
    const revealed = page.getByRole("status").filter({ hasText: "beto@example.com" });
    await revealed.waitFor();
    const oneTimePassword = (await revealed.locator("code").textContent())?.trim() ?? "";
    expect(oneTimePassword).toMatch(/^[A-Za-z0-9]{20}$/);
    await page.screenshot({ path: path.join(screenshotDir, "users-added.png") });

    const agent = await signIn("beto@example.com", oneTimePassword);
    await agent.getByRole("heading", { name: "Escolha sua senha" }).waitFor();
    // An agent has no user management: the page sends them back to the inbox.
    await agent.goto(`${server.url}/settings/users`);
    await agent.waitForURL((url) => url.pathname === "/");

    page.once("dialog", (dialog) => void dialog.accept());
    const row = page.getByRole("row", { name: /Beto Agente/ });
    await row.getByRole("button", { name: "Desativar" }).click();
    await row.getByText("Desativado").waitFor();
    expect(
      (await components.db("users").where({ email: "beto@example.com" }).first()).disabled_at,
    ).not.toBeNull();
  });

  it("shows the activity log with filters, older pages and a CSV export", async () => {
    const admin = await buildUser(components.db, { role: "admin", name: "Auditora" });
    // A failed sign-in from a phone, to find in the log.
    await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "User-Agent": "Android 14 WhatsApp-like" },
      body: JSON.stringify({ email: "ninguem@example.com", password: "errada" }),
    });
    const page = await signIn(admin.user.email, admin.password);
    await page.getByRole("link", { name: "Atividades" }).click();
    await page.getByRole("heading", { name: "Registro de atividades", level: 1 }).waitFor();
    await page.getByLabel("Ação").fill("sessions.fail");
    await page.getByRole("button", { name: "Filtrar" }).click();
    const row = page.getByRole("row", { name: /ninguem@example\.com/ });
    await row.waitFor();
    expect(await row.textContent()).toContain("Android 14 WhatsApp-like");
    await page.screenshot({ path: path.join(screenshotDir, "audit-log.png") });

    const href = await page.getByRole("link", { name: "Exportar CSV" }).getAttribute("href");
    expect(href).toBe("/api/audit/export.csv?action=sessions.fail");
    const csv = await page.evaluate<string>(
      `fetch(${JSON.stringify(href)}, { credentials: "same-origin" }).then((r) => r.text())`,
    );
    expect(csv.split("\r\n")[0]).toBe("id,at,action,actor_id,actor_email,ip,user_agent,data");
    expect(csv).toContain("ninguem@example.com");

    // An agent has no activity log: no link, and the page sends them to the inbox.
    const agent = await buildUser(components.db, { role: "agent" });
    const agentPage = await signIn(agent.user.email, agent.password);
    expect(await agentPage.getByRole("link", { name: "Atividades" }).count()).toBe(0);
    await agentPage.goto(`${server.url}/settings/audit`);
    await agentPage.waitForURL((url) => url.pathname === "/");
  });
});
