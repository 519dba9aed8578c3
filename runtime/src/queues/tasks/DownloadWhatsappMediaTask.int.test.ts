import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createTestComponents, type TestComponents } from "../../test/support.js";
import { inboundPayload, postWebhook } from "../../test/whatsapp.js";
import { startWhatsappStack, type WhatsappStack } from "../../test/whatsappStack.js";

/** Media downloads against the Cloud API emulator's Graph API (lookup, expiring URL, bytes). */
let mediaDir: string;
let components: TestComponents;
let stack: WhatsappStack;

beforeAll(async () => {
  mediaDir = await mkdtemp(path.join(tmpdir(), "atende-media-"));
  components = await createTestComponents({ env: { MEDIA_DIR: mediaDir } });
  stack = await startWhatsappStack(components, { mediaRetryDelayMs: 50 });
});

afterEach(() => {
  stack.emulator.control.updateSettings({ mediaUrlTtlMs: 5 * 60_000 });
  stack.emulator.control.restoreToken();
});

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
  await rm(mediaDir, { recursive: true, force: true });
});

interface MediaState {
  status: string;
  error: string | null;
  path: string | null;
  mime_type: string | null;
  size_bytes: number | null;
  attempts: number;
}

/** Sends a media message from the emulated phone and waits for its media to settle. */
async function receiveMedia(
  input: Record<string, unknown>,
  from = "5511960000001",
): Promise<MediaState> {
  const { wamid } = stack.emulator.control.receive({ from, ...input });
  await stack.emulator.control.waitForWebhooks();
  return settledMedia(wamid);
}

async function settledMedia(wamid: string): Promise<MediaState> {
  let state: MediaState | undefined;
  await expect
    .poll(
      async () => {
        state = await components
          .db("messages as m")
          .join("message_media as mm", "mm.message_id", "m.id")
          .where("m.wamid", wamid)
          .first(
            "mm.status",
            "mm.error",
            "mm.path",
            "mm.mime_type",
            "mm.size_bytes",
            "mm.attempts",
          );
        return state?.status;
      },
      { timeout: 15_000, interval: 50 },
    )
    .toMatch(/^(ready|failed)$/);
  if (state === undefined) throw new Error("no media row");
  return state;
}

const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe("DownloadWhatsappMediaTask", () => {
  it("downloads an image into MEDIA_DIR with its type and size", async () => {
    const media = await receiveMedia({
      type: "image",
      image: { data: png.toString("base64"), mime_type: "image/png", caption: "foto" },
    });
    expect(media).toMatchObject({
      status: "ready",
      error: null,
      mime_type: "image/png",
      size_bytes: png.length,
    });
    expect(media.path).toMatch(/^\d{4}\/\d{2}\/\d+-[0-9a-f]{12}\.png$/);
    expect(await readFile(path.join(mediaDir, media.path ?? ""))).toEqual(png);
  });

  it("marks a media id Graph does not know as failed with the reason, without retrying", async () => {
    const payload = inboundPayload(
      [
        {
          type: "document",
          document: { id: "1480009999999", mime_type: "application/pdf", filename: "x.pdf" },
        },
      ],
      { waId: "5511960000002" },
      stack.emulator.phoneNumberId,
    );
    expect((await postWebhook(stack.server.url, stack.secrets.appSecret, payload)).status).toBe(
      200,
    );
    const wamid = ((
      payload.entry as Array<{ changes: Array<{ value: { messages: Array<{ id: string }> } }> }>
    )[0]?.changes[0]?.value.messages[0]?.id ?? "") as string;
    const media = await settledMedia(wamid);
    expect(media.status).toBe("failed");
    expect(media.error).toMatch(/media not found or no longer available/);
    expect(media.attempts).toBe(1);
  });

  it("retries an expired download URL with a fresh one, then stores the file", async () => {
    stack.emulator.control.updateSettings({ mediaUrlTtlMs: 0 });
    const { wamid } = stack.emulator.control.receive({
      from: "5511960000003",
      type: "image",
      image: { data: png.toString("base64"), mime_type: "image/png" },
    });
    await stack.emulator.control.waitForWebhooks();
    // The first attempt meets an expired URL; then URLs live again.
    await expect
      .poll(
        async () =>
          (
            await components
              .db("message_media as mm")
              .join("messages as m", "m.id", "mm.message_id")
              .where("m.wamid", wamid)
              .first("mm.error")
          )?.error ?? null,
        { timeout: 10_000, interval: 20 },
      )
      .toMatch(/expired or not found \(HTTP 404\)/);
    stack.emulator.control.updateSettings({ mediaUrlTtlMs: 5 * 60_000 });
    const media = await settledMedia(wamid);
    expect(media).toMatchObject({ status: "ready", error: null });
    expect(media.attempts).toBeGreaterThanOrEqual(2);
  });

  it("gives up on a URL that keeps expiring: failed, with the reason", async () => {
    stack.emulator.control.updateSettings({ mediaUrlTtlMs: 0 });
    const media = await receiveMedia(
      { type: "audio", audio: { mime_type: "audio/ogg", voice: true } },
      "5511960000004",
    );
    expect(media.status).toBe("failed");
    expect(media.error).toBe("media URL expired or not found (HTTP 404)");
    expect(media.attempts).toBe(4);
  });

  it("refuses a file over the kind's size limit", async () => {
    const big = Buffer.alloc(600 * 1024, 1);
    const media = await receiveMedia(
      { type: "sticker", sticker: { data: big.toString("base64"), mime_type: "image/webp" } },
      "5511960000005",
    );
    expect(media.status).toBe("failed");
    expect(media.error).toMatch(/^refused: sticker of 614400 bytes exceeds the 512000-byte limit/);
    expect(media.attempts).toBe(1);
  });

  it("fails with a clear reason when the access token was revoked", async () => {
    stack.emulator.control.revokeToken();
    const media = await receiveMedia(
      { type: "video", video: { mime_type: "video/mp4" } },
      "5511960000006",
    );
    expect(media.status).toBe("failed");
    expect(media.error).toMatch(/access token invalid or expired/);
    expect(media.error).not.toContain(stack.emulator.accessToken);
  });

  it("leaves no partial files behind", async () => {
    const files = await readdir(mediaDir, { recursive: true });
    expect(files.filter((file) => String(file).endsWith(".part"))).toEqual([]);
  });
});
