import { createHmac, randomBytes } from "node:crypto";
import type { WhatsappSettingsUpdateRequest } from "../../contracts/api.js";
import { whatsappSettingsUpdater } from "../commands/whatsappSettingsUpdater.js";
import type { Components } from "../components.js";
import { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";

/**
 * Test-side stand-in for Meta's webhook sender, written from protocols.md A2/A3 (independently
 * of the runtime's receiver): Meta-style serialisation (non-ASCII escaped as \uXXXX) and the
 * X-Hub-Signature-256 header over exactly those bytes.
 */

/** The business number the test tenant is configured with. */
export const TEST_PHONE_NUMBER_ID = "200000000000002";
export const TEST_WABA_ID = "100000000000001";
export const TEST_DISPLAY_NUMBER = "5511999990000";

/** Compact JSON with every non-ASCII UTF-16 unit escaped, as Meta sends it. */
export function serializeLikeMeta(payload: unknown): string {
  return JSON.stringify(payload).replace(
    /[\u0080-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/** `sha256=<hex>` of the raw body. */
export function signBody(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac("sha256", appSecret).update(body).digest("hex")}`;
}

/** A fresh wamid. */
export function wamid(): string {
  return `wamid.${randomBytes(18).toString("base64url")}`;
}

/** Unix seconds as Meta sends them (a string). */
export function unixSeconds(date: Date = new Date()): string {
  return String(Math.floor(date.getTime() / 1000));
}

/** A customer for inbound messages. */
export interface TestCustomer {
  waId?: string;
  userId?: string;
  name?: string;
}

/** A `messages` webhook body with these inbound messages from one customer. */
export function inboundPayload(
  messages: Array<Record<string, unknown>>,
  customer: TestCustomer = { waId: "5511988887777", name: "Maria" },
  phoneNumberId: string = TEST_PHONE_NUMBER_ID,
): Record<string, unknown> {
  const contact: Record<string, unknown> = { profile: { name: customer.name ?? "Maria" } };
  if (customer.waId !== undefined) contact.wa_id = customer.waId;
  if (customer.userId !== undefined) contact.user_id = customer.userId;
  return envelope("messages", {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: TEST_DISPLAY_NUMBER, phone_number_id: phoneNumberId },
    contacts: [contact],
    messages: messages.map((message) => ({
      ...(customer.waId === undefined ? {} : { from: customer.waId }),
      ...(customer.userId === undefined ? {} : { from_user_id: customer.userId }),
      id: wamid(),
      timestamp: unixSeconds(),
      ...message,
    })),
  });
}

/** A `messages` webhook body carrying statuses. */
export function statusPayload(statuses: Array<Record<string, unknown>>): Record<string, unknown> {
  return envelope("messages", {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: TEST_DISPLAY_NUMBER, phone_number_id: TEST_PHONE_NUMBER_ID },
    statuses: statuses.map((status) => ({
      timestamp: unixSeconds(),
      recipient_id: "5511988887777",
      ...status,
    })),
  });
}

/** A `message_template_status_update` webhook body. */
export function templateStatusPayload(
  value: Record<string, unknown>,
  time: number = Math.floor(Date.now() / 1000),
): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: TEST_WABA_ID,
        time,
        changes: [{ field: "message_template_status_update", value }],
      },
    ],
  };
}

function envelope(field: string, value: Record<string, unknown>): Record<string, unknown> {
  return {
    object: "whatsapp_business_account",
    entry: [{ id: TEST_WABA_ID, changes: [{ value, field }] }],
  };
}

/** The secrets a test tenant is configured with. */
export interface TestWhatsappSecrets {
  accessToken: string;
  appSecret: string;
  verifyToken: string;
}

/**
 * Saves WhatsApp settings for the test tenant through the real command (so secrets are sealed).
 * @returns the secrets in clear, for signing and assertions
 */
export async function configureWhatsapp(
  components: Components,
  overrides: Partial<WhatsappSettingsUpdateRequest> = {},
  store: WhatsappSettingsStore = new WhatsappSettingsStore({
    db: components.db,
    encryptionKey: components.env.ENCRYPTION_KEY,
  }),
): Promise<TestWhatsappSecrets> {
  const secrets = {
    accessToken: `EAAtest${randomBytes(12).toString("hex")}`,
    appSecret: randomBytes(16).toString("hex"),
    verifyToken: `verify-${randomBytes(6).toString("hex")}`,
  };
  const input: WhatsappSettingsUpdateRequest = {
    phoneNumberId: TEST_PHONE_NUMBER_ID,
    wabaId: TEST_WABA_ID,
    graphApiBaseUrl: "https://graph.facebook.com",
    graphApiVersion: "v23.0",
    ...secrets,
    ...overrides,
  };
  await whatsappSettingsUpdater({ db: components.db, store, input, actorUserId: null });
  return {
    accessToken: input.accessToken ?? secrets.accessToken,
    appSecret: input.appSecret ?? secrets.appSecret,
    verifyToken: input.verifyToken ?? secrets.verifyToken,
  };
}

/** POSTs a payload to the webhook the way Meta does (escaped, signed); `signature` overrides. */
export function postWebhook(
  baseUrl: string,
  appSecret: string,
  payload: unknown,
  options: { signature?: string | null; body?: string | Buffer } = {},
): Promise<Response> {
  const body = options.body ?? serializeLikeMeta(payload);
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const signature = options.signature === undefined ? signBody(appSecret, body) : options.signature;
  if (signature !== null) headers["X-Hub-Signature-256"] = signature;
  return fetch(`${baseUrl}/webhooks/whatsapp`, { method: "POST", headers, body });
}
