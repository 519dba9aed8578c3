import { createHmac, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FieldCipher, FieldCipherError } from "./fieldCipher.js";
import { normaliseIdentifier, PersonalData, personalDataFor } from "./personalData.js";

const key = randomBytes(32).toString("base64");

describe("PersonalData", () => {
  it("seals a phone number so it opens for its column only, never showing the digits", () => {
    const personal = new PersonalData(key);
    const sealed = personal.seal("contacts.wa_id", "5511988887777");
    expect(sealed).not.toContain("88887777");
    expect(personal.seal("contacts.wa_id", "5511988887777")).not.toBe(sealed);
    expect(personal.open("contacts.wa_id", sealed)).toBe("5511988887777");
    expect(() => personal.open("contacts.whatsapp_user_id", sealed)).toThrow(FieldCipherError);
    expect(personal.seal("contacts.username", null)).toBeNull();
    expect(personal.open("contacts.username", null)).toBeNull();
  });

  it("opens nothing under another tenant's key, nor with the master key itself", () => {
    const sealed = new PersonalData(key).seal("contacts.wa_id", "5511988887777") ?? "";
    expect(() =>
      new PersonalData(randomBytes(32).toString("base64")).open("contacts.wa_id", sealed),
    ).toThrow(FieldCipherError);
    // The sealing key is derived: the raw ENCRYPTION_KEY (which seals secrets) does not open it.
    expect(() => new FieldCipher(key).open("contacts.wa_id", sealed)).toThrow(FieldCipherError);
  });

  it("hashes a number alike however it is written, differently per kind and per key", () => {
    const personal = personalDataFor(key);
    const hash = personal.lookupHash("phone", "5511988887777");
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(personal.lookupHash("phone", "+55 (11) 98888-7777")).toBe(hash);
    expect(personal.lookupHash("phone", "5511988887778")).not.toBe(hash);
    expect(personal.lookupHash("bsuid", "5511988887777")).not.toBe(hash);
    expect(
      new PersonalData(randomBytes(32).toString("base64")).lookupHash("phone", "5511988887777"),
    ).not.toBe(hash);
    // Not a plain or master-keyed hash: the lookup key is a subkey of its own.
    expect(hash).not.toBe(
      createHmac("sha256", Buffer.from(key, "base64")).update("phone:5511988887777").digest("hex"),
    );
    expect(personalDataFor(key)).toBe(personal);
  });

  it("normalises phone numbers to digits and BSUIDs by trimming", () => {
    expect(normaliseIdentifier("phone", " +55 (11) 98888-7777 ")).toBe("5511988887777");
    expect(normaliseIdentifier("bsuid", " BR.abc ")).toBe("BR.abc");
  });

  it("rejects a key that is not 32 bytes", () => {
    expect(() => new PersonalData(randomBytes(16).toString("base64"))).toThrow(FieldCipherError);
  });
});
