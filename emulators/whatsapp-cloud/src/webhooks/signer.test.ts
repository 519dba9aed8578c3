import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { serializeLikeMeta, signatureHeader } from "./signer.js";

/** protocols.md A2 worked example, as an object (key order as Meta sends it). */
const workedExample = {
  object: "whatsapp_business_account",
  entry: [
    {
      id: "100000000000001",
      changes: [
        {
          value: {
            messaging_product: "whatsapp",
            metadata: { display_phone_number: "5511999990000", phone_number_id: "200000000000002" },
            contacts: [{ profile: { name: "Maria" }, wa_id: "5511988887777" }],
            messages: [
              {
                from: "5511988887777",
                id: "wamid.TEST0001",
                timestamp: "1764230400",
                type: "text",
                text: { body: "Olá" },
              },
            ],
          },
          field: "messages",
        },
      ],
    },
  ],
};

const workedBody =
  '{"object":"whatsapp_business_account","entry":[{"id":"100000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"5511999990000","phone_number_id":"200000000000002"},"contacts":[{"profile":{"name":"Maria"},"wa_id":"5511988887777"}],"messages":[{"from":"5511988887777","id":"wamid.TEST0001","timestamp":"1764230400","type":"text","text":{"body":"Ol\\u00e1"}}]},"field":"messages"}]}]}';

describe("serializeLikeMeta", () => {
  it("reproduces the reference body byte for byte, with á escaped as \\u00e1", () => {
    const body = serializeLikeMeta(workedExample);
    expect(body).toBe(workedBody);
    expect(Buffer.byteLength(body)).toBe(427);
  });

  it("escapes ç, ã and an emoji (as its surrogate pair) and stays pure ASCII", () => {
    const body = serializeLikeMeta({ text: "Atenção, não! 😀" });
    expect(body).toBe('{"text":"Aten\\u00e7\\u00e3o, n\\u00e3o! \\ud83d\\ude00"}');
    expect(/^[\x20-\x7e]*$/.test(body)).toBe(true);
    expect(JSON.parse(body)).toEqual({ text: "Atenção, não! 😀" });
  });

  it("leaves ASCII-only payloads exactly as JSON.stringify writes them", () => {
    const payload = { a: 1, b: "x/y", c: [true, null] };
    expect(serializeLikeMeta(payload)).toBe(JSON.stringify(payload));
  });
});

describe("signatureHeader", () => {
  it("matches the documented signature of the worked example", () => {
    expect(signatureHeader(workedBody, "atende_app_secret_123")).toBe(
      "sha256=24a7fdb90e8de27ba97011390e3dd468a43c116d66a28e437965318a94b92db0",
    );
  });

  it("differs from the signature of the same payload re-serialised with raw UTF-8 (the bug to catch)", () => {
    const reserialised = JSON.stringify(JSON.parse(workedBody));
    expect(reserialised).toContain("Olá");
    expect(signatureHeader(reserialised, "atende_app_secret_123")).toBe(
      "sha256=37d7845b0e56ecc92caa4238da77906e799afa5330c7ff8a4e3154cc622aed80",
    );
  });

  it("matches the tiny sanity vector", () => {
    expect(signatureHeader('{"a":1}', "secret")).toBe(
      "sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494",
    );
  });

  it("agrees with an independent HMAC over the escaped bytes of a non-ASCII payload", () => {
    const body = serializeLikeMeta({ entry: [{ text: { body: "Promoção de verão 🎉 ç ã" } }] });
    const independent = createHmac("sha256", "s3cr3t")
      .update(Buffer.from(body, "utf8"))
      .digest("hex");
    expect(signatureHeader(body, "s3cr3t")).toBe(`sha256=${independent}`);
    const utf8 = JSON.stringify(JSON.parse(body));
    expect(signatureHeader(utf8, "s3cr3t")).not.toBe(`sha256=${independent}`);
  });
});
