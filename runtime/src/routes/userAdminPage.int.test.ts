import { rm } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWebAssets, launchChromium, screenshotDir } from "../test/browser.js";
import { buildUser } from "../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";

// User management in Debian's Chromium: an admin adds an agent (the temporary password is shown
// once), the agent must choose their own password at first sign-in, and the admin disables them.
let webRoot: string;
let components: TestComponents;
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  const web = await buildWebAssets("users");
  webRoot = web.root;
  components = await createTestComponents();
  server = await getTestServer(components, { publicDir: web.publicDir });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await components?.cleanup();
  if (webRoot) await rm(webRoot, { recursive: true, force: true });
});

async function signIn(email: string, password: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${server.url}/login`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Senha").fill(password);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  return page;
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
});
