import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStaff } from "./commands/staffAccounts.js";
import { startTestApi, type TestApi } from "./test/apiSupport.js";

// The built dashboard in Debian's Chromium against a real API server (Docker unreachable).
const controlPlaneRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const screenshots = path.resolve(controlPlaneRoot, "../test-results/screenshots");
let dashboardDir: string;
let api: TestApi;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  dashboardDir = await mkdtemp(path.join(tmpdir(), "atende-dashboard-"));
  await promisify(execFile)(process.execPath, ["scripts/build-dashboard.mjs", dashboardDir], {
    cwd: controlPlaneRoot,
  });
  api = await startTestApi({ dashboardDir });
  await api.cp.tenants.insert({
    name: "acme",
    status: "ready",
    templateId: "default",
    templateVersion: 1,
    appVersion: "0.1.0",
    images: { app: "atende/runtime:0.1.0" },
    publishHost: "127.0.0.1",
    hostPort: 8950,
    url: "http://127.0.0.1:8950",
    adminEmail: "ana@acme.com.br",
    sealedSecrets: "v1:sealed",
    lastOperationId: null,
  });
  await api.cp.store.db("backups").insert({
    id: "b1",
    tenant: "acme",
    kind: "manual",
    status: "failed",
    path: "/nowhere",
    created_at: Date.now(),
    error_id: "backup_failed",
    error_message: "disk full",
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.dispose();
  if (dashboardDir) await rm(dashboardDir, { recursive: true, force: true });
});

async function openSignedIn(role: "viewer" | "owner"): Promise<Page> {
  const email = `browser-${role}@example.com`;
  const { oneTimePassword } = await createStaff(api.cp, { email, role });
  const page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  await page.goto(api.url);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill("wrong password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Wrong e-mail");
  await page.getByLabel("Password").fill(oneTimePassword);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("at-tenant-table tr[data-tenant=acme]").waitFor();
  return page;
}

describe("the staff dashboard", () => {
  it("signs in, lists tenants and streams a create's steps live", async () => {
    const page = await openSignedIn("owner");
    const row = page.locator("at-tenant-table tr[data-tenant=acme]");
    await expect.poll(() => row.textContent()).toContain("absent");
    // A failed last backup is loud.
    expect(await page.locator("at-dashboard-shell .alert").textContent()).toContain(
      "The last backup failed for: acme",
    );
    await page.getByLabel("Tenant name").fill("shop");
    await page.getByLabel("First admin's e-mail").fill("ana@shop.com.br");
    await page.getByRole("button", { name: "Create tenant" }).click();
    const operation = page.locator("at-operation-progress article");
    await expect.poll(() => operation.textContent(), { timeout: 10_000 }).toContain("failed");
    const text = (await operation.textContent()) ?? "";
    expect(text).toContain("create shop");
    expect(text).toContain("Check Docker, images and disk");
    expect(text).toContain("The Docker engine cannot be reached");

    await page
      .locator("at-tenant-table tr[data-tenant=acme]")
      .getByRole("button", { name: "Destroy" })
      .click();
    const dialog = page.getByRole("dialog");
    const confirm = dialog.getByRole("button", { name: "Destroy" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel("Type acme to confirm").fill("acme");
    expect(await confirm.isDisabled()).toBe(false);
    await page.screenshot({
      path: path.join(screenshots, "control-plane-dashboard.png"),
      fullPage: true,
    });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await page.close();
  });

  it("shows a viewer no buttons that change anything", async () => {
    const page = await openSignedIn("viewer");
    expect(await page.getByRole("button", { name: "Create tenant" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Destroy" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Stop" }).count()).toBe(0);
    await page.getByRole("button", { name: "Details" }).click();
    // Docker is unreachable: the detail cannot load, and the page says so.
    await expect
      .poll(() => page.locator("at-dashboard-shell p.error").first().textContent())
      .toContain("Docker engine cannot be reached");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.close();
  });

  it("runs under the strict CSP without errors", () => {
    // Expected API refusals (the wrong password's 401, Docker's 503) show as failed loads;
    // nothing else may (a CSP violation or a script error would show here).
    expect(problems.filter((problem) => !/status of (401|503)/.test(problem))).toEqual([]);
  });
});
