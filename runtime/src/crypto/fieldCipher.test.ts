import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FieldCipher, FieldCipherError, maskSecret } from "./fieldCipher.js";

const key = randomBytes(32).toString("base64");
const FIELD = "whatsapp_settings.access_token";

describe("FieldCipher", () => {
  it("round-trips text, including non-ASCII, and never stores the plaintext", () => {
    const cipher = new FieldCipher(key);
    const secret = "EAAG-tøken-ção-🔑-1234";
    const sealed = cipher.seal(FIELD, secret);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain("1234");
    expect(cipher.open(FIELD, sealed)).toBe(secret);
  });

  it("uses a fresh IV each time", () => {
    const cipher = new FieldCipher(key);
    expect(cipher.seal(FIELD, "same")).not.toBe(cipher.seal(FIELD, "same"));
  });

  it("refuses another key, another field, tampering and garbage", () => {
    const cipher = new FieldCipher(key);
    const sealed = cipher.seal(FIELD, "secret-value");
    expect(() => new FieldCipher(randomBytes(32).toString("base64")).open(FIELD, sealed)).toThrow(
      FieldCipherError,
    );
    expect(() => cipher.open("whatsapp_settings.app_secret", sealed)).toThrow(FieldCipherError);
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] ?? "", "base64url");
    body[0] = (body[0] ?? 0) ^ 1;
    parts[3] = body.toString("base64url");
    expect(() => cipher.open(FIELD, parts.join("."))).toThrow(FieldCipherError);
    expect(() => cipher.open(FIELD, "plain text")).toThrow(FieldCipherError);
    expect(() => cipher.open(FIELD, "v1.a.b.c")).toThrow(FieldCipherError);
  });

  it("rejects a key that is not 32 bytes", () => {
    expect(() => new FieldCipher(randomBytes(16).toString("base64"))).toThrow(FieldCipherError);
  });
});

describe("maskSecret", () => {
  it("shows only the last four characters of long secrets", () => {
    expect(maskSecret("EAAGabcdefgh1234")).toBe("••••1234");
    expect(maskSecret("short")).toBe("••••");
  });
});
