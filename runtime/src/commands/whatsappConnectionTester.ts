import type { WhatsappConnectionTestPayload } from "../../contracts/api.js";
import { GraphApiError, graphRequest } from "../integrations/whatsapp/graphApi.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";

const TIMEOUT_MS = 10_000;

/**
 * The settings page's "test connection": asks Graph for the configured phone number with the
 * saved access token (`GET /{v}/{phone-number-id}`) and turns the answer into a result an admin
 * can act on. Never includes the token in the result.
 */
export async function whatsappConnectionTester(props: {
  store: WhatsappSettingsStore;
}): Promise<WhatsappConnectionTestPayload> {
  const settings = await props.store.load();
  if (settings === undefined || settings.accessToken === null) {
    return { ok: false, code: null, reason: "Save the phone number id and access token first." };
  }
  let body: Record<string, unknown>;
  try {
    body = await graphRequest<Record<string, unknown>>(
      {
        graphApiBaseUrl: settings.graphApiBaseUrl,
        graphApiVersion: settings.graphApiVersion,
        accessToken: settings.accessToken,
      },
      "GET",
      `/${encodeURIComponent(settings.phoneNumberId)}`,
      undefined,
      {
        timeoutMs: TIMEOUT_MS,
        query: { fields: "display_phone_number,verified_name,quality_rating" },
      },
    );
  } catch (error) {
    if (!(error instanceof GraphApiError)) throw error;
    if (error.status === 0) {
      return {
        ok: false,
        code: null,
        reason: `Could not reach the Graph API at ${settings.graphApiBaseUrl}.`,
      };
    }
    const code = error.code ?? null;
    return { ok: false, code, reason: reasonFor(code, error.status) };
  }
  const text = (value: unknown) => (typeof value === "string" ? value : null);
  return {
    ok: true,
    displayPhoneNumber: text(body.display_phone_number),
    verifiedName: text(body.verified_name),
    qualityRating: text(body.quality_rating),
  };
}

function reasonFor(code: number | null, status: number): string {
  if (code === 190 || code === 0 || status === 401) {
    return "The access token is invalid, expired or revoked. Generate a new one in Meta's Business settings.";
  }
  if (code === 10 || (code !== null && code >= 200 && code <= 299) || status === 403) {
    return "The access token lacks the whatsapp_business_messaging permission for this number.";
  }
  if (code === 100 || status === 404) {
    return "Graph does not know this phone number id, or the token cannot see it. Check the phone number id.";
  }
  if (code === 2500) return "The Graph API version is not accepted. Use a current one, e.g. v24.0.";
  return `The Graph API refused the request (HTTP ${status}${code === null ? "" : `, code ${code}`}).`;
}
