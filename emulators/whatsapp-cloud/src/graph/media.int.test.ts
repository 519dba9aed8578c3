import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CloudApiEmulator } from "../createCloudApiEmulator.js";
import { type GraphClient, type Receiver, startPair } from "../test/support.js";

let emulator: CloudApiEmulator;
let receiver: Receiver;
let graph: GraphClient;
let close: () => Promise<void>;

beforeEach(async () => {
  ({ emulator, receiver, graph, close } = await startPair());
});

afterEach(async () => {
  await close();
});

function uploadForm(bytes: Buffer, type: string, filename = "file.bin"): FormData {
  const form = new FormData();
  form.append("messaging_product", "whatsapp");
  form.append("type", type);
  form.append("file", new Blob([bytes], { type }), filename);
  return form;
}

const pdf = Buffer.from("%PDF-1.4\nboleto\n%%EOF\n");

describe("media", () => {
  it("uploads (multipart), describes with an expiring URL, and downloads with the bearer token", async () => {
    const uploaded = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(pdf, "application/pdf", "boleto.pdf"),
    });
    expect(uploaded.status).toBe(200);
    expect(uploaded.body).toEqual({ id: expect.stringMatching(/^\d+$/) });
    const info = await graph(
      "GET",
      `/v24.0/${uploaded.body.id}?phone_number_id=${emulator.phoneNumberId}`,
    );
    expect(info.body).toEqual({
      messaging_product: "whatsapp",
      url: expect.stringContaining(
        `${emulator.url}/whatsapp_business/attachments/?mid=${uploaded.body.id}&ext=`,
      ),
      mime_type: "application/pdf",
      sha256: createHash("sha256").update(pdf).digest("hex"),
      file_size: String(pdf.length),
      id: uploaded.body.id,
    });
    const download = await fetch(info.body.url, {
      headers: { Authorization: `Bearer ${emulator.accessToken}` },
    });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/application\/pdf/);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it("requires the bearer token to download", async () => {
    const { body } = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(pdf, "application/pdf"),
    });
    const info = await graph("GET", `/v24.0/${body.id}`);
    const anonymous = await fetch(info.body.url);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: number } }).error.code).toBe(190);
  });

  it("answers 404 once the URL has expired (5 minutes), and a fresh URL works", async () => {
    const { body } = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(pdf, "application/pdf"),
    });
    const old = await graph("GET", `/v24.0/${body.id}`);
    emulator.control.advanceClock(5 * 60 * 1000 + 1000);
    const expired = await fetch(old.body.url, {
      headers: { Authorization: `Bearer ${emulator.accessToken}` },
    });
    expect(expired.status).toBe(404);
    const fresh = await graph("GET", `/v24.0/${body.id}`);
    const ok = await fetch(fresh.body.url, {
      headers: { Authorization: `Bearer ${emulator.accessToken}` },
    });
    expect(ok.status).toBe(200);
  });

  it("answers 404 for a tampered URL", async () => {
    const { body } = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(pdf, "application/pdf"),
    });
    const info = await graph("GET", `/v24.0/${body.id}`);
    const tampered = info.body.url.replace(/ext=\d+/, "ext=9999999999");
    const response = await fetch(tampered, {
      headers: { Authorization: `Bearer ${emulator.accessToken}` },
    });
    expect(response.status).toBe(404);
  });

  it("refuses types and sizes Meta refuses", async () => {
    const exe = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(Buffer.from("MZ"), "application/x-msdownload"),
    });
    expect(exe.status).toBe(400);
    expect(exe.body.error.code).toBe(100);
    const bigSticker = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(Buffer.alloc(600 * 1024), "image/webp"),
    });
    expect(bigSticker.body.error.code).toBe(131053);
    const noProduct = new FormData();
    noProduct.append("file", new Blob([pdf], { type: "application/pdf" }), "a.pdf");
    expect(
      (await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, { form: noProduct })).body
        .error.code,
    ).toBe(131008);
  });

  it("sends an uploaded image by id, and refuses the id after DELETE", async () => {
    emulator.control.receive({ from: "5511988887777", type: "text", text: "oi" });
    await receiver.waitForPosts(1);
    const png = Buffer.from("89504e470d0a1a0a", "hex");
    const { body } = await graph("POST", `/v24.0/${emulator.phoneNumberId}/media`, {
      form: uploadForm(png, "image/png", "a.png"),
    });
    const sendImage = () =>
      graph("POST", `/v24.0/${emulator.phoneNumberId}/messages`, {
        body: {
          messaging_product: "whatsapp",
          to: "5511988887777",
          type: "image",
          image: { id: body.id, caption: "Segue" },
        },
      });
    expect((await sendImage()).status).toBe(200);
    expect((await graph("DELETE", `/v24.0/${body.id}`)).body).toEqual({ success: true });
    expect((await graph("GET", `/v24.0/${body.id}`)).status).toBe(400);
    expect((await sendImage()).body.error.code).toBe(131009);
  });

  it("expires media ids received in webhooks after 7 days", async () => {
    const { message } = emulator.control.receive({
      from: "5511988887777",
      type: "image",
      image: { caption: "foto" },
    });
    const id = (message.message.image as { id: string }).id;
    expect((await graph("GET", `/v24.0/${id}`)).status).toBe(200);
    emulator.control.advanceClock(7 * 24 * 3600 * 1000 + 1000);
    const gone = await graph("GET", `/v24.0/${id}`);
    expect(gone.status).toBe(400);
    expect(gone.body.error).toMatchObject({ code: 100, error_subcode: 33 });
  });
});
