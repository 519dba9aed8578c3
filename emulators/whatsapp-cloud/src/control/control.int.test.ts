import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CloudApiEmulator } from "../createCloudApiEmulator.js";
import { type GraphClient, type Receiver, startPair } from "../test/support.js";

let emulator: CloudApiEmulator;
let receiver: Receiver;
let graph: GraphClient;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ emulator, receiver, graph, close } = await startPair());
});

afterEach(async () => {
  await close();
});

async function control(method: string, path: string, body?: unknown) {
  const response = await fetch(`${emulator.url}/_emulator${path}`, {
    method,
    ...(body === undefined
      ? {}
      : { headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: tests read the control API's bodies loosely.
  const parsed: any = await response.json();
  return { status: response.status, body: parsed };
}

describe("control API over HTTP", () => {
  it("describes the emulator without showing the app secret", async () => {
    const info = await control("GET", "/info");
    expect(info.body).toMatchObject({
      phoneNumberId: emulator.phoneNumberId,
      wabaId: emulator.wabaId,
      accessToken: emulator.accessToken,
      webhook: { url: receiver.url, verifyToken: "verify-me", appSecretSet: true },
    });
    expect(JSON.stringify(info.body)).not.toContain("test_app_secret");
  });

  it("simulates a customer message and waits for its delivery when asked", async () => {
    const sent = await control("POST", "/inbound", {
      from: "5511988887777",
      type: "text",
      text: "Olá!",
      wait: true,
    });
    expect(sent.status).toBe(201);
    expect(sent.body.settled[0]).toMatchObject({ state: "delivered", attempts: [{ status: 200 }] });
    expect(receiver.posts).toHaveLength(1);
  });

  it("answers validation errors in the house shape", async () => {
    const bad = await control("POST", "/inbound", { from: "abc", type: "text", text: "x" });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ ok: false, error: "validation_error", status: 400 });
    const unknownType = await control("POST", "/inbound", {
      from: "5511988887777",
      type: "hologram",
    });
    expect(unknownType.body.error).toBe("validation_error");
    const settings = await control("PATCH", "/settings", { throughputPerSecond: -1 });
    expect(settings.status).toBe(400);
    expect((await control("GET", "/nothing")).status).toBe(404);
  });

  it("lists what the business sent with statuses, and advances statuses", async () => {
    await control("POST", "/inbound", {
      from: "5511988887777",
      type: "text",
      text: "oi",
      wait: true,
    });
    const sent = await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: { messaging_product: "whatsapp", to: "5511988887777", text: { body: "resposta" } },
    });
    const wamid = sent.body.messages[0].id;
    await emulator.control.waitForWebhooks();
    await new Promise((resolve) => setTimeout(resolve, 30));
    const listed = await control("GET", "/messages?to=5511988887777");
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0]).toMatchObject({
      wamid,
      type: "text",
      body: { text: { body: "resposta" } },
      status: "delivered",
    });
    const read = await control("POST", `/messages/${wamid}/statuses`, {
      statuses: ["read"],
      wait: true,
    });
    expect(read.body.message.status).toBe("read");
    const failed = await control("POST", `/messages/${wamid}/statuses`, {
      statuses: ["failed"],
      code: 131026,
    });
    expect(failed.body.message.status).toBe("read");
    expect(failed.body.message.statuses.map((s: { status: string }) => s.status)).toEqual([
      "sent",
      "delivered",
      "read",
      "failed",
    ]);
  });

  it("drives template approval, token revocation and faults", async () => {
    const created = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: {
        name: "via_http",
        language: "pt_BR",
        category: "MARKETING",
        components: [{ type: "BODY", text: "Promoção de verão!" }],
      },
    });
    const approved = await control("POST", `/templates/${created.body.id}/status`, {
      status: "approved",
      wait: true,
    });
    expect(approved.body.templates[0].status).toBe("APPROVED");
    expect(approved.body.settled[0].state).toBe("delivered");

    await control("POST", "/tokens/revoke", {});
    expect((await graph("GET", `/v24.0/${emulator.phoneNumberId}`)).body.error.code).toBe(190);
    await control("POST", "/tokens/restore", {});
    expect((await graph("GET", `/v24.0/${emulator.phoneNumberId}`)).status).toBe(200);

    const fault = await control("POST", "/faults", {
      side: "graph",
      kind: "error",
      code: 131016,
      match: { method: "GET" },
    });
    expect(fault.status).toBe(201);
    expect((await graph("GET", `/v24.0/${emulator.phoneNumberId}`)).status).toBe(503);
    expect((await graph("GET", `/v24.0/${emulator.phoneNumberId}`)).status).toBe(503);
    await control("DELETE", `/faults/${fault.body.id}`);
    expect((await graph("GET", `/v24.0/${emulator.phoneNumberId}`)).status).toBe(200);
    const webhookFault = await control("POST", "/faults", {
      side: "webhook",
      kind: "duplicate",
      copies: 2,
      times: 1,
    });
    expect(webhookFault.body.id).toMatch(/^wf/);
    expect((await control("GET", "/faults")).body.webhook).toHaveLength(1);
    expect((await control("POST", "/faults", { side: "graph", kind: "explode" })).status).toBe(400);
  });

  it("sends errors webhooks and webhooks for other fields", async () => {
    await control("POST", "/webhook/errors", { errors: [{ code: 130429 }], wait: true });
    await control("POST", "/webhook/field", {
      field: "account_alerts",
      value: { entity_type: "WABA", alert_severity: "INFORMATIONAL" },
      wait: true,
    });
    // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
    const bodies = receiver.posts.map((p) => p.json as any);
    const errors = bodies.find((b) => b.entry[0].changes[0].field === "messages");
    expect(errors.entry[0].changes[0].value.errors[0]).toMatchObject({
      code: 130429,
      title: "Rate limit hit",
    });
    expect(bodies.find((b) => b.entry[0].changes[0].field === "account_alerts")).toBeDefined();
  });

  it("moves the clock, reports it, and resets everything but the webhook target", async () => {
    await control("POST", "/inbound", {
      from: "5511988887777",
      type: "text",
      text: "oi",
      wait: true,
    });
    const customers = await control("GET", "/customers");
    expect(customers.body.data[0]).toMatchObject({ waId: "5511988887777", windowOpen: true });
    await control("POST", "/clock/advance", { ms: 25 * 3600 * 1000 });
    expect((await control("GET", "/customers")).body.data[0].windowOpen).toBe(false);
    await control("PATCH", "/settings", { throughputPerSecond: 5 });
    await control("POST", "/reset", {});
    expect((await control("GET", "/customers")).body.data).toEqual([]);
    expect((await control("GET", "/settings")).body.throughputPerSecond).toBe(80);
    expect((await control("GET", "/info")).body).toMatchObject({
      clockOffsetMs: 0,
      webhook: { url: receiver.url },
    });
    expect(
      (await control("GET", "/templates")).body.data.map((t: { name: string }) => t.name),
    ).toContain("hello_world");
  });

  it("reports receiver timing", async () => {
    receiver.respond = async () => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return 200;
    };
    emulator.control.updateSettings({ webhook: { slowMedianMs: 10 } });
    await control("POST", "/inbound", {
      from: "5511988887777",
      type: "text",
      text: "oi",
      wait: true,
    });
    const stats = await control("GET", "/webhook/stats");
    expect(stats.body).toMatchObject({
      deliveries: { delivered: 1 },
      attempts: 1,
      slow: { median: true, p99: false },
    });
    expect(stats.body.latencyMs.median).toBeGreaterThanOrEqual(25);
  });

  it("pushes change events to the phone page over SSE", async () => {
    const controller = new AbortController();
    const response = await fetch(`${emulator.url}/_emulator/events`, { signal: controller.signal });
    expect(response.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = response.body?.getReader();
    if (!reader) throw new Error("no body");
    emulator.control.receive({ from: "5511988887777", type: "text", text: "oi" });
    let text = "";
    while (!text.includes('"kind":"inbound"')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('"customerKey":"5511988887777"');
    controller.abort();
  });
});
