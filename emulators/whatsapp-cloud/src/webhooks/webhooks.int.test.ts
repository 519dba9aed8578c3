import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CloudApiEmulator } from "../createCloudApiEmulator.js";
import {
  appSecret,
  expectedSignature,
  type GraphClient,
  type Receiver,
  startPair,
} from "../test/support.js";

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

// biome-ignore lint/suspicious/noExplicitAny: webhook bodies are read loosely in assertions.
const changeValue = (json: unknown): any => (json as any).entry[0].changes[0].value;

describe("webhook signing", () => {
  it("signs the exact bytes sent, escaping ç, ã and emoji as \\uXXXX", async () => {
    emulator.control.receive({
      from: "5511988887777",
      name: "João",
      type: "text",
      text: "Atenção: não recebi 😢",
    });
    const [post] = await receiver.waitForPosts(1);
    if (!post) throw new Error("no post");
    expect(post.headers["content-type"]).toBe("application/json");
    expect(post.headers["x-hub-signature-256"]).toBe(expectedSignature(post.raw, appSecret));
    const raw = post.raw.toString("latin1");
    expect(raw).toContain("Aten\\u00e7\\u00e3o: n\\u00e3o recebi \\ud83d\\ude22");
    expect(raw).toContain('"name":"Jo\\u00e3o"');
    expect([...post.raw].every((byte) => byte < 0x80)).toBe(true);
    const reserialised = Buffer.from(JSON.stringify(post.json));
    expect(expectedSignature(reserialised, appSecret)).not.toBe(
      post.headers["x-hub-signature-256"],
    );
  });

  it("sends Meta's envelope with metadata, contacts (wa_id and BSUID) and the message", async () => {
    const { wamid } = emulator.control.receive({
      from: "5511988887777",
      name: "Maria",
      type: "text",
      text: "Quero saber do meu pedido",
    });
    const [post] = await receiver.waitForPosts(1);
    expect(post?.json).toMatchObject({
      object: "whatsapp_business_account",
      entry: [{ id: emulator.wabaId, changes: [{ field: "messages" }] }],
    });
    const value = changeValue(post?.json);
    expect(value.metadata).toEqual({
      display_phone_number: "5511999990000",
      phone_number_id: emulator.phoneNumberId,
    });
    expect(value.contacts).toEqual([
      {
        profile: { name: "Maria" },
        wa_id: "5511988887777",
        user_id: expect.stringMatching(/^BR\./),
      },
    ]);
    expect(value.messages[0]).toMatchObject({
      from: "5511988887777",
      id: wamid,
      timestamp: expect.stringMatching(/^\d{10}$/),
      type: "text",
      text: { body: "Quero saber do meu pedido" },
    });
  });
});

describe("webhook retries", () => {
  it("retries on 500 with growing delays and the same bytes, then stops at the first 200", async () => {
    receiver.respond = (_request, n) => (n <= 2 ? 500 : 200);
    const { deliveries } = emulator.control.receive({
      from: "5511988887777",
      type: "text",
      text: "oi",
    });
    const id = deliveries[0] ?? "";
    const delivery = await emulator.control.waitForDelivery(id);
    expect(delivery.state).toBe("delivered");
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(receiver.posts).toHaveLength(3);
    const [first, second, third] = receiver.posts;
    expect(second?.raw.equals(first?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(third?.headers["x-hub-signature-256"]).toBe(first?.headers["x-hub-signature-256"]);
    // The waits between the end of an attempt and the next one (the request's own time, which
    // varies with the host's load, left out): 20 ms, then 40 (factor 2), never shorter.
    const waits = [1, 2].map((i) => {
      const previous = delivery.attempts[i - 1];
      const next = delivery.attempts[i];
      return (
        Date.parse(next?.startedAt ?? "") -
        Date.parse(previous?.startedAt ?? "") -
        (previous?.durationMs ?? 0)
      );
    });
    expect(waits[0]).toBeGreaterThanOrEqual(15);
    expect(waits[1]).toBeGreaterThanOrEqual(35);
  });

  it("treats a slow answer as a failure and retries", async () => {
    emulator.control.updateSettings({ webhook: { timeoutMs: 100 } });
    receiver.respond = async (_request, n) => {
      if (n === 1) await new Promise((resolve) => setTimeout(resolve, 300));
      return 200;
    };
    const { deliveries } = emulator.control.receive({
      from: "5511988887777",
      type: "text",
      text: "oi",
    });
    const delivery = await emulator.control.waitForDelivery(deliveries[0] ?? "");
    expect(delivery.state).toBe("delivered");
    expect(delivery.attempts[0]?.error).toMatch(/timed out/);
    expect(delivery.attempts).toHaveLength(2);
  });

  it("gives up after the configured number of attempts", async () => {
    emulator.control.updateSettings({ webhook: { retry: { maxAttempts: 3 } } });
    receiver.respond = () => 503;
    const { deliveries } = emulator.control.receive({
      from: "5511988887777",
      type: "text",
      text: "oi",
    });
    const delivery = await emulator.control.waitForDelivery(deliveries[0] ?? "");
    expect(delivery.state).toBe("failed");
    expect(delivery.attempts).toHaveLength(3);
  });

  it("counts only 200 as success (a 204 is retried)", async () => {
    receiver.respond = (_request, n) => (n === 1 ? 204 : 200);
    const { deliveries } = emulator.control.receive({
      from: "5511988887777",
      type: "text",
      text: "oi",
    });
    const delivery = await emulator.control.waitForDelivery(deliveries[0] ?? "");
    expect(delivery.attempts.map((a) => a.status)).toEqual([204, 200]);
  });
});

describe("webhook faults", () => {
  it("delivers the same payload N times with a duplicate fault", async () => {
    emulator.control.addWebhookFault({ kind: "duplicate", copies: 3, times: 1 });
    const { wamid } = emulator.control.receive({
      from: "5511988887777",
      type: "text",
      text: "dup",
    });
    const posts = await receiver.waitForPosts(3);
    await emulator.control.waitForWebhooks();
    expect(posts).toHaveLength(3);
    expect(new Set(posts.map((p) => p.raw.toString())).size).toBe(1);
    expect(posts.every((p) => changeValue(p.json).messages[0].id === wamid)).toBe(true);
    emulator.control.receive({ from: "5511988887777", type: "text", text: "once" });
    await receiver.waitForPosts(4);
    await emulator.control.waitForWebhooks();
    expect(receiver.posts).toHaveLength(4);
  });

  it("holds a delivery back with a delay fault", async () => {
    emulator.control.addWebhookFault({ kind: "delay", ms: 150, times: 1 });
    const started = Date.now();
    emulator.control.receive({ from: "5511988887777", type: "text", text: "late" });
    await receiver.waitForPosts(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("drops the statuses it is told to drop", async () => {
    emulator.control.receive({ from: "5511988887777", type: "text", text: "oi" });
    await receiver.waitForPosts(1);
    emulator.control.addWebhookFault({
      kind: "drop",
      match: { kind: "statuses", statuses: ["delivered"] },
    });
    const sent = await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: {
        messaging_product: "whatsapp",
        to: "5511988887777",
        type: "text",
        text: { body: "resposta" },
      },
    });
    expect(sent.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await emulator.control.waitForWebhooks();
    const statuses = receiver.posts.slice(1).map((p) => changeValue(p.json).statuses[0].status);
    expect(statuses).toEqual(["sent"]);
    expect(emulator.control.deliveries({ state: "dropped" })).toHaveLength(1);
  });

  it("signs with a wrong secret on request and does not retry the refused delivery", async () => {
    receiver.respond = (request) =>
      request.headers["x-hub-signature-256"] === expectedSignature(request.raw, appSecret)
        ? 200
        : 401;
    emulator.control.addWebhookFault({ kind: "badSignature", times: 1 });
    const bad = emulator.control.receive({ from: "5511988887777", type: "text", text: "forged" });
    const refused = await emulator.control.waitForDelivery(bad.deliveries[0] ?? "");
    expect(refused.state).toBe("failed");
    expect(refused.attempts).toHaveLength(1);
    expect(refused.attempts[0]?.status).toBe(401);
    const good = emulator.control.receive({ from: "5511988887777", type: "text", text: "real" });
    expect((await emulator.control.waitForDelivery(good.deliveries[0] ?? "")).state).toBe(
      "delivered",
    );
  });

  it("can omit the signature header", async () => {
    emulator.control.sendRawWebhook({
      payload: { object: "whatsapp_business_account", entry: [] },
      signature: "missing",
    });
    const [post] = await receiver.waitForPosts(1);
    expect(post?.headers["x-hub-signature-256"]).toBeUndefined();
  });
});

describe("verification handshake", () => {
  it("gets the challenge back with the right verify token and a 403 with a wrong one", async () => {
    const ok = await emulator.control.verifyWebhook({ challenge: "1903260781" });
    expect(ok).toMatchObject({ status: 200, body: "1903260781", accepted: true });
    const refused = await emulator.control.verifyWebhook({ verifyToken: "wrong" });
    expect(refused).toMatchObject({ status: 403, accepted: false });
  });

  it("is also driven over the control API", async () => {
    const response = await fetch(`${emulator.url}/_emulator/webhook/verify`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ challenge: "42" }),
    });
    expect(await response.json()).toMatchObject({ accepted: true, body: "42" });
  });
});

describe("batched payloads", () => {
  it("puts several messages in one value, or one change or entry each", async () => {
    emulator.control.receiveBatch(
      [
        { from: "5511988887777", type: "text", text: "um" },
        { from: "5511977776666", type: "text", text: "dois" },
      ],
      "value",
    );
    emulator.control.receiveBatch(
      [
        { from: "5511988887777", type: "text", text: "três" },
        { from: "5511988887777", type: "text", text: "quatro" },
      ],
      "entries",
    );
    const posts = await receiver.waitForPosts(2);
    // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
    const bodies = posts.map((p) => p.json as any);
    const oneValue = bodies.find((b) => b.entry.length === 1);
    const entries = bodies.find((b) => b.entry.length === 2);
    const v = changeValue(oneValue);
    expect(v.messages.map((m: { text: { body: string } }) => m.text.body)).toEqual(["um", "dois"]);
    expect(v.contacts).toHaveLength(2);
    expect(
      entries.entry.map(
        (e: { changes: { value: { messages: { text: { body: string } }[] } }[] }) =>
          e.changes[0]?.value.messages[0]?.text.body,
      ),
    ).toEqual(["três", "quatro"]);
  });
});
