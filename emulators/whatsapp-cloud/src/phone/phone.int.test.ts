import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CloudApiEmulator, createCloudApiEmulator } from "../createCloudApiEmulator.js";

let emulator: CloudApiEmulator;

beforeAll(async () => {
  emulator = createCloudApiEmulator();
  await emulator.start();
});

afterAll(async () => {
  await emulator.stop();
});

describe("the emulated phone page", () => {
  it("is served with a strict CSP and loads its script from a separate file", async () => {
    const response = await fetch(`${emulator.url}/phone`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/text\/html/);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).toContain("default-src 'none'");
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0]?.[1]).toContain('src="/phone/phone.js"');
    expect(scripts[0]?.[2]?.trim()).toBe("");
    expect(html).not.toMatch(/\son[a-z]+=/i);
    expect(html).not.toMatch(/<style|\sstyle=/i);
  });

  it("serves the script and stylesheet with the right types", async () => {
    const js = await fetch(`${emulator.url}/phone/phone.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toMatch(/text\/javascript/);
    expect(await js.text()).toContain("/_emulator");
    const css = await fetch(`${emulator.url}/phone/phone.css`);
    expect(css.headers.get("content-type")).toMatch(/text\/css/);
  });

  it("never builds HTML from strings (message text is untrusted)", () => {
    const source = readFileSync(new URL("./phone.js", import.meta.url), "utf8");
    expect(source).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
    );
  });

  it("redirects the root to the phone page", async () => {
    const response = await fetch(emulator.url, { redirect: "manual" });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/phone");
  });

  it("serves what the page reads: the conversation with typing state and media bytes", async () => {
    const { wamid } = emulator.control.receive({
      from: "5511988887777",
      type: "image",
      image: { data: Buffer.from("png-bytes").toString("base64"), mime_type: "image/png" },
    });
    const response = await fetch(`${emulator.url}/_emulator/conversations/5511988887777`);
    // biome-ignore lint/suspicious/noExplicitAny: the test reads the body loosely.
    const conversation: any = await response.json();
    expect(conversation).toMatchObject({
      typing: false,
      messages: [{ direction: "in", wamid, type: "image" }],
    });
    const mediaId = conversation.messages[0].message.image.id;
    const media = await fetch(`${emulator.url}/_emulator/media/${mediaId}`);
    expect(media.headers.get("content-type")).toBe("image/png");
    expect(media.headers.get("x-content-type-options")).toBe("nosniff");
    expect(Buffer.from(await media.arrayBuffer()).toString()).toBe("png-bytes");
  });
});
