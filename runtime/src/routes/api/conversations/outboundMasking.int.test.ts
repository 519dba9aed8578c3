import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Permission } from "../../../../contracts/permissions.js";
import type { AuthContext } from "../../../auth/resolveSession.js";
import { whatsappMessageSender } from "../../../commands/whatsappMessageSender.js";
import { signIn } from "../../../test/api.js";
import { buildUser } from "../../../test/factories.js";
import { createTestComponents, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/**
 * Masking of CPF, CNPJ and card numbers in what agents send (MASK_SENSITIVE_NUMBERS, on by
 * default): the stored and shown copy is masked, the customer receives what the agent typed.
 */
let components: TestComponents;
let stack: WhatsappStack;
let cookie: string;

const typed =
  "Confirme: CPF 123.456.789-09, CNPJ 11.222.333/0001-81, cartão 4111 1111 1111 1111, pedido 12345678900.";
const masked =
  "Confirme: CPF ***.***.***-09, CNPJ **.***.***/****-81, cartão **** **** **** 1111, pedido 12345678900.";

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  ({ cookie } = await signIn(stack.server.url, components.db, { role: "agent" }));
}, 30_000);

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
});

async function customerWhoWrote(waId: string): Promise<number> {
  const { wamid } = stack.emulator.control.receive({
    from: waId,
    name: "Cliente",
    type: "text",
    text: "Oi",
  });
  await stack.emulator.control.waitForWebhooks();
  let conversationId: number | undefined;
  await expect
    .poll(
      async () => {
        conversationId = (await components.db("messages").where({ wamid }).first())
          ?.conversation_id;
        return conversationId ?? null;
      },
      { timeout: 15_000, interval: 50 },
    )
    .not.toBeNull();
  return conversationId as number;
}

async function send(conversationId: number, message: Record<string, unknown>) {
  const response = await fetch(`${stack.server.url}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/json" },
    body: JSON.stringify({ clientKey: randomUUID(), message }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { data: { id: number; content: Record<string, unknown> } })
    .data;
}

describe("masking what agents send", () => {
  it("stores and shows the masked text while the customer receives it as typed", async () => {
    const waId = "5511977776661";
    const conversationId = await customerWhoWrote(waId);
    const message = await send(conversationId, { type: "text", body: typed });
    expect(message.content).toEqual({ type: "text", body: masked });

    const row = await components.db("messages").where({ id: message.id }).first();
    expect(row.text).toBe(masked);
    expect(row.content).toEqual({ type: "text", body: masked });
    // The thread reads what was stored.
    const thread = await fetch(`${stack.server.url}/api/conversations/${conversationId}/messages`, {
      headers: { Cookie: cookie },
    });
    expect(JSON.stringify(await thread.json())).not.toContain("123.456.789-09");

    await expect
      .poll(() => stack.emulator.control.messages({ to: waId })[0]?.body ?? null, {
        timeout: 15_000,
      })
      .toMatchObject({ text: { body: typed } });
    // Once Meta has it, no column of the row keeps the text as typed (the send request goes).
    await expect
      .poll(
        async () =>
          JSON.stringify(await components.db("messages").where({ id: message.id }).first()),
        {
          timeout: 15_000,
        },
      )
      .not.toContain("123.456.789-09");
  });

  it("masks the texts of buttons messages but not their ids", async () => {
    const conversationId = await customerWhoWrote("5511977776662");
    const message = await send(conversationId, {
      type: "buttons",
      body: `Seu CPF é 123.456.789-09?`,
      buttons: [{ id: "cpf-12345678909", title: "Sim" }],
    });
    expect(message.content).toMatchObject({
      interactive: {
        body: "Seu CPF é ***.***.***-09?",
        buttons: [{ id: "cpf-12345678909", title: "Sim" }],
      },
    });
  });

  it("stores the text as typed when masking is off", async () => {
    const conversationId = await customerWhoWrote("5511977776663");
    const { user } = await buildUser(components.db, { role: "agent" });
    const auth = {
      user,
      session: {},
      permissions: new Set<Permission>(["conversations.viewAll", "messages.send"]),
    } as unknown as AuthContext;
    const { message } = await whatsappMessageSender({
      db: components.db,
      settings: stack.server.whatsappSettings,
      auth,
      conversationId,
      input: { clientKey: randomUUID(), message: { type: "text", body: typed } },
      schedule: async () => {},
      announce: async () => {},
      maskSensitiveNumbers: false,
    });
    expect(message.content).toEqual({ type: "text", body: typed });
    expect((await components.db("messages").where({ id: message.id }).first()).text).toBe(typed);
  });
});
