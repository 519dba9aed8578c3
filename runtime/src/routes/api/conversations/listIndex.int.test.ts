import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ConversationListQuery,
  ConversationListQuerySchema,
} from "../../../../contracts/conversations.js";
import type { Permission } from "../../../../contracts/permissions.js";
import type { ConversationViewer } from "../../../commands/conversationAccess.js";
import { conversationListQuery } from "../../../commands/conversationReader.js";
import { personalDataFor } from "../../../crypto/personalData.js";
import { buildUser, contactColumns } from "../../../test/factories.js";
import { createTestComponents, type TestComponents } from "../../../test/support.js";

/**
 * The conversation list stays fast with many conversations: MariaDB reads it in `sort_at` order
 * from an index and stops after a page, instead of sorting the whole table.
 */
let components: TestComponents;
let agentId: number;
// Below about 10,000 rows MariaDB rightly finds a full scan and a sort cheaper than the index.
const CONVERSATIONS = 20_000;

beforeAll(async () => {
  components = await createTestComponents();
  const { db } = components;
  agentId = (await buildUser(db)).user.id;
  const [queueId] = await db("queues").insert({ name: "Vendas" });
  await db("queue_members").insert({ queue_id: queueId, user_id: agentId });
  const contacts = Array.from({ length: CONVERSATIONS }, (_, index) =>
    contactColumns(components.env, {
      waId: `55118${String(index).padStart(8, "0")}`,
      name: `Cliente ${index}`,
    }),
  );
  for (let start = 0; start < contacts.length; start += 1_000) {
    await db("contacts").insert(contacts.slice(start, start + 1_000));
  }
  const contactIds = (await db("contacts").orderBy("id").pluck("id")) as number[];
  const now = Date.now();
  const rows = contactIds.map((contactId, index) => ({
    contact_id: contactId,
    status: index % 3 === 0 ? "resolved" : "open",
    queue_id: index % 4 === 0 ? queueId : null,
    assigned_user_id: index % 5 === 0 ? agentId : null,
    opened_at: new Date(now - index * 60_000),
    last_message_at: index % 7 === 0 ? null : new Date(now - index * 30_000),
  }));
  for (let start = 0; start < rows.length; start += 1_000) {
    await db("conversations").insert(rows.slice(start, start + 1_000));
  }
  await db.raw("ANALYZE TABLE conversations, contacts, users, queue_members");
}, 60_000);

afterAll(async () => {
  await components?.cleanup();
});

interface ExplainRow {
  table: string;
  key: string | null;
  Extra: string | null;
}

async function explain(viewer: ConversationViewer, query: Partial<ConversationListQuery>) {
  const parsed = ConversationListQuerySchema.parse(query);
  const { sql, bindings } = conversationListQuery(
    components.db,
    viewer,
    parsed,
    personalDataFor(components.env.ENCRYPTION_KEY),
  ).toSQL();
  const [rows] = (await components.db.raw(`EXPLAIN ${sql}`, bindings)) as [ExplainRow[]];
  return rows;
}

// A page further down: the keyset condition must keep using the index.
const cursor = Buffer.from(
  JSON.stringify([new Date(Date.now() - 3 * 3_600_000).toISOString(), 1_000_000]),
).toString("base64url");

const viewer = (...permissions: Permission[]): ConversationViewer => ({
  user: { id: agentId },
  permissions: new Set(permissions),
});

describe("the conversation list query", () => {
  it("reads conversations through a sort_at index without sorting them all", async () => {
    for (const [who, query] of [
      [viewer("conversations.viewAll"), {}],
      [viewer("conversations.viewAssigned"), {}],
      [viewer("conversations.viewAll"), { status: "open" as const }],
      [viewer("conversations.viewAssigned"), { view: "mine" as const }],
      [viewer("conversations.viewAssigned"), { after: cursor }],
    ] as const) {
      const rows = await explain(who, query);
      const conversations = rows.find((row) => row.table === "c");
      expect(rows[0]?.table, JSON.stringify(rows)).toBe("c");
      expect(conversations?.key ?? "", JSON.stringify(rows)).toMatch(/sort_at/);
      expect(conversations?.Extra ?? "", JSON.stringify(rows)).not.toMatch(/filesort/);
    }
  });
});
