import { randomBytes } from "node:crypto";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import type { Knex } from "knex";
import { pino } from "pino";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../logger.js";
import { RETENTION_EVERY_MS, startWorkerService } from "../../services/worker.js";
import { insertContact } from "../../test/factories.js";
import { createTestComponents, type TestComponents } from "../../test/support.js";
import { ShutdownHelper } from "../../utils/ShutdownHelper.js";
import { bullPrefix, QueueRegistry } from "../index.js";
import {
  ApplyRetentionTask,
  monthsBefore,
  RETENTION_PLACEHOLDER,
  type RetentionMode,
} from "./ApplyRetentionTask.js";

const NOW = new Date("2026-11-20T12:00:00.000Z");
const monthsAgo = (months: number) => monthsBefore(NOW, months);

let components: TestComponents;
let mediaDir: string;
let logLines: string[];
let logger: Logger;

beforeAll(async () => {
  components = await createTestComponents();
  mediaDir = await mkdtemp(path.join(tmpdir(), "atende-retention-"));
  logLines = [];
  logger = pino(
    { level: "info" },
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(chunk.toString());
        done();
      },
    }),
  ) as unknown as Logger;
});

afterAll(async () => {
  await components?.cleanup();
  if (mediaDir) await rm(mediaDir, { recursive: true, force: true });
});

beforeEach(async () => {
  const { db } = components;
  for (const table of [
    "message_statuses",
    "message_media",
    "messages",
    "conversations",
    "contacts",
    "whatsapp_inbox_events",
  ]) {
    await db(table).delete();
  }
  logLines.length = 0;
});

const exists = (file: string) =>
  access(path.join(mediaDir, file)).then(
    () => true,
    () => false,
  );

const task = (mode: RetentionMode, months: number | null = 6) =>
  new ApplyRetentionTask({
    db: components.db,
    mediaDir,
    logger,
    months: months ?? undefined,
    mode,
    auditDays: 365,
    now: () => NOW,
  });

async function contact(db: Knex, name: string): Promise<number> {
  return insertContact(db, components.env, {
    waId: `55119${Math.floor(Math.random() * 1e8)}`,
    whatsappUserId: `BR.${randomBytes(8).toString("hex")}`,
    name,
    username: `@${name.toLowerCase()}`,
  });
}

/** A conversation with one message per date: text, then an image with its file on the volume. */
async function conversation(
  db: Knex,
  contactId: number,
  dates: Date[],
): Promise<{ id: number; wamids: string[]; files: string[] }> {
  const last = dates[dates.length - 1] ?? NOW;
  const [id] = await db("conversations").insert({
    contact_id: contactId,
    status: "resolved",
    opened_at: dates[0],
    last_message_at: last,
    last_inbound_at: last,
  });
  const wamids: string[] = [];
  const files: string[] = [];
  for (const [index, sentAt] of dates.entries()) {
    const wamid = `wamid.${randomBytes(12).toString("hex")}`;
    const image = index % 2 === 1;
    const text = image ? "Foto do meu RG 123.456.789-00" : "Meu CPF é 123.456.789-00";
    const [messageId] = await db("messages").insert({
      conversation_id: id,
      direction: index % 3 === 2 ? "outbound" : "inbound",
      wamid,
      type: image ? "image" : "text",
      content: JSON.stringify(
        image
          ? {
              type: "image",
              caption: text,
              mimeType: "image/jpeg",
              filename: "rg.jpg",
              voice: false,
              animated: false,
            }
          : { type: "text", body: text },
      ),
      text,
      sent_at: sentAt,
      created_at: sentAt,
    });
    await db("message_statuses").insert({
      wamid,
      status: "read",
      status_rank: 4,
      status_at: sentAt,
    });
    if (image) {
      const file = path.join("2026", `${messageId}.jpg`);
      await mkdir(path.join(mediaDir, "2026"), { recursive: true });
      await writeFile(path.join(mediaDir, file), "jpeg bytes");
      await db("message_media").insert({
        message_id: messageId,
        whatsapp_media_id: `media-${messageId}`,
        kind: "image",
        mime_type: "image/jpeg",
        sha256: "abc",
        filename: "rg.jpg",
        status: "ready",
        size_bytes: 10,
        path: file,
      });
      files.push(file);
    }
    wamids.push(wamid);
  }
  return { id: id as number, wamids, files };
}

async function inboxEvent(db: Knex, receivedAt: Date, processed: boolean): Promise<string> {
  const eventKey = `message:${randomBytes(8).toString("hex")}`;
  await db("whatsapp_inbox_events").insert({
    event_key: eventKey,
    kind: "message",
    payload: JSON.stringify({ text: { body: "Meu CPF é 123.456.789-00" } }),
    received_at: receivedAt,
    processed_at: processed ? receivedAt : null,
  });
  return eventKey;
}

/** Ana: one old conversation only. Bruno: an old one and a recent one. Carla: old start, recent end. */
async function seed(db: Knex) {
  const ana = await contact(db, "Ana");
  const anaOld = await conversation(db, ana, [monthsAgo(9), monthsAgo(8)]);
  const bruno = await contact(db, "Bruno");
  const brunoOld = await conversation(db, bruno, [monthsAgo(13), monthsAgo(12), monthsAgo(7)]);
  const brunoRecent = await conversation(db, bruno, [monthsAgo(1), monthsAgo(1)]);
  const carla = await contact(db, "Carla");
  const carlaLong = await conversation(db, carla, [monthsAgo(10), monthsAgo(2)]);
  const events = {
    oldProcessed: await inboxEvent(db, monthsAgo(8), true),
    oldUnprocessed: await inboxEvent(db, monthsAgo(8), false),
    recentProcessed: await inboxEvent(db, monthsAgo(1), true),
  };
  return { ana, anaOld, bruno, brunoOld, brunoRecent, carla, carlaLong, events };
}

describe("ApplyRetentionTask", () => {
  it("does nothing at all when RETENTION_MONTHS is unset", async () => {
    const { db } = components;
    const data = await seed(db);
    expect(await task("delete", null).apply()).toBeUndefined();
    expect(await db("messages").count({ n: "*" }).first()).toEqual({ n: 9 });
    expect(await exists(data.anaOld.files[0] ?? "")).toBe(true);
  });

  it("delete mode removes old conversations with their messages, statuses, media files and now-empty contacts, and keeps everything recent", async () => {
    const { db } = components;
    const data = await seed(db);
    const counts = await task("delete").apply();
    expect(counts).toEqual({
      conversations: 2,
      messages: 5,
      mediaFiles: 2,
      contacts: 1,
      inboxEvents: 1,
    });

    const conversations = (await db("conversations").orderBy("id").pluck("id")) as number[];
    expect(conversations).toEqual([data.brunoRecent.id, data.carlaLong.id]);
    expect(await db("contacts").orderBy("id").pluck("name")).toEqual(["Bruno", "Carla"]);
    const gone = [...data.anaOld.wamids, ...data.brunoOld.wamids];
    expect(await db("messages").whereIn("wamid", gone).count({ n: "*" }).first()).toEqual({ n: 0 });
    expect(await db("message_statuses").whereIn("wamid", gone).count({ n: "*" }).first()).toEqual({
      n: 0,
    });
    for (const file of [...data.anaOld.files, ...data.brunoOld.files])
      expect(await exists(file)).toBe(false);
    // Recent conversations, and one whose last message is recent, are untouched.
    for (const file of [...data.brunoRecent.files, ...data.carlaLong.files])
      expect(await exists(file)).toBe(true);
    expect(await db("messages").count({ n: "*" }).first()).toEqual({ n: 4 });
    expect(await db("message_media").count({ n: "*" }).first()).toEqual({ n: 2 });
    expect(await db("whatsapp_inbox_events").orderBy("id").pluck("event_key")).toEqual([
      data.events.oldUnprocessed,
      data.events.recentProcessed,
    ]);

    // A second run finds nothing left to do.
    expect(await task("delete").apply()).toEqual({
      conversations: 0,
      messages: 0,
      mediaFiles: 0,
      contacts: 0,
      inboxEvents: 0,
    });
  });

  it("anonymise mode replaces old content with a placeholder, removes media files and names, and keeps dates, direction and type", async () => {
    const { db } = components;
    const data = await seed(db);
    const before = await db("messages")
      .where("conversation_id", data.brunoOld.id)
      .orderBy("id")
      .select("direction", "type", "sent_at");
    const counts = await task("anonymise").apply();
    expect(counts).toEqual({
      conversations: 2,
      messages: 5,
      mediaFiles: 2,
      contacts: 1,
      inboxEvents: 1,
    });

    const old = await db("messages")
      .whereIn("conversation_id", [data.anaOld.id, data.brunoOld.id])
      .orderBy("id")
      .select("text", "content", "type");
    expect(old).toHaveLength(5);
    for (const message of old) {
      expect(message.text).toBe(RETENTION_PLACEHOLDER);
      const content =
        typeof message.content === "string" ? JSON.parse(message.content) : message.content;
      expect(content).toEqual({
        type: "unsupported",
        originalType: message.type,
        errorCode: null,
        errorTitle: RETENTION_PLACEHOLDER,
        errorDetails: null,
        body: null,
      });
    }
    expect(
      await db("messages")
        .where("conversation_id", data.brunoOld.id)
        .orderBy("id")
        .select("direction", "type", "sent_at"),
    ).toEqual(before);
    const everything = JSON.stringify(
      await db("messages")
        .whereIn("conversation_id", [data.anaOld.id, data.brunoOld.id])
        .select("*"),
    );
    expect(everything).not.toContain("123.456.789-00");
    expect(everything).not.toContain("rg.jpg");

    const media = await db("message_media")
      .join("messages", "messages.id", "message_media.message_id")
      .where("messages.conversation_id", data.anaOld.id)
      .select("message_media.path", "message_media.filename", "message_media.status");
    expect(media).toEqual([{ path: null, filename: null, status: "failed" }]);
    for (const file of [...data.anaOld.files, ...data.brunoOld.files])
      expect(await exists(file)).toBe(false);
    for (const file of [...data.brunoRecent.files, ...data.carlaLong.files])
      expect(await exists(file)).toBe(true);

    // Ana has only old conversations: anonymised. Bruno still talks to the business: kept.
    expect(await db("contacts").where("id", data.ana).first()).toMatchObject({
      name: null,
      wa_id_hash: null,
      wa_id_sealed: null,
      whatsapp_user_id_hash: null,
      whatsapp_user_id_sealed: null,
      username_sealed: null,
    });
    expect(await db("contacts").where("id", data.bruno).first()).toMatchObject({ name: "Bruno" });
    // Recent content is untouched; conversations and statuses stay for the counts.
    expect(await db("messages").where("conversation_id", data.carlaLong.id).pluck("text")).toEqual([
      "Meu CPF é 123.456.789-00",
      "Foto do meu RG 123.456.789-00",
    ]);
    expect(await db("conversations").count({ n: "*" }).first()).toEqual({ n: 4 });
    expect(await db("message_statuses").count({ n: "*" }).first()).toEqual({ n: 9 });

    expect(await task("anonymise").apply()).toEqual({
      conversations: 0,
      messages: 0,
      mediaFiles: 0,
      contacts: 0,
      inboxEvents: 0,
    });
  });

  it("logs counts, never content", async () => {
    const { db } = components;
    await seed(db);
    await task("anonymise").apply();
    const line = logLines.find((entry) => entry.includes("retention applied")) ?? "";
    expect(JSON.parse(line)).toMatchObject({
      mode: "anonymise",
      months: 6,
      conversations: 2,
      messages: 5,
    });
    expect(logLines.join("")).not.toContain("123.456.789-00");
    expect(logLines.join("")).not.toContain("Ana");
  });

  it("works through many old conversations in batches", async () => {
    const { db } = components;
    const someone = await contact(db, "Muitos");
    const when = monthsAgo(30);
    const rows = Array.from({ length: 250 }, () => ({
      contact_id: someone,
      status: "resolved",
      opened_at: when,
      last_message_at: when,
    }));
    await db.batchInsert("conversations", rows, 100);
    const ids = (await db("conversations").pluck("id")) as number[];
    await db.batchInsert(
      "messages",
      ids.flatMap((id) =>
        [0, 1, 2].map(() => ({
          conversation_id: id,
          direction: "inbound",
          wamid: `wamid.${randomBytes(12).toString("hex")}`,
          type: "text",
          content: JSON.stringify({ type: "text", body: "oi" }),
          text: "oi",
          sent_at: when,
        })),
      ),
      500,
    );
    expect(await task("delete").apply()).toMatchObject({
      conversations: 250,
      messages: 750,
      contacts: 1,
    });
    expect(await db("conversations").count({ n: "*" }).first()).toEqual({ n: 0 });
  });
});

describe("the worker service", () => {
  it("applies retention once at start and schedules it daily, from RETENTION_MONTHS and RETENTION_MODE", async () => {
    const worker = await createTestComponents({
      env: { RETENTION_MONTHS: "3", RETENTION_MODE: "delete", MEDIA_DIR: mediaDir },
    });
    const shutdown = new ShutdownHelper({
      logger: worker.logger,
      timeoutMs: 5_000,
      exit: () => {},
    });
    const queues = new QueueRegistry({
      connection: worker.redis,
      prefix: bullPrefix(worker.env),
      logger: worker.logger,
    });
    try {
      const someone = await contact(worker.db, "Antiga");
      const old = await conversation(worker.db, someone, [monthsBefore(new Date(), 5)]);
      const recent = await conversation(worker.db, someone, [monthsBefore(new Date(), 1)]);
      await startWorkerService(worker, shutdown);
      let left: number[] = [];
      for (let i = 0; i < 100; i++) {
        left = (await worker.db("conversations").orderBy("id").pluck("id")) as number[];
        if (left.length === 1) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(left).toEqual([recent.id]);
      expect(old.id).not.toBe(recent.id);
      const schedulers = await queues.get("housekeeping").getJobSchedulers();
      expect(schedulers).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ key: "apply-retention", every: RETENTION_EVERY_MS }),
        ]),
      );
    } finally {
      await shutdown.shutdown("test");
      await queues.close();
      await worker.cleanup();
    }
  });
});

describe("monthsBefore", () => {
  it("prunes activity-log entries older than the audit retention, and only those", async () => {
    const day = 86_400_000;
    const rows = [400, 366, 364, 1].map((daysAgo) => ({
      action: "sessions.fail",
      data: JSON.stringify({ daysAgo }),
      created_at: new Date(NOW.getTime() - daysAgo * day),
    }));
    await components.db("activity_log").insert(rows);
    await task("anonymise", null).perform();
    const left = await components
      .db("activity_log")
      .where({ action: "sessions.fail" })
      .select("data");
    const ages = left.map(
      (row) => (typeof row.data === "string" ? JSON.parse(row.data) : row.data).daysAgo,
    );
    expect(ages.sort((a: number, b: number) => a - b)).toEqual([1, 364]);
    // The opt-in is per transaction: outside the pruner the table still refuses deletes.
    await expect(components.db("activity_log").delete()).rejects.toThrow(/append-only/);
  });

  it("goes back calendar months, landing on the month's last day when the day does not exist", () => {
    expect(monthsBefore(new Date("2026-03-31T10:00:00Z"), 1).toISOString()).toBe(
      "2026-02-28T10:00:00.000Z",
    );
    expect(monthsBefore(new Date("2026-11-20T12:00:00Z"), 12).toISOString()).toBe(
      "2025-11-20T12:00:00.000Z",
    );
  });
});
