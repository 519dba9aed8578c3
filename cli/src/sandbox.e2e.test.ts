import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import { launchChromium, screenshotDir } from "./test/browser.js";
import { atende, e2eHome, leftovers, randomTenantName, sqlInTenant } from "./test/e2e.js";

const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../bin/atende.js");
let home: Awaited<ReturnType<typeof e2eHome>>;
let browser: Browser;
const name = randomTenantName("sbx");
const newPassword = `Sandbox-${randomTenantName("pw")}-Ok`;
let created: { url: string; adminEmail: string; oneTimePassword: string };

/** A port free on 127.0.0.1 right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address !== null ? address.port : 0;
}

/**
 * Polls the tenant's database until a message with this text is stored: direction, text, and
 * the start of the contact's number as stored (sealed with the tenant's key, never in clear).
 */
async function storedMessage(where: string): Promise<string[]> {
  let stored = "";
  for (let i = 0; i < 100 && stored === ""; i++) {
    stored = await sqlInTenant(
      name,
      `SELECT m.direction, m.text, LEFT(c.wa_id_sealed, 3) FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN contacts c ON c.id = v.contact_id WHERE ${where}`,
    );
    if (stored === "") await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return stored.split("\t");
}

interface RunningSandbox {
  child: ChildProcess;
  info: {
    url: string;
    graphBaseUrl: string;
    phoneUrl: string;
    controlApiUrl: string;
    webhookUrl: string;
    connectionTest: { ok: boolean; verifiedName?: string };
    webhookHandshake: boolean;
  };
  exited: Promise<number | null>;
  stderr: () => string;
}

/** Starts `atende sandbox --tenant` as a user would and waits for its connection details. */
async function startSandbox(
  port: number,
  passwords: Record<string, string>,
): Promise<RunningSandbox> {
  const child = spawn(
    process.execPath,
    [bin, "sandbox", "--tenant", name, "--port", String(port), "--json"],
    {
      env: {
        ...process.env,
        CI: "true",
        ...home.env,
        ...passwords,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("Press Ctrl-C to stop.")) resolve(stdout);
    });
    exited.then((code) => reject(new Error(`sandbox exited with ${code}: ${stderr}`)));
  });
  const output = await ready;
  const json = output.slice(0, output.indexOf("Press Ctrl-C"));
  return { child, info: JSON.parse(json), exited, stderr: () => stderr };
}

beforeAll(async () => {
  home = await e2eHome();
  browser = await launchChromium();
  const run = await atende(
    ["tenant", "create", name, "--admin-email", `ana@${name}.example`, "--json"],
    home.env,
  );
  expect(run.code, run.stderr).toBe(0);
  created = JSON.parse(run.stdout);
});

afterAll(async () => {
  await browser?.close();
  await atende(["tenant", "destroy", name, "--yes"], home.env);
  expect(await leftovers(name)).toEqual([]);
  await home.dispose();
});

describe("atende sandbox --tenant", () => {
  it("refuses to wire a tenant without its admin's password, saying which variable to set", async () => {
    const args = ["sandbox", "--tenant", name, "--port", String(await freePort())];
    const run = await atende(args, home.env);
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("ATENDE_ADMIN_PASSWORD");
    // A one-time password must be replaced first; off a terminal the sandbox says how.
    const oneTime = await atende(args, {
      ...home.env,
      ATENDE_ADMIN_PASSWORD: created.oneTimePassword,
    });
    expect(oneTime.code).toBe(EXIT_CODES.invalidInput);
    expect(oneTime.stderr).toContain("ATENDE_NEW_ADMIN_PASSWORD");
  });

  it("wires a tenant both ways: a customer's message from the phone is stored in the tenant, and its test connection reaches the emulator; Ctrl-C stops it", async () => {
    const port = await freePort();
    const sandbox = await startSandbox(port, {
      ATENDE_ADMIN_PASSWORD: created.oneTimePassword,
      ATENDE_NEW_ADMIN_PASSWORD: newPassword,
    });
    try {
      // The tenant's "test connection" (run by the sandbox as its admin) reached the emulator
      // from inside the app container, and the emulator's webhook handshake was accepted.
      expect(sandbox.info.connectionTest).toMatchObject({ ok: true, verifiedName: "Atende Demo" });
      expect(sandbox.info.webhookHandshake).toBe(true);
      expect(sandbox.info.graphBaseUrl).not.toContain("127.0.0.1");
      const requests = await (await fetch(`${sandbox.info.controlApiUrl}/requests`)).json();
      expect(JSON.stringify(requests)).toContain("/v24.0/200000000000002");

      const phone = await fetch(sandbox.info.phoneUrl);
      expect(phone.status).toBe(200);

      const text = `Olá, quero saber do meu pedido ${name}`;
      const sent = await fetch(`${sandbox.info.controlApiUrl}/inbound`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          from: "5511988887777",
          name: "Maria",
          type: "text",
          text,
          wait: true,
        }),
      });
      expect(sent.status, await sent.clone().text()).toBe(201);
      const body = (await sent.json()) as { wamid: string; settled: Array<{ state: string }> };
      const wamid = body.wamid;
      // Meta's webhook got its 200: the tenant has the event durably stored.
      expect(body.settled.map((delivery) => delivery.state)).toEqual(["delivered"]);

      // The webhook is acknowledged once stored; processing into messages runs in the worker.
      // The number is stored sealed with the tenant's key, never in clear.
      expect(await storedMessage(`m.wamid = '${wamid.replace(/[^A-Za-z0-9.=_-]/g, "")}'`)).toEqual([
        "inbound",
        text,
        "v1.",
      ]);
    } finally {
      sandbox.child.kill("SIGINT");
    }
    expect(await sandbox.exited).toBe(EXIT_CODES.cancelled);
    expect(sandbox.stderr()).toContain("Sandbox stopped.");
    await expect(fetch(`${sandbox.info.url}/_emulator/info`)).rejects.toThrow();
  });

  it("runs again with the admin's new password; a person typing on the phone page sees ✓✓ once the tenant stored the message", async () => {
    const sandbox = await startSandbox(await freePort(), { ATENDE_ADMIN_PASSWORD: newPassword });
    try {
      expect(sandbox.info.connectionTest).toMatchObject({ ok: true });
      expect(sandbox.info.webhookHandshake).toBe(true);

      const page = await browser.newPage();
      await page.goto(`${sandbox.info.phoneUrl}?from=5511977776666&name=Joana`);
      const text = `Oi! Vocês abrem no sábado? ${name}`;
      await page.getByLabel("Mensagem").fill(text);
      await page.getByLabel("Mensagem").press("Enter");
      await page.locator('[title="entregue ao webhook"]').first().waitFor({ state: "visible" });
      await page.screenshot({ path: path.join(screenshotDir, "sandbox-phone-delivered.png") });
      expect(await storedMessage(`m.text = '${text}'`)).toEqual(["inbound", text, "v1."]);
    } finally {
      sandbox.child.kill("SIGINT");
    }
    expect(await sandbox.exited).toBe(EXIT_CODES.cancelled);
  });
});
