import { createHmac, hkdfSync } from "node:crypto";
import { FieldCipher, FieldCipherError } from "./fieldCipher.js";

/**
 * Columns holding a person's identifiers, sealed at rest (the field name binds each value): a
 * contact's, and the raw webhook events that name them.
 */
export type PersonalField =
  | "contacts.wa_id"
  | "contacts.whatsapp_user_id"
  | "contacts.username"
  | "whatsapp_inbox_events.payload";

/** What a lookup hash identifies: a phone number (`wa_id`) or a business-scoped user id. */
export type LookupKind = "phone" | "bsuid";

// Distinct HKDF labels: the lookup key (used on every inbound message and search) never opens a
// sealed field, and the sealing key never forges a lookup hash.
const SEAL_INFO = "atende/personal-data/seal/v1";
const LOOKUP_INFO = "atende/personal-data/lookup/v1";
const SUBKEY_BYTES = 32;

/** The value a lookup hash is computed over: digits only for phone numbers, trimmed otherwise. */
export function normaliseIdentifier(kind: LookupKind, value: string): string {
  return kind === "phone" ? value.replace(/\D/g, "") : value.trim();
}

/**
 * Personal identifiers at rest, under two subkeys derived from the tenant's `ENCRYPTION_KEY`
 * (HKDF-SHA256): values are sealed with AES-256-GCM (`FieldCipher`, random IV, so equal numbers
 * give different ciphertexts), and found again through a keyed hash (HMAC-SHA256 of the
 * normalised value), which equality lookups and unique indexes use instead of the plaintext.
 */
export class PersonalData {
  readonly #cipher: FieldCipher;
  readonly #lookupKey: Buffer;

  /** @param encryptionKeyBase64 the tenant's `ENCRYPTION_KEY` (base64 of 32 bytes). */
  constructor(encryptionKeyBase64: string) {
    const master = Buffer.from(encryptionKeyBase64, "base64");
    if (master.length !== 32) throw new FieldCipherError("the key must be 32 bytes");
    const derive = (info: string) =>
      Buffer.from(hkdfSync("sha256", master, Buffer.alloc(0), info, SUBKEY_BYTES));
    this.#cipher = new FieldCipher(derive(SEAL_INFO).toString("base64"));
    this.#lookupKey = derive(LOOKUP_INFO);
  }

  /** Seals a value for its column; null stays null. */
  seal(field: PersonalField, value: string | null): string | null {
    return value === null ? null : this.#cipher.seal(field, value);
  }

  /**
   * Opens a value sealed for the same column; null stays null.
   * @throws FieldCipherError when it was sealed under another key or for another column
   */
  open(field: PersonalField, sealed: string | null): string | null {
    return sealed === null ? null : this.#cipher.open(field, sealed);
  }

  /**
   * The keyed hash an identifier is looked up by: 64 hex characters, equal for equal normalised
   * values of the same kind (`+55 (11) 98888-7777` and `5511988887777` hash alike).
   */
  lookupHash(kind: LookupKind, value: string): string {
    return createHmac("sha256", this.#lookupKey)
      .update(`${kind}:${normaliseIdentifier(kind, value)}`, "utf8")
      .digest("hex");
  }
}

const instances = new Map<string, PersonalData>();

/** The `PersonalData` of a key, derived once per process (hot paths call this per event). */
export function personalDataFor(encryptionKeyBase64: string): PersonalData {
  let instance = instances.get(encryptionKeyBase64);
  if (instance === undefined) {
    instance = new PersonalData(encryptionKeyBase64);
    instances.set(encryptionKeyBase64, instance);
  }
  return instance;
}
