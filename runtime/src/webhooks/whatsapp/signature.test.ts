import { describe, expect, it } from "vitest";
import { isValidSignature, signatureFor } from "./signature.js";

// The worked example of protocols.md A2: 427 bytes with a literal `\u00e1` escape.
const SECRET = "atende_app_secret_123";
const BODY =
  '{"object":"whatsapp_business_account","entry":[{"id":"100000000000001","changes":[{"value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"5511999990000","phone_number_id":"200000000000002"},"contacts":[{"profile":{"name":"Maria"},"wa_id":"5511988887777"}],"messages":[{"from":"5511988887777","id":"wamid.TEST0001","timestamp":"1764230400","type":"text","text":{"body":"Ol\\u00e1"}}]},"field":"messages"}]}]}';
const EXPECTED = "sha256=24a7fdb90e8de27ba97011390e3dd468a43c116d66a28e437965318a94b92db0";

describe("webhook signature", () => {
  it("matches Meta's worked example byte for byte", () => {
    expect(Buffer.byteLength(BODY)).toBe(427);
    expect(signatureFor(SECRET, Buffer.from(BODY))).toBe(EXPECTED);
    expect(signatureFor("secret", '{"a":1}')).toBe(
      "sha256=aa9e2e3575f5d7098b6caccd790888c36d5fdb63342a73bada2d6a51747a8494",
    );
  });

  it("accepts the signature of the raw bytes, escaped non-ASCII included", () => {
    expect(isValidSignature(SECRET, Buffer.from(BODY), EXPECTED)).toBe(true);
    expect(isValidSignature(SECRET, Buffer.from(BODY), EXPECTED.toUpperCase())).toBe(true);
  });

  it("rejects the same JSON re-serialised with raw UTF-8 (the re-stringify bug)", () => {
    const reserialised = JSON.stringify(JSON.parse(BODY));
    expect(reserialised).toContain("Olá");
    expect(signatureFor(SECRET, reserialised)).toBe(
      "sha256=37d7845b0e56ecc92caa4238da77906e799afa5330c7ff8a4e3154cc622aed80",
    );
    expect(isValidSignature(SECRET, Buffer.from(reserialised), EXPECTED)).toBe(false);
  });

  it("verifies raw UTF-8 bodies too, when that is what was signed", () => {
    const body = Buffer.from('{"text":"Olá, ação 👍 日本"}');
    expect(isValidSignature(SECRET, body, signatureFor(SECRET, body))).toBe(true);
  });

  it("rejects a wrong secret, a changed byte and missing or malformed headers", () => {
    const body = Buffer.from(BODY);
    expect(isValidSignature("another_secret", body, EXPECTED)).toBe(false);
    const changed = Buffer.from(BODY.replace("Maria", "Mario"));
    expect(isValidSignature(SECRET, changed, EXPECTED)).toBe(false);
    expect(isValidSignature(SECRET, body, undefined)).toBe(false);
    expect(isValidSignature(SECRET, body, "")).toBe(false);
    expect(isValidSignature(SECRET, body, EXPECTED.slice("sha256=".length))).toBe(false);
    expect(isValidSignature(SECRET, body, `${EXPECTED}00`)).toBe(false);
    expect(isValidSignature(SECRET, body, `sha1=${"0".repeat(40)}`)).toBe(false);
    expect(isValidSignature(SECRET, body, [EXPECTED, EXPECTED])).toBe(false);
  });
});
