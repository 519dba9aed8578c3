import { describe, expect, it } from "vitest";
import { generateTotpSecret, totpCode, totpStep, totpUri, verifyTotp } from "./totp.js";

// RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, 8 digits; the last six
// digits are what a 6-digit authenticator shows.
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_VECTORS: Array<[number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
];

describe("TOTP", () => {
  it.each(RFC_VECTORS)("matches RFC 6238 at t=%i", (seconds, eightDigits) => {
    expect(totpCode(RFC_SECRET, totpStep(seconds * 1000))).toBe(eightDigits.slice(-6));
  });

  it("accepts the current code and the neighbouring steps, and nothing else", () => {
    const secret = generateTotpSecret();
    const now = Date.UTC(2026, 10, 28, 12, 0, 15);
    const step = totpStep(now);
    expect(verifyTotp(secret, totpCode(secret, step), now)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, step - 1), now)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, step + 1), now)).toBe(step + 1);
    expect(verifyTotp(secret, totpCode(secret, step - 3), now)).toBeUndefined();
    expect(verifyTotp(secret, "12345", now)).toBeUndefined();
    expect(verifyTotp(secret, "12345a", now)).toBeUndefined();
  });

  it("builds an otpauth URI authenticator apps import", () => {
    const uri = totpUri("ABCDEF", "ana@acme.com.br", "atende acme");
    const [path, query] = uri.split("?");
    expect(path).toBe("otpauth://totp/atende%20acme%3Aana%40acme.com.br");
    const params = new URLSearchParams(query);
    expect(params.get("secret")).toBe("ABCDEF");
    expect(params.get("issuer")).toBe("atende acme");
    expect(params.get("digits")).toBe("6");
  });

  it("makes 160-bit secrets, different every time", () => {
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(generateTotpSecret()).not.toBe(secret);
  });
});
