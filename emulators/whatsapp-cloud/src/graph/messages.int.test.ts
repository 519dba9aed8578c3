import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CloudApiEmulator } from "../createCloudApiEmulator.js";
import { eventually, type GraphClient, type Receiver, startPair } from "../test/support.js";

let emulator: CloudApiEmulator;
let receiver: Receiver;
let graph: GraphClient;
let close: () => Promise<void>;

const customer = "5511988887777";

beforeEach(async () => {
  ({ emulator, receiver, graph, close } = await startPair());
});

afterEach(async () => {
  await close();
});

const send = (body: Record<string, unknown>, version = "v24.0") =>
  graph("POST", `/${version}/${emulator.phoneNumberId}/messages`, {
    body: { messaging_product: "whatsapp", recipient_type: "individual", to: customer, ...body },
  });

/** Opens the 24-hour window: the customer writes first. */
async function customerWrites(text = "oi", from = customer): Promise<string> {
  const before = receiver.posts.length;
  const { wamid } = emulator.control.receive({ from, name: "Maria", type: "text", text });
  await receiver.waitForPosts(before + 1);
  return wamid;
}

// biome-ignore lint/suspicious/noExplicitAny: webhook bodies are read loosely in assertions.
const statusPosts = (): any[] =>
  receiver.posts
    // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
    .map((p) => (p.json as any).entry[0].changes[0].value)
    .filter((v) => v.statuses)
    .map((v) => v.statuses[0]);

describe("sending every message type", () => {
  const bodies: [string, Record<string, unknown>][] = [
    ["text", { type: "text", text: { body: "Seu pedido sai hoje" } }],
    [
      "image by link",
      { type: "image", image: { link: "https://cdn.example/a.jpg", caption: "foto" } },
    ],
    ["audio by link", { type: "audio", audio: { link: "https://cdn.example/a.ogg" } }],
    ["video by link", { type: "video", video: { link: "https://cdn.example/v.mp4" } }],
    [
      "document by link",
      { type: "document", document: { link: "https://cdn.example/nf.pdf", filename: "nf.pdf" } },
    ],
    ["sticker by link", { type: "sticker", sticker: { link: "https://cdn.example/s.webp" } }],
    [
      "location",
      { type: "location", location: { latitude: -23.56, longitude: -46.65, name: "Loja" } },
    ],
    [
      "contacts",
      {
        type: "contacts",
        contacts: [
          { name: { formatted_name: "Loja Exemplo" }, phones: [{ phone: "+55 11 4000-0000" }] },
        ],
      },
    ],
    [
      "reply buttons",
      {
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: "Seu problema foi resolvido?" },
          action: {
            buttons: [
              { type: "reply", reply: { id: "btn_sim", title: "Sim" } },
              { type: "reply", reply: { id: "btn_nao", title: "Não" } },
            ],
          },
        },
      },
    ],
    [
      "list",
      {
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: "Escolha uma opção" },
          action: {
            button: "Ver opções",
            sections: [{ title: "Financeiro", rows: [{ id: "row_2via", title: "2ª via" }] }],
          },
        },
      },
    ],
    ["reaction", { type: "reaction", reaction: { message_id: "wamid.X", emoji: "👍" } }],
    [
      "reply with context",
      { type: "text", context: { message_id: "wamid.X" }, text: { body: "Respondendo" } },
    ],
  ];

  for (const [name, body] of bodies) {
    it(`accepts ${name} with Meta's response shape`, async () => {
      await customerWrites();
      const response = await send(body);
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        messaging_product: "whatsapp",
        contacts: [{ input: customer, wa_id: customer }],
        messages: [{ id: expect.stringMatching(/^wamid\./) }],
      });
    });
  }

  it("accepts a template outside the window, with message_status accepted, and delivers it", async () => {
    const response = await send({
      type: "template",
      template: {
        name: "pedido_enviado",
        language: { code: "pt_BR" },
        components: [
          { type: "header", parameters: [{ type: "text", text: "#123" }] },
          {
            type: "body",
            parameters: [
              { type: "text", text: "Maria" },
              { type: "text", text: "#123" },
            ],
          },
          {
            type: "button",
            sub_type: "url",
            index: "1",
            parameters: [{ type: "text", text: "123" }],
          },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.messages[0].message_status).toBe("accepted");
    const wamid = response.body.messages[0].id;
    await eventually(() => statusPosts().filter((s) => s.id === wamid).length === 2 || undefined);
    expect(
      statusPosts()
        .map((s) => s.status)
        .sort(),
    ).toEqual(["delivered", "sent"]);
    expect(statusPosts()[0]).toMatchObject({
      id: wamid,
      recipient_id: customer,
      timestamp: expect.stringMatching(/^\d{10}$/),
      pricing: { pricing_model: "PMP", category: "utility", type: "regular" },
    });
    expect(emulator.control.message(wamid).rendered).toMatchObject({
      body: "Olá Maria, seu pedido #123 foi enviado.",
    });
  });

  it("accepts every Graph version vNN.0 and refuses other version segments", async () => {
    await customerWrites();
    expect((await send({ type: "text", text: { body: "a" } }, "v13.0")).status).toBe(200);
    expect((await send({ type: "text", text: { body: "a" } }, "v26.0")).status).toBe(200);
    const bad = await send({ type: "text", text: { body: "a" } }, "v24.1");
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(2500);
  });

  it("answers Meta's error body for an invalid parameter", async () => {
    const response = await send({
      type: "interactive",
      interactive: {
        type: "button",
        body: { text: "?" },
        action: {
          buttons: ["a", "b", "c", "d"].map((id) => ({ type: "reply", reply: { id, title: id } })),
        },
      },
    });
    expect(response.status).toBe(400);
    expect(response.body).toEqual({
      error: {
        message: "(#100) Invalid parameter",
        type: "OAuthException",
        code: 100,
        error_data: {
          messaging_product: "whatsapp",
          details: "Buttons count invalid. Min count: 1, Max count: 3",
        },
        fbtrace_id: expect.any(String),
      },
    });
  });

  it("answers 100/33 for a phone number id it does not know", async () => {
    const response = await graph("POST", "/v24.0/123/messages", {
      body: { messaging_product: "whatsapp", to: customer, text: { body: "x" } },
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });

  it("refuses a media id it never issued with 131009", async () => {
    await customerWrites();
    const response = await send({ type: "image", image: { id: "999" } });
    expect(response.body.error.code).toBe(131009);
  });
});

describe("the 24-hour customer service window", () => {
  it("accepts a free-form message outside the window, then reports failed 131047", async () => {
    const response = await send({ type: "text", text: { body: "Olá?" } });
    expect(response.status).toBe(200);
    const wamid = response.body.messages[0].id;
    const failed = await eventually(() => statusPosts().find((s) => s.id === wamid));
    expect(failed).toMatchObject({
      status: "failed",
      recipient_id: customer,
      errors: [
        {
          code: 131047,
          title: "Re-engagement message",
          error_data: { details: expect.stringMatching(/24 hours/) },
        },
      ],
    });
    expect(failed.pricing).toBeUndefined();
  });

  it("closes 24 hours after the customer's last message", async () => {
    await customerWrites();
    expect((await send({ type: "text", text: { body: "dentro" } })).status).toBe(200);
    emulator.control.advanceClock(24 * 3600 * 1000 + 1000);
    const outside = await send({ type: "text", text: { body: "fora" } });
    const wamid = outside.body.messages[0].id;
    await eventually(() => statusPosts().find((s) => s.id === wamid && s.status === "failed"));
    await customerWrites("voltei");
    const reopened = await send({ type: "text", text: { body: "de novo" } });
    await eventually(() =>
      statusPosts().find((s) => s.id === reopened.body.messages[0].id && s.status === "delivered"),
    );
  });

  it("can refuse synchronously with 131047 instead", async () => {
    emulator.control.updateSettings({ reengagement: "sync" });
    const response = await send({ type: "text", text: { body: "Olá?" } });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe(131047);
  });

  it("treats reactions as free-form but templates as allowed", async () => {
    const reaction = await send({
      type: "reaction",
      reaction: { message_id: "wamid.X", emoji: "👍" },
    });
    await eventually(() =>
      statusPosts().find((s) => s.id === reaction.body.messages[0].id && s.status === "failed"),
    );
    const template = await send({
      type: "template",
      template: { name: "hello_world", language: { code: "en_US" } },
    });
    await eventually(() =>
      statusPosts().find((s) => s.id === template.body.messages[0].id && s.status === "delivered"),
    );
  });
});

describe("access tokens", () => {
  it("answers 190 without a token or with an unknown one", async () => {
    const none = await graph("GET", `/v24.0/${emulator.phoneNumberId}`, { token: null });
    expect(none.status).toBe(401);
    expect(none.body.error).toMatchObject({ code: 190, type: "OAuthException" });
    const unknown = await graph("GET", `/v24.0/${emulator.phoneNumberId}`, { token: "nope" });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe(190);
    expect(unknown.headers.get("www-authenticate")).toMatch(/invalid_token/);
  });

  it("answers 190/460 once the token is revoked, and works again when restored", async () => {
    await customerWrites();
    expect((await send({ type: "text", text: { body: "1" } })).status).toBe(200);
    emulator.control.revokeToken();
    const revoked = await send({ type: "text", text: { body: "2" } });
    expect(revoked.status).toBe(401);
    expect(revoked.body.error).toMatchObject({ code: 190, error_subcode: 460 });
    emulator.control.restoreToken();
    expect((await send({ type: "text", text: { body: "3" } })).status).toBe(200);
    emulator.control.revokeToken(undefined, "expired");
    expect((await send({ type: "text", text: { body: "4" } })).body.error.error_subcode).toBe(463);
  });

  it("revokes the token in the middle of a run with a fault (after N sends)", async () => {
    await customerWrites();
    emulator.control.addGraphFault({
      kind: "revokeToken",
      after: 2,
      times: 1,
      match: { path: "/messages" },
    });
    const results = [];
    for (let i = 0; i < 4; i++)
      results.push((await send({ type: "text", text: { body: `m${i}` } })).status);
    expect(results).toEqual([200, 200, 401, 401]);
    expect(emulator.control.messages()).toHaveLength(2);
  });

  it("answers 403 code 10 for a token without WhatsApp permissions", async () => {
    const { token } = emulator.control.createToken({ permitted: false });
    const response = await graph("GET", `/v24.0/${emulator.phoneNumberId}`, { token });
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe(10);
  });
});

describe("statuses", () => {
  it("reports sent then delivered automatically, and read when the customer reads", async () => {
    await customerWrites();
    const wamid = (
      await send({
        type: "text",
        text: { body: "oi", preview_url: false },
        biz_opaque_callback_data: "ticket-42",
      })
    ).body.messages[0].id;
    await eventually(() => statusPosts().filter((s) => s.id === wamid).length === 2 || undefined);
    emulator.control.readAll(customer);
    const read = await eventually(() =>
      statusPosts().find((s) => s.id === wamid && s.status === "read"),
    );
    expect(read).toMatchObject({
      biz_opaque_callback_data: "ticket-42",
      recipient_user_id: expect.stringMatching(/^BR\./),
      pricing: { category: "service", type: "free_customer_service" },
    });
    expect(emulator.control.message(wamid).status).toBe("read");
  });

  it("sends statuses out of order on request, without the summary status moving back", async () => {
    emulator.control.updateSettings({ autoStatuses: { sequence: [] } });
    await customerWrites();
    const wamid = (await send({ type: "text", text: { body: "oi" } })).body.messages[0].id;
    emulator.control.reportStatuses(wamid, { statuses: ["read", "delivered", "sent"] });
    await eventually(() => statusPosts().length === 3 || undefined);
    await emulator.control.waitForWebhooks();
    const order = emulator.control.deliveries({ kind: "statuses" }).map((d) => d.statuses?.[0]);
    expect(order).toEqual(["read", "delivered", "sent"]);
    expect(emulator.control.message(wamid).status).toBe("read");
  });

  it("can deliver a status before the send response returns", async () => {
    await customerWrites();
    emulator.control.addGraphFault({
      kind: "statusesBeforeResponse",
      statuses: ["sent", "delivered"],
      times: 1,
    });
    const before = statusPosts().length;
    const response = await send({ type: "text", text: { body: "rápido" } });
    const arrived = statusPosts().slice(before);
    expect(arrived.map((s) => [s.id, s.status])).toEqual([
      [response.body.messages[0].id, "sent"],
      [response.body.messages[0].id, "delivered"],
    ]);
  });

  it("reports failed 131026 for an undeliverable customer and injected async failures", async () => {
    await customerWrites();
    emulator.control.addGraphFault({ kind: "failAsync", code: 131049, times: 1 });
    const marketing = (await send({ type: "text", text: { body: "promo" } })).body.messages[0].id;
    await eventually(() =>
      statusPosts().find((s) => s.id === marketing && s.errors?.[0]?.code === 131049),
    );
    emulator.control.updateCustomer({ waId: customer }, { undeliverable: true });
    const lost = (await send({ type: "text", text: { body: "alô" } })).body.messages[0].id;
    await eventually(() =>
      statusPosts().find((s) => s.id === lost && s.errors?.[0]?.code === 131026),
    );
  });

  it("sends by BSUID: contacts carry user_id and statuses omit recipient_id", async () => {
    const userId = "BR.1502576394655843";
    emulator.control.receive({ userId, hidePhone: true, name: "Ana", type: "text", text: "oi" });
    const response = await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: {
        messaging_product: "whatsapp",
        recipient: userId,
        type: "text",
        text: { body: "olá" },
      },
    });
    expect(response.body.contacts).toEqual([{ input: userId, user_id: userId }]);
    const status = await eventually(() =>
      statusPosts().find((s) => s.id === response.body.messages[0].id),
    );
    expect(status.recipient_user_id).toBe(userId);
    expect(status.recipient_id).toBeUndefined();
  });

  it("reports wa_id without Brazil's 9th digit when that quirk is on", async () => {
    emulator.control.updateSettings({ brazilNinthDigit: true });
    await customerWrites("oi", "5521988887777");
    const response = await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: { messaging_product: "whatsapp", to: "5521988887777", text: { body: "olá" } },
    });
    expect(response.body.contacts).toEqual([{ input: "5521988887777", wa_id: "552188887777" }]);
  });
});

describe("mark as read and typing indicator", () => {
  it("marks the message and earlier ones read and shows typing until the business replies", async () => {
    const first = await customerWrites("um");
    const second = await customerWrites("dois");
    const response = await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: {
        messaging_product: "whatsapp",
        status: "read",
        message_id: second,
        typing_indicator: { type: "text" },
      },
    });
    expect(response.body).toEqual({ success: true });
    const conversation = emulator.control.conversation(customer);
    expect(conversation.typing).toBe(true);
    expect(
      conversation.messages
        .filter((m) => m.direction === "in")
        .every((m) => "readByBusiness" in m && m.readByBusiness),
    ).toBe(true);
    expect(conversation.messages.map((m) => m.wamid)).toEqual([first, second]);
    await send({ type: "text", text: { body: "resposta" } });
    expect(emulator.control.conversation(customer).typing).toBe(false);
  });

  it("stops showing typing after 25 seconds", async () => {
    const wamid = await customerWrites();
    await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: {
        messaging_product: "whatsapp",
        status: "read",
        message_id: wamid,
        typing_indicator: { type: "text" },
      },
    });
    emulator.control.advanceClock(25_001);
    expect(emulator.control.conversation(customer).typing).toBe(false);
  });

  it("answers 400 for an unknown message id", async () => {
    const response = await graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
      body: { messaging_product: "whatsapp", status: "read", message_id: "wamid.nope" },
    });
    expect(response.status).toBe(400);
  });
});

describe("rate limits", () => {
  it("answers 130429 over the per-number throughput", async () => {
    emulator.control.updateSettings({ throughputPerSecond: 3 });
    await customerWrites();
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const response = await send({ type: "text", text: { body: `m${i}` } });
      codes.push(response.status === 200 ? 200 : response.body.error.code);
    }
    expect(codes).toEqual([200, 200, 200, 130429]);
    emulator.control.updateSettings({ asyncThroughputErrors: true });
    await send({ type: "text", text: { body: "over" } });
    const errorsPost = await eventually(() =>
      receiver.posts
        // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
        .map((p) => (p.json as any).entry[0].changes[0].value)
        .find((v) => v.errors),
    );
    expect(errorsPost.errors[0]).toMatchObject({ code: 130429, title: "Rate limit hit" });
    emulator.control.advanceClock(1_001);
    expect((await send({ type: "text", text: { body: "again" } })).status).toBe(200);
  });

  it("answers 131056 for too many messages to the same customer, and recovers after the interval", async () => {
    emulator.control.updateSettings({ pairRate: { burst: 2, intervalMs: 6_000 } });
    await customerWrites();
    await customerWrites("oi", "5511977776666");
    expect((await send({ type: "text", text: { body: "1" } })).status).toBe(200);
    expect((await send({ type: "text", text: { body: "2" } })).status).toBe(200);
    const limited = await send({ type: "text", text: { body: "3" } });
    expect(limited.status).toBe(400);
    expect(limited.body.error.code).toBe(131056);
    expect(
      (await send({ type: "text", text: { body: "outro" }, to: "5511977776666" })).status,
    ).toBe(200);
    emulator.control.advanceClock(6_000);
    expect((await send({ type: "text", text: { body: "4" } })).status).toBe(200);
  });
});

describe("Graph faults", () => {
  it("answers 500 code 131000 once, then recovers", async () => {
    await customerWrites();
    emulator.control.addGraphFault({ kind: "error", code: 131000, times: 1 });
    const failed = await send({ type: "text", text: { body: "x" } });
    expect(failed.status).toBe(500);
    expect(failed.body.error.code).toBe(131000);
    expect((await send({ type: "text", text: { body: "x" } })).status).toBe(200);
  });

  it("injects 503 131016, 429-style 130429, slow answers and malformed JSON", async () => {
    await customerWrites();
    emulator.control.addGraphFault({ kind: "error", code: 131016, times: 1 });
    expect((await send({ type: "text", text: { body: "x" } })).status).toBe(503);
    emulator.control.addGraphFault({ kind: "error", code: 130429, status: 429, times: 1 });
    const throttled = await send({ type: "text", text: { body: "x" } });
    expect([throttled.status, throttled.body.error.code]).toEqual([429, 130429]);
    emulator.control.addGraphFault({ kind: "delay", ms: 120, times: 1 });
    const started = Date.now();
    await send({ type: "text", text: { body: "x" } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    emulator.control.addGraphFault({ kind: "malformedJson", times: 1 });
    const broken = await send({ type: "text", text: { body: "x" } });
    expect(typeof broken.body).toBe("string");
  });

  it("resets the connection on request", async () => {
    emulator.control.addGraphFault({ kind: "reset", times: 1 });
    await expect(send({ type: "text", text: { body: "x" } })).rejects.toThrow();
  });

  it("records the calls it received", async () => {
    await send({ type: "text", text: { body: "x" } });
    await graph("GET", "/v24.0/nothing-here");
    const requests = emulator.control.requests();
    expect(requests.map((r) => [r.method, r.status, r.messageType ?? null])).toEqual([
      ["POST", 200, "text"],
      ["GET", 400, null],
    ]);
  });
});

describe("phone number info", () => {
  it("answers GET /{phone-number-id} with the fields asked", async () => {
    const full = await graph("GET", `/v24.0/${emulator.phoneNumberId}`);
    expect(full.body).toMatchObject({
      id: emulator.phoneNumberId,
      verified_name: "Atende Demo",
      quality_rating: "GREEN",
    });
    const some = await graph(
      "GET",
      `/v24.0/${emulator.phoneNumberId}?fields=display_phone_number,verified_name`,
    );
    expect(some.body).toEqual({
      id: emulator.phoneNumberId,
      display_phone_number: "+55 11 99999-0000",
      verified_name: "Atende Demo",
    });
    const list = await graph("GET", `/v24.0/${emulator.wabaId}/phone_numbers`);
    expect(list.body.data[0].id).toBe(emulator.phoneNumberId);
  });
});
