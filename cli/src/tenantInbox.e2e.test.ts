import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, screenshotDir } from "./test/browser.js";
import { atende, e2eHome, leftovers, randomTenantName } from "./test/e2e.js";

let home: Awaited<ReturnType<typeof e2eHome>>;
let browser: Browser;
const name = randomTenantName("inbox");

beforeAll(async () => {
  home = await e2eHome();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await atende(["tenant", "destroy", name, "--yes"], home.env);
  expect(await leftovers(name)).toEqual([]);
  await home.dispose();
});

describe("the inbox of a new tenant, in a real browser", () => {
  it("lets whoever ran create open the printed URL and log in with the printed credentials", async () => {
    const run = await atende(
      ["tenant", "create", name, "--admin-email", `ana@${name}.example`, "--json"],
      home.env,
    );
    expect(run.code).toBe(0);
    const created = JSON.parse(run.stdout) as {
      url: string;
      adminEmail: string;
      oneTimePassword: string;
    };

    const page = await browser.newPage();
    const csp: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) csp.push(message.text());
    });
    await page.goto(created.url);
    await page.waitForURL(/\/login$/);
    await page.getByLabel("E-mail").fill(created.adminEmail);
    await page.getByLabel("Senha").fill(`${created.oneTimePassword}-wrong`);
    await page.getByRole("button", { name: "Entrar" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "incorretos" });
    await alert.waitFor({ state: "visible" });
    expect(await alert.textContent()).toContain("E-mail ou senha incorretos");
    await page.screenshot({ path: path.join(screenshotDir, "login-wrong-password.png") });

    await page.getByLabel("Senha").fill(created.oneTimePassword);
    await page.getByLabel("Senha").press("Enter");
    await page.waitForURL((url) => url.pathname === "/");
    // The one-time password only lets the admin choose their own.
    await page.getByRole("heading", { name: "Escolha sua senha" }).waitFor({ state: "visible" });
    await page.screenshot({ path: path.join(screenshotDir, "choose-password.png") });
    await page.getByLabel("Senha atual").fill(created.oneTimePassword);
    await page.getByLabel("Nova senha", { exact: true }).fill("uma senha só minha 2026");
    await page.getByLabel("Repita a nova senha").fill("uma senha só minha 2026");
    await page.getByRole("button", { name: "Salvar nova senha" }).click();
    await page.getByText("Nenhuma conversa ainda").waitFor({ state: "visible" });
    // The header shows who is logged in, with the role, and the live connection.
    await page.getByText("Administrador").waitFor({ state: "visible" });
    await page.getByText("Conectado").waitFor({ state: "visible" });
    await page.screenshot({ path: path.join(screenshotDir, "inbox-empty.png") });

    await page.getByRole("button", { name: "Sair" }).click();
    await page.waitForURL(/\/login$/);
    expect(csp).toEqual([]);
  });
});
