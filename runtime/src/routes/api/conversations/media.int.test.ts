import { randomBytes } from "node:crypto";
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../../../test/api.js";
import { buildUser, insertContact } from "../../../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

/**
 * `GET /api/conversations/:id/messages/:messageId/media`: the browser sees a message's stored
 * file only in a conversation the user may see, with headers that keep a hostile file inert.
 */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=",
  "base64",
);

let components: TestComponents;
let server: TestServer;
let mediaDir: string;
let agent: { cookie: string; id: number };
let colleague: { id: number };

beforeAll(async () => {
  mediaDir = path.join("/tmp", `atende-media-read-${randomBytes(4).toString("hex")}`);
  components = await createTestComponents({ env: { MEDIA_DIR: mediaDir } });
  server = await getTestServer(components);
  const { user, cookie } = await signIn(server.url, components.db, { role: "agent" });
  agent = { cookie, id: user.id };
  colleague = { id: (await buildUser(components.db, { role: "agent" })).user.id };
}, 30_000);

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
  if (mediaDir !== undefined) await rm(mediaDir, { recursive: true, force: true });
});

let seq = 0;

async function conversation(assignedUserId: number | null = null): Promise<number> {
  seq += 1;
  const contactId = await insertContact(components.db, components.env, {
    waId: `5511977${String(seq).padStart(6, "0")}`,
    name: `Cliente ${seq}`,
  });
  const [id] = await components.db("conversations").insert({
    contact_id: contactId,
    status: "open",
    assigned_user_id: assignedUserId,
    opened_at: new Date(),
    last_message_at: new Date(),
    last_inbound_at: new Date(),
  });
  return id as number;
}

/** An inbound media message with its `message_media` row and, when `bytes` is given, its file. */
async function mediaMessage(
  conversationId: number,
  media: {
    kind: string;
    mimeType: string;
    status?: "pending" | "ready" | "failed";
    bytes?: Buffer;
    filename?: string | null;
    path?: string;
  },
): Promise<number> {
  seq += 1;
  const [messageId] = await components.db("messages").insert({
    conversation_id: conversationId,
    direction: "inbound",
    wamid: `wamid.media.${seq}.${randomBytes(4).toString("hex")}`,
    type: media.kind,
    content: JSON.stringify({
      type: media.kind,
      caption: null,
      mimeType: media.mimeType,
      filename: media.filename ?? null,
      voice: false,
      animated: false,
    }),
    text: "",
    sent_at: new Date(),
  });
  const relative = media.path ?? path.join("inbound", `${messageId}.bin`);
  if (media.bytes !== undefined) {
    await mkdir(path.dirname(path.join(mediaDir, relative)), { recursive: true });
    await writeFile(path.join(mediaDir, relative), media.bytes);
  }
  await components.db("message_media").insert({
    message_id: messageId,
    whatsapp_media_id: `media-${seq}`,
    kind: media.kind,
    mime_type: media.mimeType,
    filename: media.filename ?? null,
    status: media.status ?? "ready",
    size_bytes: media.bytes?.length ?? null,
    path: media.status === undefined || media.status === "ready" ? relative : null,
    error: media.status === "failed" ? "media_not_found" : null,
  });
  return messageId as number;
}

function get(conversationId: number | string, messageId: number | string, headers = {}) {
  return fetch(`${server.url}/api/conversations/${conversationId}/messages/${messageId}/media`, {
    headers: { Cookie: agent.cookie, ...headers },
  });
}

describe("GET /api/conversations/:id/messages/:messageId/media", () => {
  it("serves a stored image inline with its type, nosniff, a sandbox CSP and private caching", async () => {
    const conversationId = await conversation();
    const messageId = await mediaMessage(conversationId, {
      kind: "image",
      mimeType: "image/png",
      bytes: PNG,
    });
    const response = await get(conversationId, messageId);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer())).toEqual(PNG);
    expect(response.headers.get("content-type")).toBe("image/png");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("content-security-policy")).toMatch(
      /^sandbox;.*default-src 'none'/,
    );
    expect(response.headers.get("cache-control")).toMatch(/^private, max-age=\d+$/);
    expect(response.headers.get("content-disposition")).toMatch(/^inline;/);
  });

  it("sends documents as attachments under a safe name, even text with HTML inside", async () => {
    const conversationId = await conversation();
    const html = Buffer.from("<script>alert(1)</script><h1>oi</h1>");
    const messageId = await mediaMessage(conversationId, {
      kind: "document",
      mimeType: "text/plain",
      bytes: html,
      filename: 'relatório "final"\r\n.html',
    });
    const response = await get(conversationId, messageId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const disposition = response.headers.get("content-disposition") ?? "";
    expect(disposition).toMatch(/^attachment; filename="relat_rio _final___.html"; filename\*=/);
    expect(disposition).not.toMatch(/[\r\n]/);
    expect(await response.text()).toBe(html.toString());
  });

  it("never serves an image type WhatsApp does not carry inline", async () => {
    const conversationId = await conversation();
    const messageId = await mediaMessage(conversationId, {
      kind: "image",
      mimeType: "image/svg+xml",
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    });
    const response = await get(conversationId, messageId);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
  });

  it("answers a range request, so audio and video can seek", async () => {
    const conversationId = await conversation();
    const bytes = Buffer.concat([Buffer.from("OggS"), randomBytes(500)]);
    const messageId = await mediaMessage(conversationId, {
      kind: "audio",
      mimeType: "audio/ogg; codecs=opus",
      bytes,
    });
    const response = await get(conversationId, messageId, { Range: "bytes=0-9" });
    expect(response.status).toBe(206);
    expect(response.headers.get("content-type")).toBe("audio/ogg");
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(0, 10));
  });

  it("is 404 while the media downloads, after it failed, and when the file is gone", async () => {
    const conversationId = await conversation();
    const pending = await mediaMessage(conversationId, {
      kind: "image",
      mimeType: "image/jpeg",
      status: "pending",
    });
    const failed = await mediaMessage(conversationId, {
      kind: "image",
      mimeType: "image/jpeg",
      status: "failed",
    });
    const gone = await mediaMessage(conversationId, { kind: "image", mimeType: "image/png" });
    for (const messageId of [pending, failed, gone]) {
      const response = await get(conversationId, messageId);
      expect(response.status).toBe(404);
      expect(response.headers.get("content-type")).toMatch(/^application\/json/);
      expect((await jsonBody(response)).error).toBe("not_found");
    }
  });

  it("is 404 for a conversation the agent may not see and for a message of another conversation", async () => {
    const theirs = await conversation(colleague.id);
    const hidden = await mediaMessage(theirs, {
      kind: "image",
      mimeType: "image/png",
      bytes: PNG,
    });
    expect((await get(theirs, hidden)).status).toBe(404);
    const mine = await conversation(agent.id);
    // A visible conversation id does not open another conversation's message.
    expect((await get(mine, hidden)).status).toBe(404);
    expect((await get(999_999, hidden)).status).toBe(404);
    expect((await get(mine, 999_999)).status).toBe(404);
  });

  it("never serves a file outside the media volume", async () => {
    const conversationId = await conversation();
    await writeFile(path.join("/tmp", "atende-outside.txt"), "secret");
    const messageId = await mediaMessage(conversationId, {
      kind: "image",
      mimeType: "image/png",
      path: "../atende-outside.txt",
    });
    expect((await get(conversationId, messageId)).status).toBe(404);
  });

  it("refuses bad ids with 400 and a signed-out browser with 401", async () => {
    expect((await get("abc", 1)).status).toBe(400);
    expect((await get(1, "1;DROP TABLE messages")).status).toBe(400);
    const signedOut = await fetch(`${server.url}/api/conversations/1/messages/1/media`);
    expect(signedOut.status).toBe(401);
  });
});
