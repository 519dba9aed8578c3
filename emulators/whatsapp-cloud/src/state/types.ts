import type { WebhookError } from "../errors.js";

/** A delivery status of a message the business sent. `accepted` = answered 200, nothing reported yet. */
export type OutboundStatus = "accepted" | "sent" | "delivered" | "read" | "failed";

/** A status a webhook can report. */
export type ReportedStatus = Exclude<OutboundStatus, "accepted"> | "played";

/** A person chatting with the business number. */
export interface Customer {
  /** Stable key: the wa_id when known, else the BSUID. */
  key: string;
  /** Phone number as Meta reports it (digits). Absent for username-only users (A9). */
  waId: string | undefined;
  /** Business-scoped user id (A9), e.g. `BR.1502576394655843`. */
  userId: string | undefined;
  /** Parent BSUID, only when parent BSUIDs are enabled. */
  parentUserId: string | undefined;
  /** WhatsApp profile name. */
  name: string;
  /** WhatsApp username (2026), if any. */
  username: string | undefined;
  /** When set, webhooks omit `from`/`wa_id` for this user (username adopted, phone hidden). */
  hidePhone: boolean;
  /** Last inbound user message (emulator clock, ms): opens the 24-hour window. */
  lastInboundAt: number | undefined;
  /** Every send to this user fails with 131026. */
  undeliverable: boolean;
  /** Marketing templates to this user fail with 131050. */
  marketingOptOut: boolean;
  /** The business's typing indicator shows until then (emulator clock, ms). */
  typingUntil: number | undefined;
}

/** One status change of an outbound message, as reported (or to be reported) by webhook. */
export interface StatusEvent {
  status: ReportedStatus;
  /** Unix seconds. */
  timestamp: number;
  errors?: WebhookError[];
  /** Webhook delivery that carried it (undefined when dropped by a fault or no target). */
  deliveryId: string | undefined;
}

/** A message the business sent through POST /{phone-number-id}/messages. */
export interface OutboundMessage {
  wamid: string;
  /** Global order of messages both ways. */
  seq: number;
  customerKey: string;
  /** What the business wrote in `to` or `recipient`. */
  input: string;
  /** Sent by BSUID (`recipient`) rather than phone. */
  byUserId: boolean;
  type: string;
  /** The validated request body. */
  body: Record<string, unknown>;
  /** Emulator clock, ms. */
  createdAt: number;
  /** The most advanced status so far (never moves back, `failed` only over accepted/sent). */
  status: OutboundStatus;
  /** Every status reported, in the order it was sent (may be out of order on purpose). */
  statuses: StatusEvent[];
  /** Pricing category for statuses (`service`, `utility`, `marketing`, `authentication`). */
  pricingCategory: string;
  /** Pricing type (`free_customer_service`, `regular`). */
  pricingType: string;
  /** Set when the send is bound to fail asynchronously. */
  failure: { code: number; details?: string } | undefined;
}

/** A message the customer sent (delivered to the app by webhook). */
export interface InboundMessage {
  wamid: string;
  /** Global order of messages both ways. */
  seq: number;
  customerKey: string;
  type: string;
  /** The message object exactly as it went into the webhook. */
  message: Record<string, unknown>;
  /** Emulator clock, ms. */
  receivedAt: number;
  /** The business marked it (or a later message) as read. */
  readByBusiness: boolean;
  /** Webhook delivery that carried it. */
  deliveryId: string | undefined;
}

/** A stored media object (uploaded by the business, or sent by a customer). */
export interface MediaObject {
  id: string;
  data: Buffer;
  mimeType: string;
  /** Hex SHA-256 of the bytes. */
  sha256: string;
  filename: string | undefined;
  origin: "upload" | "inbound";
  /** Emulator clock, ms. */
  createdAt: number;
  expiresAt: number;
  deleted: boolean;
}

/** Template approval states (open-ended in Meta; these are the ones the emulator drives). */
export const templateStatuses = [
  "APPROVED",
  "PENDING",
  "REJECTED",
  "PAUSED",
  "DISABLED",
  "IN_APPEAL",
  "PENDING_DELETION",
  "ARCHIVED",
  "LIMIT_EXCEEDED",
] as const;

export type TemplateStatus = (typeof templateStatuses)[number];

/** A message template on the WABA. */
export interface Template {
  /** Numeric string in the REST API (a number in the status webhook). */
  id: string;
  name: string;
  language: string;
  category: "MARKETING" | "UTILITY" | "AUTHENTICATION";
  status: TemplateStatus;
  components: Record<string, unknown>[];
  parameterFormat: "POSITIONAL" | "NAMED";
  /** Meta's `rejected_reason` (`NONE` unless rejected). */
  rejectedReason: string;
  /** Creation order, for stable paging. */
  seq: number;
}

/** An access token the emulator accepts (or used to). */
export interface AccessToken {
  token: string;
  state: "active" | "revoked" | "expired";
  /** False = authenticated but lacking WhatsApp permissions (403 code 10). */
  permitted: boolean;
}
