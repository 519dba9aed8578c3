import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personalDataFor } from "../crypto/personalData.js";
import { bsuidHash, phoneHash } from "../test/factories.js";
import { createTestComponents, type TestComponents } from "../test/support.js";
import { inboundPayload, type TestCustomer, unixSeconds, wamid } from "../test/whatsapp.js";
import { extractInboxEvents, type InboxEvent } from "../webhooks/whatsapp/inboxEvents.js";
import { storeInboxEvents } from "../webhooks/whatsapp/index.js";
import { whatsappEventProcessor } from "./whatsappEventProcessor.js";

/**
 * The worker's processing of many stored webhook events at once (one job gathers many
 * deliveries at high rates): the same outcome as one by one, a bad event isolated, reruns
 * harmless, concurrent jobs about the same new customers still giving one contact each.
 */
let components: TestComponents;

beforeAll(async () => {
  components = await createTestComponents();
});

afterAll(async () => {
  await components?.cleanup();
});

const personal = () => personalDataFor(components.env.ENCRYPTION_KEY);

let phoneSeq = 0;
const newPhone = () => {
  phoneSeq += 1;
  return `55117${String(process.pid % 1e4).padStart(4, "0")}${String(phoneSeq).padStart(4, "0")}`;
};

/** Stores the events of inbound messages (texts, `sentAt` seconds apart) as the webhook does. */
async function storeTexts(
  customer: TestCustomer,
  texts: string[],
  sentAt: Date = new Date(),
): Promise<InboxEvent[]> {
  const events = extractInboxEvents(
    inboundPayload(
      texts.map((body, i) => ({
        type: "text",
        text: { body },
        timestamp: unixSeconds(new Date(sentAt.getTime() + i * 1_000)),
      })),
      customer,
    ),
  );
  await storeInboxEvents(components.db, personal(), events);
  return events;
}

const processEvents = (eventKeys: string[]) =>
  whatsappEventProcessor({
    db: components.db,
    eventKeys,
    reopenHours: 24,
    personalData: personal(),
  });

async function contactOf(waId: string) {
  return components
    .db("contacts")
    .where("wa_id_hash", phoneHash(components.env, waId))
    .first("id", "name");
}

describe("whatsappEventProcessor, many events at once", () => {
  it("stores every customer's messages in order: one contact and one conversation each, counted once", async () => {
    const ana = { waId: newPhone(), name: "Ana" };
    const bia = { waId: newPhone(), name: "Bia" };
    const caio = { userId: `BR.${newPhone()}`, name: "Caio" };
    const sentAt = new Date(Date.now() - 60_000);
    const events = [
      ...(await storeTexts(ana, ["oi", "tudo bem?", "preciso de ajuda"], sentAt)),
      ...(await storeTexts(bia, ["bom dia"], sentAt)),
      ...(await storeTexts(caio, ["olá"], sentAt)),
    ];

    const outcome = await processEvents(events.map((event) => event.key));

    expect(outcome.failed).toEqual([]);
    expect(outcome.processed.map((event) => event.eventKey)).toEqual(
      events.map((event) => event.key),
    );
    expect(outcome.processed.map((event) => event.createdMessage?.message.content)).toEqual([
      { type: "text", body: "oi" },
      { type: "text", body: "tudo bem?" },
      { type: "text", body: "preciso de ajuda" },
      { type: "text", body: "bom dia" },
      { type: "text", body: "olá" },
    ]);
    // Only each customer's first message created their conversation.
    expect(outcome.processed.map((event) => event.conversationChange?.change)).toEqual([
      "created",
      undefined,
      undefined,
      "created",
      "created",
    ]);

    const anaContact = await contactOf(ana.waId);
    expect(anaContact?.name).toBe("Ana");
    const conversations = await components
      .db("conversations")
      .where("contact_id", anaContact?.id)
      .select("id", "unread_count", "last_message_at", "last_inbound_at");
    expect(conversations).toHaveLength(1);
    expect(conversations[0]?.unread_count).toBe(3);
    expect(conversations[0]?.last_message_at).toEqual(
      new Date(Math.floor(sentAt.getTime() / 1000) * 1000 + 2_000),
    );
    const texts = await components
      .db("messages")
      .where("conversation_id", conversations[0]?.id)
      .orderBy("id")
      .pluck("text");
    expect(texts).toEqual(["oi", "tudo bem?", "preciso de ajuda"]);
    expect(
      await components
        .db("contacts")
        .where("whatsapp_user_id_hash", bsuidHash(components.env, caio.userId))
        .first("name"),
    ).toEqual({ name: "Caio" });
    const unprocessed = await components
      .db("whatsapp_inbox_events")
      .whereIn(
        "event_key",
        events.map((event) => event.key),
      )
      .whereNull("processed_at")
      .count({ count: "*" });
    expect(Number(unprocessed[0]?.count)).toBe(0);
  });

  it("isolates a malformed event: it fails alone and stays unprocessed, the others are stored", async () => {
    const good = await storeTexts({ waId: newPhone(), name: "Duda" }, ["primeira", "segunda"]);
    const bad: InboxEvent = {
      key: `m:${wamid()}`,
      kind: "message",
      // Neither a phone number nor a user id: nobody to thread it to.
      payload: JSON.stringify({ message: { id: wamid(), type: "text", text: { body: "?" } } }),
      subject: null,
    };
    await storeInboxEvents(components.db, personal(), [bad]);
    const keys = [good[0]?.key as string, bad.key, good[1]?.key as string];

    const outcome = await processEvents(keys);

    expect(outcome.failed.map((failure) => failure.eventKey)).toEqual([bad.key]);
    expect(String(outcome.failed[0]?.error)).toContain("without sender");
    expect(outcome.processed.map((event) => event.createdMessage?.message.content)).toEqual([
      { type: "text", body: "primeira" },
      { type: "text", body: "segunda" },
    ]);
    const rows = await components
      .db("whatsapp_inbox_events")
      .whereIn("event_key", keys)
      .select("event_key", "processed_at");
    const processedKeys = rows.filter((row) => row.processed_at !== null).map((r) => r.event_key);
    expect(processedKeys.sort()).toEqual([good[0]?.key, good[1]?.key].sort());
  });

  it("is harmless to run again: processed events are skipped, a message stored already is neither stored nor counted twice", async () => {
    const customer = { waId: newPhone(), name: "Edu" };
    const events = await storeTexts(customer, ["um", "dois"]);
    const keys = events.map((event) => event.key);
    await processEvents(keys);

    const again = await processEvents(keys);
    expect(again.processed.map((event) => event.outcome)).toEqual([
      "already_processed",
      "already_processed",
    ]);

    // As if the events were replayed (processed under other keys, an operator's replay).
    await components.db("whatsapp_inbox_events").whereIn("event_key", keys).update({
      processed_at: null,
    });
    const [later] = await storeTexts(customer, ["três"]);
    const afterCrash = await processEvents([...keys, later?.key as string, "m:never-stored"]);
    expect(afterCrash.failed).toEqual([]);
    expect(afterCrash.processed.map((event) => event.outcome)).toEqual([
      "processed",
      "processed",
      "processed",
      "missing",
    ]);
    // Only the new message is announced and counted.
    expect(afterCrash.processed.map((event) => event.createdMessage?.message.content)).toEqual([
      undefined,
      undefined,
      { type: "text", body: "três" },
      undefined,
    ]);
    const contact = await contactOf(customer.waId);
    const conversation = await components
      .db("conversations")
      .where("contact_id", contact?.id)
      .first("id", "unread_count");
    expect(conversation?.unread_count).toBe(3);
    expect(
      await components
        .db("messages")
        .where("conversation_id", conversation?.id)
        .orderBy("id")
        .pluck("text"),
    ).toEqual(["um", "dois", "três"]);
  });

  it("reopens a recently resolved conversation once for a batch of the customer's messages", async () => {
    const customer = { waId: newPhone(), name: "Fabi" };
    await processEvents((await storeTexts(customer, ["pedido?"])).map((event) => event.key));
    const contact = await contactOf(customer.waId);
    await components
      .db("conversations")
      .where("contact_id", contact?.id)
      .update({ status: "resolved", resolved_at: new Date(Date.now() - 3_600_000) });

    const outcome = await processEvents(
      (await storeTexts(customer, ["voltei", "ainda sem pedido"])).map((event) => event.key),
    );

    expect(outcome.processed.map((event) => event.conversationChange?.change)).toEqual([
      "status",
      undefined,
    ]);
    const conversations = await components
      .db("conversations")
      .where("contact_id", contact?.id)
      .select("status", "unread_count");
    expect(conversations).toEqual([{ status: "open", unread_count: 3 }]);
  });

  it("gives concurrent jobs about the same new customers one contact and one conversation each", async () => {
    const customers = Array.from({ length: 5 }, (_, i) => ({ waId: newPhone(), name: `G${i}` }));
    const first: string[] = [];
    const second: string[] = [];
    for (const customer of customers) {
      const events = await storeTexts(customer, ["a", "b"]);
      first.push(events[0]?.key as string);
      second.push(events[1]?.key as string);
    }

    const outcomes = await Promise.all([processEvents(first), processEvents(second.reverse())]);

    expect(outcomes.flatMap((outcome) => outcome.failed)).toEqual([]);
    for (const customer of customers) {
      const contacts = await components
        .db("contacts")
        .where("wa_id_hash", phoneHash(components.env, customer.waId))
        .pluck("id");
      expect(contacts).toHaveLength(1);
      const conversations = await components
        .db("conversations")
        .where("contact_id", contacts[0])
        .select("unread_count");
      expect(conversations).toEqual([{ unread_count: 2 }]);
    }
  });
});
