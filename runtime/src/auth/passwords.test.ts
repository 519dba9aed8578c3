import { describe, expect, it } from "vitest";
import { generateOneTimePassword, hashPassword, verifyPassword } from "./passwords.js";

describe("hashPassword / verifyPassword", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapler", hash)).toBe(false);
  });

  it("stores scrypt with its parameters and a random salt, never the password", async () => {
    const [first, second] = await Promise.all([hashPassword("same"), hashPassword("same")]);
    expect(first).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(first).not.toEqual(second);
    expect(first).not.toContain("same");
  });

  it("verifies hashes made with other stored parameters", async () => {
    const hash = await hashPassword("pw");
    const salt = hash.split("$")[3] ?? "";
    const { scryptSync } = await import("node:crypto");
    const key = scryptSync("pw", Buffer.from(salt, "base64"), 32, { N: 2 ** 10, r: 8, p: 1 });
    expect(
      await verifyPassword("pw", `$scrypt$ln=10,r=8,p=1$${salt}$${key.toString("base64")}`),
    ).toBe(true);
  });

  it("treats malformed or absurd stored hashes as a non-match instead of throwing", async () => {
    expect(await verifyPassword("pw", "")).toBe(false);
    expect(await verifyPassword("pw", "plaintext")).toBe(false);
    expect(
      await verifyPassword("pw", "$scrypt$ln=40,r=8,p=1$c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5"),
    ).toBe(false);
  });

  it("treats canonically equivalent Unicode passwords as the same password", async () => {
    const hash = await hashPassword("sen\u00e7a");
    expect(await verifyPassword("senc\u0327a", hash)).toBe(true);
  });
});

describe("generateOneTimePassword", () => {
  it("makes 20-character passwords from a readable alphabet", () => {
    for (let i = 0; i < 50; i++) {
      expect(generateOneTimePassword()).toMatch(/^[A-HJ-NP-Za-km-np-z2-9]{20}$/);
    }
  });

  it("does not repeat itself", () => {
    const passwords = new Set(Array.from({ length: 200 }, generateOneTimePassword));
    expect(passwords.size).toBe(200);
  });
});
