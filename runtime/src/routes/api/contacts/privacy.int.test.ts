import { randomUUID } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personalDataFor } from "../../../crypto/personalData.js";
import { signIn } from "../../../test/api.js";
import { findContact, phoneHash } from "../../../test/factories.js";
import { createTestComponents, jsonBody, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/**
 * LGPD rights of one person, end to end: their messages arrive through the emulator's webhooks
 * (text and an image downloaded into the media volume), they answer the consent question, agents
 * tag them and write a note; an export holds every identifier, and after an erasure a scan of
 * every table, the media volume and Redis finds none of them, while another customer's data is
 * untouched.
 */
let components: TestComponents;
let stack: WhatsappStack;
let mediaDir: string;
let admin: string;
let adminId: number;

interface Person {
  phone: string;
  name: string;
  text: string;
  contactId: number;
  bsuid: string;
  /** Every wamid of their conversation (inbound, the consent question, their tap). */
  wamids: string[];
}

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), "atende-privacy-"));
  components = await createTestComponents({
    env: {
      MEDIA_DIR: mediaDir,
      CONSENT_PROMPT: "true",
      CONSENT_TEXT_VERSION: "privacy-v1",
    },
  });
  stack = await startWhatsappStack(components);
  const { user, cookie } = await signIn(stack.server.url, components.db, { role: "admin" });
  adminId = user.id;
  admin = cookie;
});

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
  await rm(mediaDir, { recursive: true, force: true });
});

/**
 * A customer writes a text and sends a photo, then taps "Concordo" on the consent question;
 * resolves once everything is stored, downloaded and sent.
 */
async function customerWrites(phone: string, name: string, text: string): Promise<Person> {
  const { control } = stack.emulator;
  control.receive({ from: phone, name, type: "text", text });
  control.receive({ from: phone, name, type: "image", image: { mime_type: "image/jpeg" } });
  await control.waitForWebhooks();
  // Polled by hand: this also runs in beforeAll, where expect.poll is not available.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const downloaded = await components
      .db("message_media as mm")
      .join("messages as m", "m.id", "mm.message_id")
      .join("conversations as c", "c.id", "m.conversation_id")
      .join("contacts as ct", "ct.id", "c.contact_id")
      .where("ct.wa_id_hash", phoneHash(components.env, phone))
      .andWhere("mm.status", "ready")
      .first("mm.path");
    const texts = await components
      .db("messages as m")
      .join("conversations as c", "c.id", "m.conversation_id")
      .join("contacts as ct", "ct.id", "c.contact_id")
      .where("ct.wa_id_hash", phoneHash(components.env, phone))
      .andWhere("m.type", "text")
      .first("m.id");
    if (downloaded !== undefined && texts !== undefined) break;
    if (Date.now() > deadline) throw new Error(`messages of ${phone} were not stored in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const question = await untilDefined<{ wamid: string }>(() =>
    components
      .db("messages as m")
      .join("conversations as c", "c.id", "m.conversation_id")
      .join("contacts as ct", "ct.id", "c.contact_id")
      .where("ct.wa_id_hash", phoneHash(components.env, phone))
      .andWhere({ "m.origin": "system" })
      .whereNotNull("m.wamid")
      .first("m.wamid"),
  );
  control.receive({
    from: phone,
    name,
    type: "interactive",
    context: { id: question.wamid },
    interactive: {
      type: "button_reply",
      button_reply: { id: "consent:grant:privacy-v1", title: "Concordo" },
    },
  });
  await control.waitForWebhooks();
  const contact = await untilDefined(async () => {
    const found = await findContact(components.db, components.env, { waId: phone });
    return found?.row.consent_status === "granted" ? found : undefined;
  });
  const wamids = (await components
    .db("messages as m")
    .join("conversations as c", "c.id", "m.conversation_id")
    .where("c.contact_id", contact.id)
    .whereNotNull("m.wamid")
    .pluck("m.wamid")) as string[];
  return { phone, name, text, contactId: contact.id, bsuid: contact.whatsappUserId ?? "", wamids };
}

/** Polls by hand (also used in beforeAll, where expect.poll is not available). */
async function untilDefined<T>(probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("not there in time");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Tags the person and writes a private note about them, each holding a unique marker. */
async function agentsDescribe(person: Person, marker: string): Promise<void> {
  await components
    .db("contact_tags")
    .insert({ contact_id: person.contactId, tag: `tag ${marker}` });
  const conversation = await components
    .db("conversations")
    .where({ contact_id: person.contactId })
    .first("id");
  await components.db("conversation_notes").insert({
    conversation_id: conversation.id,
    author_user_id: adminId,
    body: `Ligou reclamando, ${person.name} pediu retorno: nota ${marker}`,
  });
}

const call = (method: string, pathname: string, body?: unknown) =>
  fetch(`${stack.server.url}/api${pathname}`, {
    method,
    headers: { "Content-Type": "application/json", Cookie: admin },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Every row of every table of the tenant database (but `except`), as one string. */
async function databaseDump(except: readonly string[] = []): Promise<string> {
  const tables = (await components.db
    .select("table_name as name")
    .from("information_schema.tables")
    .where("table_schema", components.database.name)) as Array<{ name: string }>;
  const parts: string[] = [];
  for (const { name } of tables) {
    if (except.includes(name)) continue;
    parts.push(JSON.stringify(await components.db(name).select("*")));
  }
  return parts.join("\n");
}

/** Names and contents of every file on the media volume. */
async function mediaDump(): Promise<string> {
  const entries = await readdir(mediaDir, { recursive: true, withFileTypes: true });
  const parts: string[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    parts.push(file, (await readFile(file)).toString("latin1"));
  }
  return parts.join("\n");
}

/** Every value under the tenant's Redis prefix (sessions, queues, jobs, the event journal). */
async function redisDump(): Promise<string> {
  const { redis, env } = components;
  const parts: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${env.REDIS_PREFIX}*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      if (type === "string") parts.push(key, (await redis.get(key)) ?? "");
      else if (type === "hash") parts.push(key, JSON.stringify(await redis.hgetall(key)));
      // The catch-up journal of live events (texts, names).
      else if (type === "stream")
        parts.push(key, JSON.stringify(await redis.xrange(key, "-", "+")));
      else if (type === "list") parts.push(key, JSON.stringify(await redis.lrange(key, 0, -1)));
      else if (type === "set") parts.push(key, JSON.stringify(await redis.smembers(key)));
      else if (type === "zset") parts.push(key, JSON.stringify(await redis.zrange(key, 0, -1)));
      else parts.push(key);
    }
  } while (cursor !== "0");
  return parts.join("\n");
}

const markers = new Map<Person, string>();
const identifiers = (person: Person) => [
  person.phone,
  person.bsuid,
  person.name,
  person.text,
  ...person.wamids,
  ...(markers.has(person) ? [`tag ${markers.get(person)}`, `nota ${markers.get(person)}`] : []),
];

describe("sensitive numbers in customers' messages", () => {
  it("stores CPF and card numbers masked, in the message and in the kept webhook event", async () => {
    const { control } = stack.emulator;
    const { wamid } = control.receive({
      from: "5511970007575",
      name: "Cliente CPF",
      type: "text",
      text: "meu cpf 529.982.247-25 e cartão 4111 1111 1111 1111, pedido 123456789012",
    });
    await control.waitForWebhooks();
    await expect
      .poll(
        async () => (await components.db("messages").where({ wamid }).first("text"))?.text ?? null,
        {
          timeout: 10_000,
        },
      )
      .toBe("meu cpf ***.***.***-25 e cartão **** **** **** 1111, pedido 123456789012");
    const event = await components
      .db("whatsapp_inbox_events")
      .where({ event_key: `m:${wamid}` })
      .first();
    const raw =
      personalDataFor(components.env.ENCRYPTION_KEY).open(
        "whatsapp_inbox_events.payload",
        event.payload,
      ) ?? "";
    expect(raw).toContain("123456789012");
    expect(raw).not.toContain("529.982.247-25");
    expect(raw).not.toContain("4111 1111 1111 1111");
  });
});

describe("a customer's identifiers at rest", () => {
  it("stores number and BSUID only sealed and hashed, while the inbox shows, finds and answers them", async () => {
    const person = await customerWrites(
      "5511970007171",
      "Olga Cifrada",
      "Olga aqui, cadê meu pedido?",
    );
    // Text, photo and the tap on "Concordo" found the same contact again by its keyed hash.
    expect(
      await components
        .db("contacts")
        .where({ wa_id_hash: phoneHash(components.env, person.phone) })
        .pluck("id"),
    ).toEqual([person.contactId]);
    const conversations = await components
      .db("conversations")
      .where({ contact_id: person.contactId })
      .pluck("id");
    expect(conversations).toHaveLength(1);
    expect(person.bsuid).toMatch(/^[A-Z]{2}\./);

    // Not even in the raw webhook events kept until retention: their payloads are sealed too.
    const stored = await databaseDump();
    expect(stored).not.toContain(person.phone);
    expect(stored).not.toContain(person.bsuid);
    expect(stored).toContain(person.text);

    // Agents still see the number, and find the conversation by it, typed as people type it.
    for (const q of [person.phone, "+55 (11) 97000-7171", "11 97000-7171"]) {
      const found = (await jsonBody(await call("GET", `/conversations?q=${encodeURIComponent(q)}`)))
        .data as unknown as { conversations: Array<{ id: number; contact: unknown }> };
      expect(found.conversations, q).toEqual([
        expect.objectContaining({
          id: conversations[0],
          contact: { id: person.contactId, name: person.name, waId: person.phone },
        }),
      ]);
    }
    const panel = await jsonBody(await call("GET", `/contacts/${person.contactId}`));
    expect(panel.data).toMatchObject({ waId: person.phone });

    // A reply reaches the customer's phone: the send task opens the sealed number.
    const reply = await call("POST", `/conversations/${conversations[0]}/messages`, {
      clientKey: randomUUID(),
      message: { type: "text", body: "Olá Olga, já verifico" },
    });
    expect(reply.status).toBe(201);
    await expect
      .poll(
        () =>
          stack.emulator.control
            .messages({ to: person.phone })
            .some((message) => JSON.stringify(message).includes("já verifico")),
        { timeout: 15_000 },
      )
      .toBe(true);
  });
});

describe("a person's data, exported and erased", () => {
  let erased: Person;
  let kept: Person;
  let erasedFiles: string[];

  beforeAll(async () => {
    erased = await customerWrites(
      "5511970004242",
      "Mariana Esquecível",
      "Oi, aqui é a Mariana Esquecível, pedido 7781",
    );
    kept = await customerWrites("5511970005353", "Paulo Mantido", "Paulo aqui, tudo certo?");
    markers.set(erased, "mx81erased");
    markers.set(kept, "mx82kept");
    await agentsDescribe(erased, "mx81erased");
    await agentsDescribe(kept, "mx82kept");
    erasedFiles = (await components
      .db("message_media as mm")
      .join("messages as m", "m.id", "mm.message_id")
      .join("conversations as c", "c.id", "m.conversation_id")
      .where("c.contact_id", erased.contactId)
      .pluck("mm.path")) as string[];
    expect(erasedFiles).toHaveLength(1);
  });

  it("exports everything held about the person in one machine-readable document", async () => {
    const response = await call("GET", `/contacts/${erased.contactId}/export`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toContain(
      `contact-${erased.contactId}.json`,
    );
    const document = JSON.stringify((await jsonBody(response)).data);
    for (const identifier of identifiers(erased)) expect(document).toContain(identifier);
    expect(document).toContain(erasedFiles[0]);
    for (const identifier of identifiers(kept)) expect(document).not.toContain(identifier);
    const exported = (await jsonBody(await call("GET", `/contacts/${erased.contactId}/export`)))
      .data as unknown as {
      contact: Record<string, unknown>;
      tags: string[];
      consentRecords: Array<Record<string, unknown>>;
      conversations: Array<{ messages: unknown[]; notes: Array<Record<string, unknown>> }>;
      webhookEvents: unknown[];
    };
    // The identifiers in clear, never their ciphertexts or hashes.
    expect(exported.contact).toMatchObject({
      id: erased.contactId,
      wa_id: erased.phone,
      whatsapp_user_id: erased.bsuid,
      name: erased.name,
    });
    expect(
      Object.keys(exported.contact).filter((column) => /_(hash|sealed)$/.test(column)),
    ).toEqual([]);
    // Text, photo, the consent question and the tap on "Concordo".
    expect(exported.conversations[0]?.messages).toHaveLength(4);
    expect(exported.webhookEvents.length).toBeGreaterThan(0);
    expect(exported.tags).toEqual(["tag mx81erased"]);
    expect(exported.consentRecords.map((record) => [record.status, record.text_version])).toEqual([
      ["asked", "privacy-v1"],
      ["granted", "privacy-v1"],
    ]);
    expect(exported.conversations[0]?.notes).toEqual([
      expect.objectContaining({
        author_name: "Agent Test",
        body: expect.stringContaining("mx81erased"),
      }),
    ]);
  });

  it("refuses an erasure that is not confirmed with the contact's id, changing nothing", async () => {
    const response = await call("POST", `/contacts/${erased.contactId}/erase`, {
      confirmContactId: kept.contactId,
    });
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).data).toEqual({ field: "confirmContactId" });
    expect(await databaseDump()).toContain(erased.text);
    expect(await findContact(components.db, components.env, { waId: erased.phone })).toMatchObject({
      id: erased.contactId,
      waId: erased.phone,
      whatsappUserId: erased.bsuid,
    });
  });

  it("after an erasure, no table, media file or Redis key holds any of the person's identifiers", async () => {
    const response = await call("POST", `/contacts/${erased.contactId}/erase`, {
      confirmContactId: erased.contactId,
    });
    expect(response.status).toBe(200);
    expect((await jsonBody(response)).data).toMatchObject({
      contactId: erased.contactId,
      mode: "anonymise",
      conversations: 1,
      messages: 4,
      mediaFiles: 1,
    });

    const database = await databaseDump();
    const media = await mediaDump();
    const redis = await redisDump();
    for (const identifier of identifiers(erased)) {
      expect(database, `database holds ${identifier}`).not.toContain(identifier);
      expect(media, `media holds ${identifier}`).not.toContain(identifier);
      expect(redis, `redis holds ${identifier}`).not.toContain(identifier);
    }
    expect(media).not.toContain(erasedFiles[0]);
    // Nothing is left to find or open the person by.
    expect(await components.db("contacts").where({ id: erased.contactId }).first()).toMatchObject({
      wa_id_hash: null,
      wa_id_sealed: null,
      whatsapp_user_id_hash: null,
      whatsapp_user_id_sealed: null,
      username_sealed: null,
      name: null,
    });
    // Another customer's data is untouched (their number and BSUID only sealed, as always).
    for (const identifier of identifiers(kept)) {
      if (identifier === kept.phone || identifier === kept.bsuid) continue;
      expect(database).toContain(identifier);
    }
    expect(await findContact(components.db, components.env, { waId: kept.phone })).toMatchObject({
      id: kept.contactId,
      whatsappUserId: kept.bsuid,
    });
    expect(
      await components.db("whatsapp_inbox_events").where({
        contact_hash: phoneHash(components.env, kept.phone),
      }),
    ).not.toHaveLength(0);
    // The note stays as a fact (who, when), without its text; consent history and tags are gone.
    const notes = await components
      .db("conversation_notes as n")
      .join("conversations as c", "c.id", "n.conversation_id")
      .where("c.contact_id", erased.contactId)
      .select("n.author_user_id", "n.body");
    expect(notes).toEqual([{ author_user_id: adminId, body: "Nota removida (LGPD)." }]);
    expect(await components.db("consent_records").where({ contact_id: erased.contactId })).toEqual(
      [],
    );
    expect(
      await components.db("consent_records").where({ contact_id: kept.contactId }),
    ).toHaveLength(2);
    // Anonymous counts stay: the messages' dates, direction and type.
    const counts = await components
      .db("messages as m")
      .join("conversations as c", "c.id", "m.conversation_id")
      .where("c.contact_id", erased.contactId)
      .select("m.direction", "m.type");
    expect(counts).toEqual(
      expect.arrayContaining([
        { direction: "inbound", type: "text" },
        { direction: "inbound", type: "image" },
      ]),
    );
    const audit = await components.db("activity_log").where({ action: "contacts.erase" }).first();
    expect(typeof audit.data === "string" ? JSON.parse(audit.data) : audit.data).toMatchObject({
      contactId: erased.contactId,
      mediaFiles: 1,
    });
  });

  it("in delete mode leaves no row of the person at all", async () => {
    const gone = await customerWrites(
      "5511970006464",
      "Rita Apagada",
      "Rita: me apaguem, por favor",
    );
    markers.set(gone, "mx83gone");
    await agentsDescribe(gone, "mx83gone");
    const response = await call("POST", `/contacts/${gone.contactId}/erase`, {
      mode: "delete",
      confirmContactId: gone.contactId,
    });
    expect(response.status).toBe(200);
    expect(await components.db("contacts").where({ id: gone.contactId }).first()).toBeUndefined();
    const database = await databaseDump();
    for (const identifier of identifiers(gone)) expect(database).not.toContain(identifier);
  });

  it("is refused to roles without the permission", async () => {
    const { cookie } = await signIn(stack.server.url, components.db, { role: "agent" });
    for (const [method, pathname, body] of [
      ["GET", `/contacts/${kept.contactId}/export`, undefined],
      ["POST", `/contacts/${kept.contactId}/erase`, { confirmContactId: kept.contactId }],
    ] as const) {
      const response = await fetch(`${stack.server.url}/api${pathname}`, {
        method,
        headers: { "Content-Type": "application/json", Cookie: cookie },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      expect(response.status).toBe(403);
    }
  });
});
