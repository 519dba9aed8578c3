import type { WhatsappSettingsPayload } from "../../contracts/api.js";
import { maskSecret } from "../crypto/fieldCipher.js";
import type { WhatsappSettings } from "../integrations/whatsapp/WhatsappSettingsStore.js";

/** Defaults shown before the first save. */
const UNSAVED = { graphApiBaseUrl: "https://graph.facebook.com", graphApiVersion: "v23.0" };

/**
 * The only way WhatsApp settings leave the API: secrets masked (`••••1234`), never in clear.
 * @param publicUrl the tenant's PUBLIC_URL, to show the webhook callback URL to configure at Meta
 */
export function presentWhatsappSettings(
  settings: WhatsappSettings | undefined,
  publicUrl: string,
): WhatsappSettingsPayload {
  const mask = (secret: string | null | undefined) =>
    secret === null || secret === undefined ? null : maskSecret(secret);
  return {
    configured:
      settings !== undefined &&
      settings.accessToken !== null &&
      settings.appSecret !== null &&
      settings.verifyToken !== null,
    phoneNumberId: settings?.phoneNumberId ?? null,
    wabaId: settings?.wabaId ?? null,
    graphApiBaseUrl: settings?.graphApiBaseUrl ?? UNSAVED.graphApiBaseUrl,
    graphApiVersion: settings?.graphApiVersion ?? UNSAVED.graphApiVersion,
    accessToken: mask(settings?.accessToken),
    appSecret: mask(settings?.appSecret),
    verifyToken: mask(settings?.verifyToken),
    webhookUrl: new URL("/webhooks/whatsapp", publicUrl).toString(),
    updatedAt: settings?.updatedAt.toISOString() ?? null,
  };
}
