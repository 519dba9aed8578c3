import type { Knex } from "knex";
import { FieldCipher } from "../../crypto/fieldCipher.js";

/** Column names double as the cipher's associated data, binding each secret to its column. */
export const SEALED_FIELDS = {
  accessToken: "whatsapp_settings.access_token",
  appSecret: "whatsapp_settings.app_secret",
  verifyToken: "whatsapp_settings.verify_token",
} as const;

/** The single settings row's id. */
export const SETTINGS_ROW_ID = 1;

/** How long the webhook hot path trusts its cached copy (other processes may have saved). */
const CACHE_TTL_MS = 30_000;

/** A row of `whatsapp_settings` as stored (secrets sealed). */
export interface WhatsappSettingsRow {
  id: number;
  phone_number_id: string;
  waba_id: string;
  graph_api_base_url: string;
  graph_api_version: string;
  access_token_sealed: string | null;
  app_secret_sealed: string | null;
  verify_token_sealed: string | null;
  updated_by_user_id: number | null;
  updated_at: Date;
}

/** Settings with secrets opened: for server code only, never for responses, logs or jobs. */
export interface WhatsappSettings {
  phoneNumberId: string;
  wabaId: string;
  graphApiBaseUrl: string;
  graphApiVersion: string;
  accessToken: string | null;
  appSecret: string | null;
  verifyToken: string | null;
  updatedAt: Date;
}

/**
 * Reads the tenant's WhatsApp settings, opening the sealed secrets. The webhook receiver asks
 * for them on every request, so the opened copy is cached in memory; saving through this
 * process invalidates it at once, and a short TTL covers saves made by another process.
 */
export class WhatsappSettingsStore {
  readonly cipher: FieldCipher;
  private readonly db: Knex;
  private cached: { value: WhatsappSettings | undefined; expiresAt: number } | undefined;
  private loading: Promise<WhatsappSettings | undefined> | undefined;

  constructor(options: { db: Knex; encryptionKey: string }) {
    this.db = options.db;
    this.cipher = new FieldCipher(options.encryptionKey);
  }

  /** Current settings from the cache (loaded on first use or after expiry). */
  async get(): Promise<WhatsappSettings | undefined> {
    const cached = this.cached;
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.value;
    // One load at a time, however many webhooks arrive meanwhile.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Current settings straight from the database, refreshing the cache. */
  async load(): Promise<WhatsappSettings | undefined> {
    const row = await this.readRow();
    const value = row === undefined ? undefined : this.open(row);
    this.cached = { value, expiresAt: Date.now() + CACHE_TTL_MS };
    return value;
  }

  /** The stored row, secrets still sealed. */
  async readRow(): Promise<WhatsappSettingsRow | undefined> {
    return this.db<WhatsappSettingsRow>("whatsapp_settings").where({ id: SETTINGS_ROW_ID }).first();
  }

  /** Forgets the cached copy (after a save). */
  invalidate(): void {
    this.cached = undefined;
  }

  private open(row: WhatsappSettingsRow): WhatsappSettings {
    const open = (field: string, sealed: string | null) =>
      sealed === null ? null : this.cipher.open(field, sealed);
    return {
      phoneNumberId: row.phone_number_id,
      wabaId: row.waba_id,
      graphApiBaseUrl: row.graph_api_base_url,
      graphApiVersion: row.graph_api_version,
      accessToken: open(SEALED_FIELDS.accessToken, row.access_token_sealed),
      appSecret: open(SEALED_FIELDS.appSecret, row.app_secret_sealed),
      verifyToken: open(SEALED_FIELDS.verifyToken, row.verify_token_sealed),
      updatedAt: row.updated_at,
    };
  }
}
