import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AtendeError } from "../errors.js";

const VERSION = "v1";

/**
 * Authenticated encryption (AES-256-GCM) of small secrets under the master key. The context
 * (e.g. the tenant name) is bound as associated data, so one tenant's ciphertext cannot be
 * pasted onto another tenant's record.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error("SecretBox needs a 32-byte key");
    this.#key = key;
  }

  /** Encrypts `plaintext` for `context`; the result is printable ASCII. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.#key, iv);
    cipher.setAAD(Buffer.from(context, "utf8"));
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [
      VERSION,
      iv.toString("base64"),
      cipher.getAuthTag().toString("base64"),
      body.toString("base64"),
    ].join(":");
  }

  /** Decrypts a value made by `seal` with the same context. */
  open(sealed: string, context: string): string {
    const [version, iv, tag, body] = sealed.split(":");
    if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
      throw new AtendeError("master_key_invalid", "A stored secret has an unknown format.");
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.#key, Buffer.from(iv, "base64"));
      decipher.setAAD(Buffer.from(context, "utf8"));
      decipher.setAuthTag(Buffer.from(tag, "base64"));
      return Buffer.concat([
        decipher.update(Buffer.from(body, "base64")),
        decipher.final(),
      ]).toString("utf8");
    } catch (cause) {
      throw new AtendeError(
        "master_key_invalid",
        "A stored secret cannot be decrypted with this master key.",
        {
          hint: "Use the master key this registry was created with (ATENDE_MASTER_KEY or $ATENDE_HOME/master.key).",
          cause,
        },
      );
    }
  }
}
