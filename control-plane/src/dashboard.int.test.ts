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
    id: "20260101T000000Z-abcdef",
    tenant: "acme",
    kind: "manual",
    status: "succeeded",
    path: "/nowhere",
    created_at: Date.now() - 86_400_000,
    stored_bytes: 5 * 1024 ** 2,
    remote_location: "s3://offsite-bucket/atende/acme/20260101T000000Z-abcdef/",
    remote_status: "failed",
    remote_error:
      "InvalidAccessKeyId (HTTP 403): The AWS Access Key Id you provided does not exist",
    remote_at: Date.now() - 86_000_000,
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

/**
 * Shows acme's detail panel. Docker is unreachable, so the shell cannot load the detail itself:
 * hand the panel the tenant as the API would; its backups then load through the real API.
 */
async function showDetail(
  page: Page,
  backupAlerts: TenantDetailPayload["backupAlerts"] = [],
): Promise<void> {
  const tenant: TenantDetailPayload = {
    name: "acme",
    status: "ready",
    observed: "absent",
    template: "default",
    appVersion: "0.1.0",
    url: "http://127.0.0.1:8950",
    adminEmail: "ana@acme.com.br",
    hostPort: 8950,
    createdAt: new Date().toISOString(),
    updatedAt: new Date().toISOString(),
    services: [],
    lastBackup: null,
    backupAlerts,
    operations: [],
  };
  await page.locator("at-tenant-detail").evaluate((element: unknown, payload) => {
    (element as { tenant: unknown }).tenant = payload;
  }, tenant);
  await page.locator("at-tenant-detail tr[data-backup]").first().waitFor();
}

async function openSignedIn(role: "viewer" | "owner", who = "browser"): Promise<Page> {
  const email = `${who}-${role}@example.com`;
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

  it("lists an owner's backups with back up, verify, restore and upgrade behind typed confirmations", async () => {
    const page = await openSignedIn("owner", "backups");
    await showDetail(page);
    const detail = page.locator("at-tenant-detail");
    const good = detail.locator("tr[data-backup='20260101T000000Z-abcdef']");
    expect(await good.textContent()).toContain("5 MiB");
    expect(await good.textContent()).toContain("not verified");
    // Only a succeeded backup can be verified or restored.
    expect(await detail.locator("tr[data-backup=b1]").getByRole("button").count()).toBe(0);
    expect(await detail.getByRole("button", { name: "Back up now" }).count()).toBe(1);
    expect(await good.getByRole("button", { name: "Verify" }).count()).toBe(1);

    await good.getByRole("button", { name: "Restore…" }).click();
    const restore = page.getByRole("dialog");
    const submit = restore.getByRole("button", { name: "Restore" });
    expect(await submit.isDisabled()).toBe(true);
    await restore.getByLabel("Type acme to confirm").fill("acme");
    expect(await submit.isDisabled()).toBe(false);
    await restore.getByLabel("Type acme to confirm").fill("");
    await restore.getByLabel("Restore as new tenant").fill("acme-copy");
    expect(await submit.isDisabled()).toBe(false);
    await restore.getByRole("button", { name: "Cancel" }).click();

    await detail.getByRole("button", { name: "Upgrade…" }).click();
    const upgrade = page.getByRole("dialog");
    const go = upgrade.getByRole("button", { name: "Upgrade" });
    await upgrade.getByLabel("Release version").fill("0.2.0");
    expect(await go.isDisabled()).toBe(true);
    await upgrade.getByLabel("Type acme to confirm").fill("acme");
    expect(await go.isDisabled()).toBe(false);
    await go.click();
    // Accepted, then failed on the unreachable Docker engine: the steps show live.
    const operation = page.locator("at-operation-progress article", { hasText: "upgrade acme" });
    await expect.poll(() => operation.textContent(), { timeout: 10_000 }).toContain("failed");
    expect(await operation.textContent()).toContain("Back up the tenant first");
    await page.close();
  });

  it("shows a viewer no buttons that change anything", async () => {
    const page = await openSignedIn("viewer");
    expect(await page.getByRole("button", { name: "Create tenant" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Destroy" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Stop" }).count()).toBe(0);
    await showDetail(page);
    for (const name of ["Back up now", "Verify", "Restore…", "Upgrade…"])
      expect(await page.getByRole("button", { name }).count()).toBe(0);
    await page.getByRole("button", { name: "Details" }).click();
    // Docker is unreachable: the detail cannot load, and the page says so.
    await expect
      .poll(() => page.locator("at-dashboard-shell p.error").first().textContent())
      .toContain("Docker engine cannot be reached");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await page.close();
  });

  it("flags a failed backup and a failed off-site copy in the list, the banner and the detail", async () => {
    const page = await openSignedIn("viewer", "alerts");
    const row = page.locator("at-tenant-table tr[data-tenant=acme]");
    await row.locator("[data-alert=offsite_failed]").waitFor();
    expect(await row.locator("[data-alert=backup_failed]").textContent()).toContain(
      "last backup failed",
    );
    expect(await row.locator("[data-alert=offsite_failed]").textContent()).toContain(
      "off-site copy failed",
    );
    const banner = (await page.locator("at-dashboard-shell .alert").textContent()) ?? "";
    expect(banner).toContain("The last backup failed for: acme");
    expect(banner).toContain("The off-site copy of the last backup failed for: acme");

    // The detail gets the alerts the API computed for the list.
    const alerts = await page.evaluate(async () => {
      const answer = (await (await fetch("/api/tenants")).json()) as {
        data: Array<{ name: string; backupAlerts: unknown }>;
      };
      return answer.data.find((tenant) => tenant.name === "acme")?.backupAlerts;
    });
    await showDetail(page, alerts as TenantDetailPayload["backupAlerts"]);
    const detail = page.locator("at-tenant-detail");
    const shown = (await detail.locator("[data-backup-alerts]").textContent()) ?? "";
    expect(shown).toContain("last backup failed (b1): backup_failed");
    expect(shown).toContain("off-site copy failed (20260101T000000Z-abcdef): InvalidAccessKeyId");
    expect(
      await detail.locator("tr[data-backup='20260101T000000Z-abcdef']").textContent(),
    ).toContain("copy failed");
    expect(await detail.locator("tr[data-backup=b1]").textContent()).toContain("local only");
    await page.screenshot({ path: path.join(screenshots, "dashboard-backup-alerts.png") });
    await page.close();
  });

  it("runs under the strict CSP without errors", () => {
    // Expected API refusals (the wrong password's 401, Docker's 503) show as failed loads;
    // nothing else may (a CSP violation or a script error would show here).
    expect(problems.filter((problem) => !/status of (401|503)/.test(problem))).toEqual([]);
  });
});
