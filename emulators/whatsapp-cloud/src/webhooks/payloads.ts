import type { WebhookError } from "../errors.js";

/** The business number a webhook is about. */
export interface BusinessIdentity {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/** A `contacts[]` item of an inbound webhook. */
export interface WebhookContact {
  profile: { name: string; username?: string };
  wa_id?: string;
  user_id?: string;
  parent_user_id?: string;
}

/** One `value` of a `messages` change. */
export type MessagesValue = {
  messaging_product: "whatsapp";
  metadata: { display_phone_number: string; phone_number_id: string };
} & (
  | { contacts: WebhookContact[]; messages: Record<string, unknown>[] }
  | { statuses: Record<string, unknown>[] }
  | { errors: WebhookError[] }
);

/** The envelope every webhook POST carries (A3). */
export interface WebhookEnvelope {
  object: "whatsapp_business_account";
  entry: {
    id: string;
    time?: number;
    changes: { field: string; value: unknown }[];
  }[];
}

/** `metadata` for a business number (a different phone_number_id can be forced for routing tests). */
export function metadataOf(business: BusinessIdentity, phoneNumberId?: string) {
  return {
    display_phone_number: business.displayPhoneNumber,
    phone_number_id: phoneNumberId ?? business.phoneNumberId,
  };
}

/**
 * Wraps `messages`-field values into one envelope. `layout` decides how several values are
 * batched: all in one entry with one change each (`changes`), or one entry each (`entries`).
 */
export function messagesEnvelope(
  business: BusinessIdentity,
  values: MessagesValue[],
  layout: "changes" | "entries" = "changes",
): WebhookEnvelope {
  if (layout === "entries") {
    return {
      object: "whatsapp_business_account",
      entry: values.map((value) => ({
        id: business.wabaId,
        changes: [{ field: "messages", value }],
      })),
    };
  }
  return {
    object: "whatsapp_business_account",
    entry: [
      { id: business.wabaId, changes: values.map((value) => ({ field: "messages", value })) },
    ],
  };
}

/** An envelope for any other field (`message_template_status_update`, `account_update`, unknown ones...). */
export function fieldEnvelope(
  business: BusinessIdentity,
  field: string,
  value: unknown,
  time?: number,
): WebhookEnvelope {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: business.wabaId,
        ...(time === undefined ? {} : { time }),
        changes: [{ field, value }],
      },
    ],
  };
}
