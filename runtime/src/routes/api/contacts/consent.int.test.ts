import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContactPanelPayload } from "../../../../contracts/contacts.js";
import { assertConsentAllowsSend, consentOnInbound } from "../../../commands/consentRecorder.js";
import { scheduleWhatsappSend } from "../../../queues/tasks/SendWhatsappMessageTask.js";
import { signIn } from "../../../test/api.js";
import { insertContact, phoneHash } from "../../../test/factories.js";
import { createTestComponents, jsonBody, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/**
 * Consent (LGPD) end to end: a customer's phone (the emulator) writes, receives the question
 * with buttons, taps them or sends SAIR; the runtime records every decision and refuses the
 * sends that consent no longer allows, so nothing reaches the phone.
 */
const TEXT_VERSION = "2026-12-test";

let components: TestComponents;
let stack: WhatsappStack;
let agent: string;

beforeAll(async () => {
  components = await createTestComponents({
    env: { CONSENT_PROMPT: "true", CONSENT_TEXT_VERSION: TEXT_VERSION },
  });
  stack = await startWhatsappStack(components, { sendRetryDelayMs: 50 });
  agent = (await signIn(stack.server.url, components.db, { role: "manager" })).cookie;
}, 30_000);

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
});

let customerSeq = 0;
const newPhone = () => {
  customerSeq += 1;
  return `55118${String(Date.now() % 1e4).padStart(4, "0")}${String(customerSeq).padStart(4, "0")}`;
};

async function waitFor<T>(probe: () => Promise<T | undefined | null>, timeout = 15_000) {
  let value: T | undefined | null;
  await expect
    .poll(
      async () => {
        value = await probe();
        return value ?? null;
      },
      { timeout, interval: 50 },
    )
    .not.toBeNull();
  return value as T;
}

/** The customer sends a text; resolves with the stored message once the runtime has it. */
async function customerSays(phone: string, text: string) {
  const { wamid } = stack.emulator.control.receive({
    from: phone,
    name: "Cliente",
    type: "text",
    text,
  });
  await stack.emulator.control.waitForWebhooks();
  return waitFor<{ id: number; conversation_id: number }>(() =>
    components.db("messages").where({ wamid }).first("id", "conversation_id"),
  );
}

/** The customer taps a reply button of a message the business sent. */
async function customerTaps(phone: string, onWamid: string, id: string, title: string) {
  const { wamid } = stack.emulator.control.receive({
    from: phone,
    name: "Cliente",
    type: "interactive",
    context: { id: onWamid },
    interactive: { type: "button_reply", button_reply: { id, title } },
  });
  await stack.emulator.control.waitForWebhooks();
  await waitFor(() => components.db("messages").where({ wamid }).first("id"));
  return wamid;
}

/** What the phone received from the business, oldest first. */
const phoneReceived = (phone: string) => stack.emulator.control.messages({ to: phone });

/** Waits until the phone has `count` messages from the business. */
async function phoneHas(phone: string, count: number) {
  await expect.poll(() => phoneReceived(phone).length, { timeout: 15_000 }).toBe(count);
  return phoneReceived(phone);
}

const contactOf = (phone: string) =>
  components
    .db("contacts")
    .where({ wa_id_hash: phoneHash(components.env, phone) })
    .first("id", "consent_status");

async function panel(contactId: number): Promise<ContactPanelPayload> {
  const response = await fetch(`${stack.server.url}/api/contacts/${contactId}`, {
    headers: { Cookie: agent },
  });
  expect(response.status).toBe(200);
  return (await jsonBody(response)).data as unknown as ContactPanelPayload;
}

async function send(conversationId: number, message: Record<string, unknown>) {
  const response = await fetch(`${stack.server.url}/api/conversations/${conversationId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: agent },
    body: JSON.stringify({ clientKey: randomUUID(), message }),
  });
  return { status: response.status, body: await jsonBody(response) };
}

const template = {
  type: "template",
  name: "retomar_atendimento",
  language: "pt_BR",
  body: [{ type: "text", name: "cliente", text: "Maria" }],
};

describe("asking for consent", () => {
  it("sends a new contact the question with two buttons once, as a system message", async () => {
    const phone = newPhone();
    const first = await customerSays(phone, "Oi, quero saber do meu pedido");
    const [question] = await phoneHas(phone, 1);
    expect(question?.type).toBe("interactive");
    expect(JSON.stringify(question?.body)).toContain("LGPD");
    expect(JSON.stringify(question?.body)).toContain(`consent:grant:${TEXT_VERSION}`);
    expect(JSON.stringify(question?.body)).toContain(`consent:deny:${TEXT_VERSION}`);
    expect(JSON.stringify(question?.body)).toContain("Não concordo");

    const stored = await components
      .db("messages")
      .where({ conversation_id: first.conversation_id, direction: "outbound" })
      .select("origin", "sent_by_user_id", "type");
    expect(stored).toEqual([{ origin: "system", sent_by_user_id: null, type: "interactive" }]);
    const contact = await contactOf(phone);
    expect(contact.consent_status).toBe("asked");

    // Asked once: writing again brings no second question.
    await customerSays(phone, "Alô?");
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(phoneReceived(phone)).toHaveLength(1);
    const { consent } = await panel(contact.id);
    expect(consent.history).toEqual([
      expect.objectContaining({ status: "asked", source: "system", textVersion: TEXT_VERSION }),
    ]);
  });

  it("records 'Concordo' with its text version, once however often the tap is delivered", async () => {
    const phone = newPhone();
    await customerSays(phone, "Bom dia");
    const [question] = await phoneHas(phone, 1);
    const wamid = await customerTaps(
      phone,
      question?.wamid ?? "",
      `consent:grant:${TEXT_VERSION}`,
      "Concordo",
    );
    const contact = await waitFor(async () => {
      const row = await contactOf(phone);
      return row?.consent_status === "granted" ? row : undefined;
    });
    // Meta delivers the same webhook again: nothing new is recorded.
    stack.emulator.control.receive({
      from: phone,
      wamid,
      type: "interactive",
      context: { id: question?.wamid ?? "" },
      interactive: {
        type: "button_reply",
        button_reply: { id: `consent:grant:${TEXT_VERSION}`, title: "Concordo" },
      },
    });
    await stack.emulator.control.waitForWebhooks();
    await new Promise((resolve) => setTimeout(resolve, 300));

    const { consent } = await panel(contact.id);
    expect(consent.status).toBe("granted");
    expect(consent.updatedAt).not.toBeNull();
    expect(consent.history.map((record) => [record.status, record.source])).toEqual([
      ["granted", "button"],
      ["asked", "system"],
    ]);
    expect(consent.history[0]).toMatchObject({ channel: "whatsapp", textVersion: TEXT_VERSION });
    const records = await components.db("consent_records").where({ contact_id: contact.id });
    expect(records.find((record) => record.status === "granted")?.wamid).toBe(wamid);
    // Nothing more is sent after a "yes": the agent answers.
    expect(phoneReceived(phone)).toHaveLength(1);
    // Audited with ids only.
    const audit = await components.db("activity_log").where({ action: "contacts.consent" });
    const entries = audit.map((row) =>
      typeof row.data === "string" ? JSON.parse(row.data) : row.data,
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ contactId: contact.id, status: "granted", source: "button" }),
    );
    expect(JSON.stringify(entries)).not.toContain(phone);
    expect(JSON.stringify(entries)).not.toContain(wamid);
  });

  it("takes 'Não concordo' as a refusal and confirms it", async () => {
    const phone = newPhone();
    await customerSays(phone, "Olá");
    const [question] = await phoneHas(phone, 1);
    await customerTaps(
      phone,
      question?.wamid ?? "",
      `consent:deny:${TEXT_VERSION}`,
      "Não concordo",
    );
    const received = await phoneHas(phone, 2);
    expect(received[1]?.type).toBe("text");
    expect(JSON.stringify(received[1]?.body)).toContain("VOLTAR");
    expect((await contactOf(phone)).consent_status).toBe("revoked");
  });
});

describe("withdrawing consent with SAIR", () => {
  it("confirms once, then refuses templates and unasked replies so nothing reaches the phone", async () => {
    const phone = newPhone();
    const { conversation_id: conversationId } = await customerSays(phone, "Oi");
    await phoneHas(phone, 1);
    await customerSays(phone, "  Sáir ");
    const received = await phoneHas(phone, 2);
    expect(received[1]?.type).toBe("text");
    expect(JSON.stringify(received[1]?.body)).toContain("não receberá mais");
    const contact = await contactOf(phone);
    expect(contact.consent_status).toBe("revoked");

    const refusedTemplate = await send(conversationId, template);
    expect(refusedTemplate.status).toBe(409);
    expect(refusedTemplate.body.error).toBe("consent_revoked");
    expect(refusedTemplate.body.data).toMatchObject({
      consentStatus: "revoked",
      reason: "template",
    });
    const refusedReply = await send(conversationId, { type: "text", body: "Mas espere!" });
    expect(refusedReply.status).toBe(409);
    expect(refusedReply.body.data).toMatchObject({ reason: "no_message_since_revocation" });
    // SAIR again: no second confirmation, no second record.
    await customerSays(phone, "SAIR");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(phoneReceived(phone)).toHaveLength(2);
    expect(
      await components
        .db("messages")
        .where({ conversation_id: conversationId, direction: "outbound" })
        .count({ count: "*" }),
    ).toEqual([{ count: 2 }]);
    const { consent } = await panel(contact.id);
    expect(consent.history.map((record) => [record.status, record.source])).toEqual([
      ["revoked", "keyword"],
      ["asked", "system"],
    ]);
  });

  it("does not send a template that was queued before the customer withdrew", async () => {
    const phone = newPhone();
    const { conversation_id: conversationId } = await customerSays(phone, "Oi");
    await phoneHas(phone, 1);
    await customerSays(phone, "SAIR");
    await phoneHas(phone, 2);
    // As the sender stored it while consent still allowed it; the job runs after SAIR.
    const [messageId] = await components.db("messages").insert({
      conversation_id: conversationId,
      direction: "outbound",
      wamid: null,
      type: "template",
      content: JSON.stringify({ type: "text", body: "retomar_atendimento" }),
      text: "retomar_atendimento",
      status: "queued",
      status_rank: 0,
      sent_at: new Date(),
      client_key: randomUUID(),
      outbound_request: JSON.stringify({
        message: template,
        contextWamid: null,
        reactionWamid: null,
      }),
      origin: "agent",
    });
    await scheduleWhatsappSend(stack.server.queues, Number(messageId));
    const failed = await waitFor<{ failure_reason: string }>(() =>
      components.db("messages").where({ id: messageId, status: "failed" }).first("failure_reason"),
    );
    expect(failed?.failure_reason).toBe("consent_revoked");
    expect(phoneReceived(phone)).toHaveLength(2);
  });

  it("lets an agent answer a customer who writes again, but still refuses templates", async () => {
    const phone = newPhone();
    const { conversation_id: conversationId } = await customerSays(phone, "SAIR");
    // A first message that is SAIR is not asked anything: only the confirmation goes.
    const received = await phoneHas(phone, 1);
    expect(received[0]?.type).toBe("text");
    expect((await contactOf(phone)).consent_status).toBe("revoked");

    await customerSays(phone, "Esqueci: meu pedido chegou quebrado");
    const reply = await send(conversationId, { type: "text", body: "Sinto muito! Vamos trocar." });
    expect(reply.status).toBe(201);
    await phoneHas(phone, 2);
    expect((await send(conversationId, template)).body.error).toBe("consent_revoked");
  });

  it("VOLTAR gives consent again, with a thank-you, and templates go again", async () => {
    const phone = newPhone();
    const { conversation_id: conversationId } = await customerSays(phone, "PARAR");
    await phoneHas(phone, 1);
    await customerSays(phone, "voltar");
    const received = await phoneHas(phone, 2);
    expect(JSON.stringify(received[1]?.body)).toContain("Obrigado");
    expect((await contactOf(phone)).consent_status).toBe("granted");
    const sent = await send(conversationId, template);
    expect(sent.status).toBe(201);
    await phoneHas(phone, 3);
  });

  it("refuses automatic answers to a customer who withdrew, and nothing to one never asked", async () => {
    const phone = newPhone();
    const { conversation_id: conversationId } = await customerSays(phone, "Oi");
    const contact = await contactOf(phone);
    const check = (origin: "agent" | "automatic", messageType: "text" | "template") =>
      assertConsentAllowsSend(components.db, {
        contactId: contact.id,
        conversationId,
        messageType,
        origin,
      });
    await expect(check("automatic", "text")).resolves.toBeUndefined();
    await customerSays(phone, "STOP");
    await waitFor(async () =>
      (await contactOf(phone)).consent_status === "revoked" ? true : undefined,
    );
    await expect(check("automatic", "text")).rejects.toMatchObject({
      id: "consent_revoked",
      status: 409,
    });
    await expect(check("agent", "template")).rejects.toMatchObject({ id: "consent_revoked" });
  });

  it("honours SAIR when the tenant does not ask, and asks nothing then", async () => {
    const contactId = await insertContact(components.db, components.env, { waId: newPhone() });
    const [conversationId] = await components
      .db("conversations")
      .insert({ contact_id: contactId, status: "open" });
    const settings = { prompt: false, textVersion: "v-off", text: "?" };
    const apply = (body: string, wamid: string) =>
      components.db.transaction((trx) =>
        consentOnInbound(trx, {
          contactId: contactId as number,
          conversationId: conversationId as number,
          wamid,
          content: { type: "text", body },
          settings,
        }),
      );
    expect(await apply("Oi", "wamid.off-1")).toEqual({ systemMessages: [], changed: false });
    expect((await components.db("contacts").where({ id: contactId }).first()).consent_status).toBe(
      "unknown",
    );
    const { systemMessages: confirmation, changed } = await apply("sair", "wamid.off-2");
    expect(changed).toBe(true);
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]?.message).toMatchObject({ direction: "outbound", status: "queued" });
    const contact = await components.db("contacts").where({ id: contactId }).first();
    expect(contact.consent_status).toBe("revoked");
    expect(
      await components
        .db("consent_records")
        .where({ contact_id: contactId })
        .select("text_version"),
    ).toEqual([{ text_version: "v-off" }]);
  });
});
