import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildUser } from "../../../test/factories.js";
import { createTestComponents, jsonBody, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/**
 * LGPD rights of one person, end to end: their messages arrive through the emulator's webhooks
 * (text and an image downloaded into the media volume), an export holds every identifier, and
 * after an erasure a scan of every table, the media volume and Redis finds none of them, while
 * another customer's data is untouched.
 */
let components: TestComponents;
let stack: WhatsappStack;
let mediaDir: string;
let admin: string;

interface Person {
  phone: string;
  name: string;
  text: string;
  contactId: number;
  bsuid: string;
}

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), "atende-privacy-"));
  components = await createTestComponents({ env: { MEDIA_DIR: mediaDir } });
  stack = await startWhatsappStack(components);
  const { user, password } = await buildUser(components.db, { role: "admin" });
  const response = await fetch(`${stack.server.url}/api/session`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: user.email, password }),
  });
  admin = (response.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
});

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
  await rm(mediaDir, { recursive: true, force: true });
});

/** A customer writes a text and sends a photo; resolves once both are stored and downloaded. */
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
      .where("ct.wa_id", phone)
      .andWhere("mm.status", "ready")
      .first("mm.path");
    const texts = await components
      .db("messages as m")
      .join("conversations as c", "c.id", "m.conversation_id")
      .join("contacts as ct", "ct.id", "c.contact_id")
      .where("ct.wa_id", phone)
      .andWhere("m.type", "text")
      .first("m.id");
    if (downloaded !== undefined && texts !== undefined) break;
    if (Date.now() > deadline) throw new Error(`messages of ${phone} were not stored in time`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const contact = await components.db("contacts").where({ wa_id: phone }).first();
  return { phone, name, text, contactId: contact.id, bsuid: contact.whatsapp_user_id };
}

const call = (method: string, pathname: string, body?: unknown) =>
  fetch(`${stack.server.url}/api${pathname}`, {
    method,
    headers: { "Content-Type": "application/json", Cookie: admin },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** Every row of every table of the tenant database, as one string. */
async function databaseDump(): Promise<string> {
  const tables = (await components.db
    .select("table_name as name")
    .from("information_schema.tables")
    .where("table_schema", components.database.name)) as Array<{ name: string }>;
  const parts: string[] = [];
  for (const { name } of tables) {
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

/** Every string and hash value under the tenant's Redis prefix (sessions, queues, jobs). */
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
      else parts.push(key);
    }
  } while (cursor !== "0");
  return parts.join("\n");
}

const identifiers = (person: Person) => [person.phone, person.bsuid, person.name, person.text];

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
    const raw = typeof event.payload === "string" ? event.payload : JSON.stringify(event.payload);
    expect(raw).not.toContain("529.982.247-25");
    expect(raw).not.toContain("4111 1111 1111 1111");
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
      conversations: Array<{ messages: unknown[] }>;
      webhookEvents: unknown[];
    };
    expect(exported.conversations[0]?.messages).toHaveLength(2);
    expect(exported.webhookEvents.length).toBeGreaterThan(0);
  });

  it("refuses an erasure that is not confirmed with the contact's id, changing nothing", async () => {
    const response = await call("POST", `/contacts/${erased.contactId}/erase`, {
      confirmContactId: kept.contactId,
    });
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).data).toEqual({ field: "confirmContactId" });
    expect(await databaseDump()).toContain(erased.phone);
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
      messages: 2,
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
    // Another customer's data is untouched.
    for (const identifier of identifiers(kept)) expect(database).toContain(identifier);
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
    const { user, password } = await buildUser(components.db, { role: "agent" });
    const signIn = await fetch(`${stack.server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: user.email, password }),
    });
    const cookie = (signIn.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
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
