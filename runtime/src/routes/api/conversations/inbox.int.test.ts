import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ConversationPagePayload,
  MessagePagePayload,
} from "../../../../contracts/conversations.js";
import { signIn as signInAs } from "../../../test/api.js";
import { insertContact } from "../../../test/factories.js";
import { createTestComponents, jsonBody, type TestComponents } from "../../../test/support.js";
import { startWhatsappStack, type WhatsappStack } from "../../../test/whatsappStack.js";

/** The conversation list and threads, as the inbox reads them. */
let components: TestComponents;
let stack: WhatsappStack;
let admin: string;
let agent: { cookie: string; id: number };
let colleagueId: number;
/** Conversation ids by label. */
const ids: Record<string, number> = {};

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function conversation(
  label: string,
  options: {
    name: string;
    waId: string;
    status?: "open" | "pending" | "resolved";
    assignedUserId?: number | null;
    texts: string[];
    minutesAgo: number;
  },
): Promise<void> {
  const { db } = components;
  const contactId = await insertContact(db, components.env, {
    waId: options.waId,
    name: options.name,
  });
  const at = minutesAgo(options.minutesAgo);
  const [id] = await db("conversations").insert({
    contact_id: contactId,
    status: options.status ?? "open",
    assigned_user_id: options.assignedUserId ?? null,
    opened_at: at,
    last_message_at: at,
    last_inbound_at: at,
  });
  ids[label] = id as number;
  for (const [index, text] of options.texts.entries()) {
    await db("messages").insert({
      conversation_id: id,
      direction: "inbound",
      wamid: `wamid.${label}.${index}.${Math.random().toString(36).slice(2)}`,
      type: "text",
      content: JSON.stringify({ type: "text", body: text }),
      text,
      sent_at: new Date(at.getTime() - (options.texts.length - index) * 1000),
    });
  }
}

async function signIn(role: string): Promise<{ cookie: string; id: number }> {
  const { user, cookie } = await signInAs(stack.server.url, components.db, { role });
  return { cookie, id: user.id };
}

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  admin = (await signIn("admin")).cookie;
  agent = await signIn("agent");
  colleagueId = (await signIn("agent")).id;
  await conversation("ana", {
    name: "Ana Lima",
    waId: "5511911110001",
    texts: ["Oi, quero a segunda via do boleto", "É urgente"],
    minutesAgo: 1,
  });
  await conversation("bruno", {
    name: "Bruno Costa",
    waId: "5511911110002",
    assignedUserId: agent.id,
    texts: ["Meu pedido atrasou"],
    minutesAgo: 2,
  });
  await conversation("carla", {
    name: "Carla Dias",
    waId: "5511911110003",
    assignedUserId: colleagueId,
    status: "pending",
    texts: ["Desconto de 100% existe?"],
    minutesAgo: 3,
  });
  await conversation("davi", {
    name: "Davi Souza",
    waId: "5521922220004",
    status: "resolved",
    texts: ["Obrigado!"],
    minutesAgo: 60 * 30,
  });
});

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
});

async function list(cookie: string, query = ""): Promise<ConversationPagePayload> {
  const response = await fetch(`${stack.server.url}/api/conversations${query}`, {
    headers: { Cookie: cookie },
  });
  expect(response.status, query).toBe(200);
  return (await jsonBody(response)).data as unknown as ConversationPagePayload;
}

const labelsOf = (page: ConversationPagePayload) =>
  page.conversations.map(
    (item) => Object.entries(ids).find(([, id]) => id === item.id)?.[0] ?? `#${item.id}`,
  );

describe("the conversation list", () => {
  it("shows everything to an admin, most recent activity first, with the last message and the window", async () => {
    const page = await list(admin);
    expect(labelsOf(page)).toEqual(["ana", "bruno", "carla", "davi"]);
    const ana = page.conversations[0];
    expect(ana?.contact).toMatchObject({ name: "Ana Lima", waId: "5511911110001" });
    expect(ana?.lastMessage?.content).toEqual({ type: "text", body: "É urgente" });
    expect(new Date(ana?.windowClosesAt ?? 0).getTime()).toBeGreaterThan(Date.now());
    const davi = page.conversations[3];
    expect(new Date(davi?.windowClosesAt ?? 0).getTime()).toBeLessThan(Date.now());
  });

  it("pages with a cursor: every conversation once, in order", async () => {
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page = await list(admin, `?limit=1${after ? `&after=${after}` : ""}`);
      seen.push(...labelsOf(page));
      after = page.next;
    } while (after !== null);
    expect(seen).toEqual(["ana", "bruno", "carla", "davi"]);
  });

  it("filters by status, by view and by a search over name, whole number and text", async () => {
    expect(labelsOf(await list(admin, "?status=pending"))).toEqual(["carla"]);
    expect(labelsOf(await list(admin, "?view=unassigned"))).toEqual(["ana", "davi"]);
    expect(labelsOf(await list(agent.cookie, "?view=mine"))).toEqual(["bruno"]);
    expect(labelsOf(await list(admin, "?q=costa"))).toEqual(["bruno"]);
    // A whole number, however it is typed, with or without Brazil's country code.
    expect(labelsOf(await list(admin, "?q=5521922220004"))).toEqual(["davi"]);
    expect(labelsOf(await list(admin, `?q=${encodeURIComponent("+55 (21) 92222-0004")}`))).toEqual([
      "davi",
    ]);
    expect(labelsOf(await list(admin, "?q=21922220004"))).toEqual(["davi"]);
    // Numbers are stored sealed and found by keyed hash: part of a number matches nothing.
    expect(labelsOf(await list(admin, "?q=552192222"))).toEqual([]);
    expect(labelsOf(await list(admin, "?q=0004"))).toEqual([]);
    expect(labelsOf(await list(admin, "?q=segunda%20via"))).toEqual(["ana"]);
    // % and _ are searched for, not used as wildcards.
    expect(labelsOf(await list(admin, "?q=100%25"))).toEqual(["carla"]);
    expect(labelsOf(await list(admin, "?q=_"))).toEqual([]);
  });

  it("shows an agent their own and unassigned conversations, never a colleague's", async () => {
    expect(labelsOf(await list(agent.cookie))).toEqual(["ana", "bruno", "davi"]);
    const thread = await fetch(`${stack.server.url}/api/conversations/${ids.carla}/messages`, {
      headers: { Cookie: agent.cookie },
    });
    expect(thread.status).toBe(404);
    const send = await fetch(`${stack.server.url}/api/conversations/${ids.carla}/messages`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: agent.cookie },
      body: JSON.stringify({ clientKey: "k-colleague-1", message: { type: "text", body: "oi" } }),
    });
    expect(send.status).toBe(404);
  });

  it("refuses bad parameters with the parameter named", async () => {
    for (const [query, field] of [
      ["?limit=1000", "limit"],
      ["?after=not-a-cursor", "after"],
      ["?status=archived", "status"],
      ["?q=%00", "q"],
      ["?sort=name", "query"],
    ] as const) {
      const response = await fetch(`${stack.server.url}/api/conversations${query}`, {
        headers: { Cookie: admin },
      });
      expect(response.status, query).toBe(400);
      expect((await jsonBody(response)).data).toEqual({ field });
    }
  });
});

describe("a thread", () => {
  it("pages back through history, each page oldest first", async () => {
    const first = (
      await jsonBody(
        await fetch(`${stack.server.url}/api/conversations/${ids.ana}/messages?limit=1`, {
          headers: { Cookie: admin },
        }),
      )
    ).data as unknown as MessagePagePayload;
    expect(first.messages.map((message) => message.content)).toEqual([
      { type: "text", body: "É urgente" },
    ]);
    const older = (
      await jsonBody(
        await fetch(
          `${stack.server.url}/api/conversations/${ids.ana}/messages?limit=5&before=${first.before}`,
          { headers: { Cookie: admin } },
        ),
      )
    ).data as unknown as MessagePagePayload;
    expect(older.messages.map((message) => message.content)).toEqual([
      { type: "text", body: "Oi, quero a segunda via do boleto" },
    ]);
    expect(older.before).toBeNull();
  });

  it("counts a customer's new messages as unread until an agent reads the conversation", async () => {
    const { control } = stack.emulator;
    control.receive({ from: "5511911119999", name: "Nova Cliente", type: "text", text: "Olá" });
    control.receive({ from: "5511911119999", name: "Nova Cliente", type: "text", text: "Alguém?" });
    await control.waitForWebhooks();
    await expect
      .poll(
        async () => (await list(admin, "?q=Nova%20Cliente")).conversations[0]?.unreadCount ?? 0,
        { timeout: 10_000 },
      )
      .toBe(2);
    const id = (await list(admin, "?q=Nova%20Cliente")).conversations[0]?.id;
    const read = await fetch(`${stack.server.url}/api/conversations/${id}/read`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: admin },
    });
    expect(read.status).toBe(200);
    expect((await list(admin, "?q=Nova%20Cliente")).conversations[0]?.unreadCount).toBe(0);
  });

  it("reopens a pending conversation when the customer writes", async () => {
    const { control } = stack.emulator;
    control.receive({ from: "5511911110003", name: "Carla Dias", type: "text", text: "E aí?" });
    await control.waitForWebhooks();
    await expect
      .poll(async () => (await list(admin, "?q=Carla")).conversations[0]?.status, {
        timeout: 10_000,
      })
      .toBe("open");
    expect((await list(admin, "?q=Carla")).conversations[0]?.id).toBe(ids.carla);
  });
});
