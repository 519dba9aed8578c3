import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/** Marks the format of a sealed value, so the scheme can change without guessing. */
const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value could not be opened: wrong key, wrong field, or tampered with. */
export class FieldCipherError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FieldCipherError";
  }
}

/**
 * Encrypts single database fields (secrets at rest) with AES-256-GCM under the tenant's
 * `ENCRYPTION_KEY`. A sealed value is `v1.<iv>.<tag>.<ciphertext>` (base64url parts), ASCII
 * only, so it fits a plain VARCHAR/TEXT column. Each value is bound to its field name as
 * associated data: a ciphertext copied into another column does not open.
 */
export class FieldCipher {
  readonly #key: Buffer;

  /** @param keyBase64 base64 of exactly 32 bytes (validated by env.ts). */
  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64, "base64");
    if (key.length !== 32) throw new FieldCipherError("the key must be 32 bytes");
    this.#key = key;
  }

  /** Seals `plaintext` for the column named `field` (e.g. `whatsapp_settings.access_token`). */
  seal(field: string, plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(field, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [
      VERSION,
      iv.toString("base64url"),
      cipher.getAuthTag().toString("base64url"),
      ciphertext.toString("base64url"),
    ].join(".");
  }

  /**
   * Opens a value sealed for the same field.
   * @throws FieldCipherError when the format, the key, the field or the bytes do not match
   */
  open(field: string, sealed: string): string {
    const [version, iv, tag, ciphertext, ...rest] = sealed.split(".");
    if (
      version !== VERSION ||
      iv === undefined ||
      tag === undefined ||
      ciphertext === undefined ||
      rest.length > 0
    ) {
      throw new FieldCipherError("not a sealed value");
    }
    const ivBytes = Buffer.from(iv, "base64url");
    const tagBytes = Buffer.from(tag, "base64url");
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new FieldCipherError("not a sealed value");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, ivBytes, {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(Buffer.from(field, "utf8"));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([
        decipher.update(Buffer.from(ciphertext, "base64url")),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new FieldCipherError("the value does not open with this key and field");
    }
  }
}

/**
 * How a secret is shown after saving: bullets and its last four characters (`••••1234`), or
 * bullets only when it is too short to reveal anything.
 */
export function maskSecret(secret: string): string {
  return secret.length >= 12 ? `••••${secret.slice(-4)}` : "••••";
}
