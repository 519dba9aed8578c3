import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CloudApiEmulator } from "../createCloudApiEmulator.js";
import { type GraphClient, type Receiver, startPair } from "../test/support.js";

let emulator: CloudApiEmulator;
let receiver: Receiver;
let graph: GraphClient;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ emulator, receiver, graph, close } = await startPair({ templates: [] }));
});

afterEach(async () => {
  await close();
});

const definition = (name: string, language = "pt_BR") => ({
  name,
  language,
  category: "UTILITY",
  components: [
    {
      type: "BODY",
      text: "Olá {{1}}, seu pedido {{2}} foi enviado.",
      example: { body_text: [["Maria", "#123"]] },
    },
  ],
});

const sendTemplate = (name: string) =>
  graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
    body: {
      messaging_product: "whatsapp",
      to: "5511988887777",
      type: "template",
      template: {
        name,
        language: { code: "pt_BR" },
        components: [
          {
            type: "body",
            parameters: [
              { type: "text", text: "Maria" },
              { type: "text", text: "#1" },
            ],
          },
        ],
      },
    },
  });

// biome-ignore lint/suspicious/noExplicitAny: webhook bodies are read loosely in assertions.
const templateUpdates = (): any[] =>
  receiver.posts
    // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
    .map((p) => p.json as any)
    .filter((j) => j.entry[0].changes[0].field === "message_template_status_update");

describe("message templates", () => {
  it("creates a template as PENDING; it cannot be sent until approved", async () => {
    const created = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("pedido_enviado"),
    });
    expect(created.status).toBe(200);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^\d+$/),
      status: "PENDING",
      category: "UTILITY",
    });
    expect((await sendTemplate("pedido_enviado")).body.error.code).toBe(132001);

    emulator.control.setTemplateStatus(created.body.id, "APPROVED");
    const [post] = await receiver.waitForPosts(1);
    expect(post?.json).toMatchObject({
      object: "whatsapp_business_account",
      entry: [
        {
          id: emulator.wabaId,
          time: expect.any(Number),
          changes: [
            {
              field: "message_template_status_update",
              value: {
                event: "APPROVED",
                message_template_id: Number(created.body.id),
                message_template_name: "pedido_enviado",
                message_template_language: "pt_BR",
                message_template_category: "UTILITY",
                reason: "NONE",
              },
            },
          ],
        },
      ],
    });
    expect((await sendTemplate("pedido_enviado")).status).toBe(200);
  });

  it("rejects with a reason, and pauses (132015) and disables (132016) an approved template", async () => {
    const rejected = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("promo_ruim"),
    });
    emulator.control.setTemplateStatus("promo_ruim", "REJECTED", { reason: "INCORRECT_CATEGORY" });
    const approved = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("aviso"),
    });
    emulator.control.setTemplateStatus(approved.body.id, "APPROVED");
    emulator.control.setTemplateStatus(approved.body.id, "PAUSED");
    expect((await sendTemplate("aviso")).body.error.code).toBe(132015);
    emulator.control.setTemplateStatus(approved.body.id, "DISABLED");
    expect((await sendTemplate("aviso")).body.error.code).toBe(132016);
    await receiver.waitForPosts(4);
    await emulator.control.waitForWebhooks();
    // Deliveries run concurrently (as Meta's do), so compare the order they were sent in.
    const sent = emulator.control
      .deliveries({ kind: "message_template_status_update" })
      .map((d) => JSON.parse(d.body ?? "{}").entry[0].changes[0].value);
    expect(sent.map((v) => v.event)).toEqual(["REJECTED", "APPROVED", "PAUSED", "DISABLED"]);
    expect(templateUpdates()).toHaveLength(4);
    expect(sent[0].reason).toBe("INCORRECT_CATEGORY");
    expect(sent[2].other_info.title).toBe("FIRST_PAUSE");
    expect(sent[3].disable_info.disable_date).toEqual(expect.any(Number));
    const listed = await graph(
      "GET",
      `/v24.0/${emulator.wabaId}/message_templates?name=promo_ruim`,
    );
    expect(listed.body.data[0]).toMatchObject({
      id: rejected.body.id,
      status: "REJECTED",
      rejected_reason: "INCORRECT_CATEGORY",
    });
  });

  it("lists with filters, fields and cursor paging that can be followed to the end", async () => {
    for (let i = 0; i < 5; i++) {
      await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
        body: definition(`modelo_${i}`),
      });
    }
    emulator.control.setTemplateStatus("modelo_1", "APPROVED");
    const names: string[] = [];
    let next: string | undefined =
      `/v24.0/${emulator.wabaId}/message_templates?fields=name,status&limit=2`;
    let pages = 0;
    while (next) {
      const page = await graph("GET", next.replace(emulator.url, ""));
      expect(page.status).toBe(200);
      for (const item of page.body.data) {
        expect(Object.keys(item).sort()).toEqual(["id", "name", "status"]);
        names.push(item.name);
      }
      next = page.body.paging?.next;
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(["modelo_0", "modelo_1", "modelo_2", "modelo_3", "modelo_4"]);
    const approved = await graph(
      "GET",
      `/v24.0/${emulator.wabaId}/message_templates?status=APPROVED`,
    );
    expect(approved.body.data.map((t: { name: string }) => t.name)).toEqual(["modelo_1"]);
  });

  it("validates Meta's rules on create and refuses a duplicate name in the same language", async () => {
    const bad = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: { ...definition("x"), components: [{ type: "BODY", text: "Olá {{1}}, tudo bem?" }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe(100);
    await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("unico"),
    });
    const duplicate = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("unico"),
    });
    expect(duplicate.body.error).toMatchObject({ code: 100, error_subcode: 2388024 });
    const otherLanguage = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("unico", "en_US"),
    });
    expect(otherLanguage.status).toBe(200);
  });

  it("deletes every language by name (PENDING_DELETION: no longer sendable or reusable)", async () => {
    const created = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("apagar"),
    });
    await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("apagar", "en_US"),
    });
    emulator.control.setTemplateStatus(created.body.id, "APPROVED");
    const deleted = await graph(
      "DELETE",
      `/v24.0/${emulator.wabaId}/message_templates?name=apagar`,
    );
    expect(deleted.body).toEqual({ success: true });
    const listed = await graph("GET", `/v24.0/${emulator.wabaId}/message_templates?name=apagar`);
    expect(listed.body.data.map((t: { status: string }) => t.status)).toEqual([
      "PENDING_DELETION",
      "PENDING_DELETION",
    ]);
    expect((await sendTemplate("apagar")).body.error.code).toBe(132001);
    const reuse = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("apagar"),
    });
    expect(reuse.body.error.error_subcode).toBe(2388023);
    expect(
      (await graph("DELETE", `/v24.0/${emulator.wabaId}/message_templates?name=nada`)).status,
    ).toBe(400);
  });

  it("deletes one language with hsm_id", async () => {
    const pt = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("dois"),
    });
    await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("dois", "en_US"),
    });
    await graph(
      "DELETE",
      `/v24.0/${emulator.wabaId}/message_templates?name=dois&hsm_id=${pt.body.id}`,
    );
    const listed = await graph("GET", `/v24.0/${emulator.wabaId}/message_templates?name=dois`);
    expect(
      listed.body.data.map(
        (t: { language: string; status: string }) => `${t.language}:${t.status}`,
      ),
    ).toEqual(["pt_BR:PENDING_DELETION", "en_US:PENDING"]);
  });

  it("approves by itself when auto-approval is on", async () => {
    emulator.control.updateSettings({ autoApproveTemplatesMs: 10 });
    await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("auto"),
    });
    const [post] = await receiver.waitForPosts(1);
    // biome-ignore lint/suspicious/noExplicitAny: loosely read body.
    expect((post?.json as any)?.entry[0].changes[0].value.event).toBe("APPROVED");
  });

  it("reads and edits one template by id (edit sends it back to review)", async () => {
    const created = await graph("POST", `/v24.0/${emulator.wabaId}/message_templates`, {
      body: definition("editar"),
    });
    emulator.control.setTemplateStatus(created.body.id, "APPROVED");
    const got = await graph("GET", `/v24.0/${created.body.id}`);
    expect(got.body).toMatchObject({ id: created.body.id, name: "editar", status: "APPROVED" });
    const edited = await graph("POST", `/v24.0/${created.body.id}`, {
      body: {
        components: [
          {
            type: "BODY",
            text: "Oi {{1}}, pedido {{2}} saiu.",
            example: { body_text: [["Ana", "#9"]] },
          },
        ],
      },
    });
    expect(edited.body).toEqual({ success: true });
    expect((await graph("GET", `/v24.0/${created.body.id}`)).body.status).toBe("PENDING");
  });
});
