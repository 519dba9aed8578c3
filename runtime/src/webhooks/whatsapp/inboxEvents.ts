import { createHash } from "node:crypto";

/** What an inbox row holds. */
export type InboxEventKind = "message" | "status" | "template" | "other";

/** Whom an event is about: the customer's phone number, else their BSUID. */
export interface InboxEventSubject {
  kind: "phone" | "bsuid";
  value: string;
}

/** One event of a webhook delivery, as stored in `whatsapp_inbox_events` before the 200. */
export interface InboxEvent {
  /** Dedupe key: the same event delivered twice has the same key. */
  key: string;
  kind: InboxEventKind;
  /** The event plus the envelope context its processing needs, as JSON text. */
  payload: string;
  /**
   * The customer it names (stored as a keyed hash in `contact_hash`, so an erasure finds their
   * events although payloads are sealed); null for template and other events.
   */
  subject: InboxEventSubject | null;
}

/** `event_key` column width. */
const MAX_KEY_LENGTH = 191;

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const asString = (value: unknown): string | undefined =>
  typeof value === "string" && value !== ""
    ? value
    : typeof value === "number"
      ? String(value)
      : undefined;

function key(prefix: string, ...parts: string[]): string {
  const plain = `${prefix}:${parts.join(":")}`;
  if (plain.length <= MAX_KEY_LENGTH) return plain;
  return `${prefix}#${createHash("sha256").update(plain).digest("hex")}`;
}

function contentKey(prefix: string, ...values: unknown[]): string {
  const hash = createHash("sha256");
  for (const value of values) hash.update(JSON.stringify(value) ?? "").update("\n");
  return `${prefix}#${hash.digest("hex")}`;
}

/**
 * Splits a verified webhook body into the events to store: one per inbound message (keyed on
 * its wamid), one per status (keyed on wamid + status, Meta's at-least-once unit), one per
 * template status update and one per other change (keyed on a hash of its content). Walks every
 * entry, change and array element (A3). Messages and statuses for another business number are
 * left out (a per-tenant runtime ignores them but still answers 200, A7); anything unexpected
 * is skipped, never thrown.
 * @param ownPhoneNumberId the tenant's phone number id; undefined accepts any
 */
export function extractInboxEvents(body: unknown, ownPhoneNumberId?: string): InboxEvent[] {
  const events: InboxEvent[] = [];
  if (!isObject(body)) return events;
  for (const entry of asArray(body.entry)) {
    if (!isObject(entry)) continue;
    const wabaId = asString(entry.id) ?? null;
    for (const change of asArray(entry.changes)) {
      if (!isObject(change) || !isObject(change.value)) continue;
      const field = asString(change.field) ?? "";
      const value = change.value;
      if (field === "messages") {
        extractMessagesChange(value, ownPhoneNumberId, events);
      } else if (field === "message_template_status_update") {
        events.push({
          key: contentKey("t", value, entry.time),
          kind: "template",
          payload: JSON.stringify({ wabaId, time: entry.time ?? null, value }),
          subject: null,
        });
      } else {
        events.push({
          key: contentKey("o", field, wabaId, value),
          kind: "other",
          payload: JSON.stringify({ field, wabaId, value }),
          subject: null,
        });
      }
    }
  }
  return events;
}

function extractMessagesChange(
  value: Json,
  ownPhoneNumberId: string | undefined,
  events: InboxEvent[],
) {
  const metadata = isObject(value.metadata) ? value.metadata : {};
  const phoneNumberId = asString(metadata.phone_number_id);
  if (ownPhoneNumberId !== undefined && phoneNumberId !== ownPhoneNumberId) return;
  const contacts = asArray(value.contacts).filter(isObject);
  for (const message of asArray(value.messages)) {
    if (!isObject(message)) continue;
    const wamid = asString(message.id);
    if (wamid === undefined) continue;
    const contact = contactFor(message, contacts) ?? null;
    events.push({
      key: key("m", wamid),
      kind: "message",
      payload: JSON.stringify({ metadata, contact, message }),
      subject: messageSubject(contact, message),
    });
  }
  for (const status of asArray(value.statuses)) {
    if (!isObject(status)) continue;
    const wamid = asString(status.id);
    const state = asString(status.status);
    if (wamid === undefined || state === undefined) continue;
    events.push({
      key: key("s", wamid, state),
      kind: "status",
      payload: JSON.stringify({ metadata, status }),
      subject: statusSubject(status),
    });
  }
  if (Array.isArray(value.errors) && value.errors.length > 0) {
    events.push({
      key: contentKey("o", "messages.errors", value.errors),
      kind: "other",
      payload: JSON.stringify({
        field: "messages.errors",
        wabaId: null,
        value: { metadata, errors: value.errors },
      }),
      subject: null,
    });
  }
}

/** The `contacts[]` entry describing a message's sender: by BSUID, then phone, then the only one. */
function contactFor(message: Json, contacts: Json[]): Json | undefined {
  const userId = asString(message.from_user_id);
  const from = asString(message.from);
  return (
    (userId === undefined ? undefined : contacts.find((contact) => contact.user_id === userId)) ??
    (from === undefined ? undefined : contacts.find((contact) => contact.wa_id === from)) ??
    (contacts.length === 1 ? contacts[0] : undefined)
  );
}

const subject = (phone: string | undefined, bsuid: string | undefined): InboxEventSubject | null =>
  phone !== undefined
    ? { kind: "phone", value: phone }
    : bsuid !== undefined
      ? { kind: "bsuid", value: bsuid }
      : null;

function messageSubject(contact: Json | null, message: Json): InboxEventSubject | null {
  return subject(
    asString(contact?.wa_id) ?? asString(message.from),
    asString(contact?.user_id) ?? asString(message.from_user_id),
  );
}

function statusSubject(status: Json): InboxEventSubject | null {
  return subject(asString(status.recipient_id), asString(status.recipient_user_id));
}

/**
 * Whom a stored event is about, from its payload (as `extractInboxEvents` stored it): for
 * events stored before payloads were sealed (migration 0011).
 */
export function storedEventSubject(kind: string, payload: unknown): InboxEventSubject | null {
  if (!isObject(payload)) return null;
  if (kind === "message" && isObject(payload.message)) {
    return messageSubject(isObject(payload.contact) ? payload.contact : null, payload.message);
  }
  if (kind === "status" && isObject(payload.status)) return statusSubject(payload.status);
  return null;
}
