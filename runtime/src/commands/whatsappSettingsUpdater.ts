import type { Knex } from "knex";
import type { WhatsappSettingsUpdateRequest } from "../../contracts/api.js";
import {
  SEALED_FIELDS,
  SETTINGS_ROW_ID,
  type WhatsappSettings,
  type WhatsappSettingsStore,
} from "../integrations/whatsapp/WhatsappSettingsStore.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";

/** Props of `whatsappSettingsUpdater`. */
export interface WhatsappSettingsUpdaterProps {
  db: Knex;
  store: WhatsappSettingsStore;
  input: WhatsappSettingsUpdateRequest;
  actorUserId: number | null;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * Saves the tenant's WhatsApp settings: secrets are sealed before they reach the database, an
 * omitted secret keeps its stored value, and the webhook's cached copy is dropped. The audit
 * entry names which fields changed, never their values.
 * @returns the settings as now stored
 */
export async function whatsappSettingsUpdater(
  props: WhatsappSettingsUpdaterProps,
): Promise<WhatsappSettings> {
  const { db, store, input } = props;
  const seal = (field: string, value: string | undefined) =>
    value === undefined ? undefined : store.cipher.seal(field, value);
  const sealed = {
    access_token_sealed: seal(SEALED_FIELDS.accessToken, input.accessToken),
    app_secret_sealed: seal(SEALED_FIELDS.appSecret, input.appSecret),
    verify_token_sealed: seal(SEALED_FIELDS.verifyToken, input.verifyToken),
  };
  const secrets = Object.fromEntries(
    Object.entries(sealed).filter(([, value]) => value !== undefined),
  );
  const row = {
    phone_number_id: input.phoneNumberId,
    waba_id: input.wabaId,
    graph_api_base_url: input.graphApiBaseUrl,
    graph_api_version: input.graphApiVersion,
    updated_by_user_id: props.actorUserId,
    ...secrets,
  };

  await db.transaction(async (trx) => {
    await trx("whatsapp_settings")
      .insert({ id: SETTINGS_ROW_ID, ...row })
      .onConflict("id")
      .merge(Object.keys(row));
    await ActivityLogEntry.record(trx, {
      action: "whatsappSettings.update",
      actorUserId: props.actorUserId,
      ip: props.ip ?? null,
      userAgent: props.userAgent ?? null,
      data: {
        phoneNumberId: input.phoneNumberId,
        wabaId: input.wabaId,
        graphApiVersion: input.graphApiVersion,
        secretsChanged: Object.keys(secrets).map((column) => column.replace(/_sealed$/, "")),
      },
    });
  });
  store.invalidate();
  const saved = await store.load();
  if (saved === undefined) throw new Error("whatsapp settings vanished after saving");
  return saved;
}
