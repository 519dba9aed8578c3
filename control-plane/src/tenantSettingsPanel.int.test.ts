import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "./commands/staffAccounts.js";
import type { TenantDetailPayload } from "./contracts/api.js";
import { updateStoredConfig } from "./tenantConfig/configKeys.js";
import { startTestApi, type TestApi } from "./test/apiSupport.js";

// The settings panel of the built dashboard in Debian's Chromium against a real API server
// (Docker unreachable: reading works from the registry, applying answers 503).
const controlPlaneRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const screenshots = path.resolve(controlPlaneRoot, "../test-results/screenshots");
const FILA_KEY = "sk-fila-panel-0123456789";
let dashboardDir: string;
let api: TestApi;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  dashboardDir = await mkdtemp(path.join(tmpdir(), "atende-dashboard-settings-"));
  await promisify(execFile)(process.execPath, ["scripts/build-dashboard.mjs", dashboardDir], {
    cwd: controlPlaneRoot,
  });
  api = await startTestApi({ dashboardDir });
  await api.cp.tenants.insert({
    name: "acme",
    status: "stopped",
    templateId: "default",
    templateVersion: 1,
    appVersion: "0.1.0",
    images: { app: "atende/runtime:0.1.0" },
    publishHost: "127.0.0.1",
    hostPort: 8951,
    url: "http://127.0.0.1:8951",
    adminEmail: "ana@acme.com.br",
    sealedSecrets: "v1:sealed",
    lastOperationId: null,
  });
  const box = await api.cp.secretBox();
  let raw = updateStoredConfig(box, "acme", null, "timezone", "America/Recife").raw;
  raw = updateStoredConfig(box, "acme", raw, "fila-ia.api-key", FILA_KEY).raw;
  await api.cp.tenants.setConfig("acme", raw, "seed");
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.dispose();
  if (dashboardDir) await rm(dashboardDir, { recursive: true, force: true });
});

async function openSettings(role: "viewer" | "operator"): Promise<Page> {
  const email = `settings-${role}@example.com`;
  const { oneTimePassword } = await createStaff(api.cp, { email, role });
  const page = await browser.newPage();
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(api.url);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(oneTimePassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("at-tenant-table tr[data-tenant=acme]").waitFor();
  // Docker is unreachable, so hand the detail panel the tenant as the API would.
  const tenant: TenantDetailPayload = {
    name: "acme",
    status: "stopped",
    observed: "absent",
    template: "default",
    appVersion: "0.1.0",
    url: "http://127.0.0.1:8951",
    adminEmail: "ana@acme.com.br",
    hostPort: 8951,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    services: [],
    lastBackup: null,
    backupAlerts: [],
    operations: [],
  } as TenantDetailPayload;
  await page.locator("at-tenant-detail").evaluate((element: unknown, payload) => {
    (element as { tenant: unknown }).tenant = payload;
  }, tenant);
  await page.locator("at-tenant-settings tr[data-setting=timezone]").waitFor();
  return page;
}

describe("the tenant settings panel", () => {
  it("lists every setting with its description and masked secrets; per-field errors come from the API", async () => {
    const page = await openSettings("operator");
    const panel = page.locator("at-tenant-settings");
    const row = (key: string) => panel.locator(`tr[data-setting='${key}']`);
    expect(await row("timezone").textContent()).toContain("America/Recife");
    expect(await row("timezone").textContent()).toContain("IANA name");
    expect(await row("fila-ia.api-key").textContent()).toContain("••••6789");
    expect(await row("domain").textContent()).toContain("(template default)");
    expect(await row("whatsapp.access-token").textContent()).toContain("(not set)");
    expect(await panel.locator("[data-unavailable]").textContent()).toContain("acme");
    expect(await page.content()).not.toContain(FILA_KEY);

    // Secrets are typed in password fields, never pre-filled.
    const secretInput = row("whatsapp.access-token").locator("input");
    expect(await secretInput.getAttribute("type")).toBe("password");
    expect(await row("fila-ia.api-key").locator("input").inputValue()).toBe("");
    expect(await row("timezone").locator("input").getAttribute("type")).toBe("text");

    await row("domain").locator("input").fill("https://chat.acme.example/inbox");
    await row("domain").getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => row("domain").locator(".field-error").textContent())
      .toContain("for domain: it must be a domain name only");
    // The error stays with its field; the others show none.
    expect(await row("timezone").locator(".field-error").count()).toBe(0);

    await row("whatsapp.waba-id").locator("input").fill("123456");
    await row("whatsapp.waba-id").getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => row("whatsapp.waba-id").locator(".field-error").textContent())
      .toContain("while it is stopped");

    await row("timezone").locator("input").fill("America/Manaus");
    await row("timezone").getByRole("button", { name: "Save" }).click();
    await expect
      .poll(() => row("timezone").locator(".field-error").textContent())
      .toMatch(/Docker/);
    expect(await row("timezone").textContent()).toContain("America/Recife");
    await page.screenshot({
      path: path.join(screenshots, "control-plane-tenant-settings.png"),
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a viewer the values without any field to change them", async () => {
    const page = await openSettings("viewer");
    const panel = page.locator("at-tenant-settings");
    expect(await panel.locator("tr[data-setting='fila-ia.api-key']").textContent()).toContain(
      "••••6789",
    );
    expect(await panel.locator("input").count()).toBe(0);
    expect(await panel.getByRole("button").count()).toBe(0);
    await page.close();
  });
});
