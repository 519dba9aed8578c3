import express, { Router } from "express";
import type { Knex } from "knex";
import type { PersonalData } from "../../crypto/personalData.js";
import { invalidJson, invalidSignature, whatsappNotConfigured } from "../../errors.js";
import type { WhatsappSettingsStore } from "../../integrations/whatsapp/WhatsappSettingsStore.js";
import type { Logger } from "../../logger.js";
import { extractInboxEvents, type InboxEvent } from "./inboxEvents.js";
import { constantTimeEqual, isValidSignature } from "./signature.js";

/**
 * Largest webhook body accepted. Meta's payloads stay far below (about 3 MB at most according
 * to BSPs, A7); anything larger is refused with 413 before it is read.
 */
export const WEBHOOK_BODY_LIMIT = "4mb";

/** Dependencies of the WhatsApp webhook. */
export interface WhatsappWebhookDeps {
  db: Knex;
  settings: WhatsappSettingsStore;
  /** Seals each event's payload (it names the customer) and hashes whom it is about. */
  personalData: PersonalData;
  logger: Logger;
  /**
   * Hands newly stored events to background processing (batched, see `EnqueueBatcher`). Called
   * after the 200 is sent; a failure there loses nothing (the rows are committed and the requeue
   * sweep finds them).
   */
  enqueue: (eventKeys: string[]) => void;
}

/**
 * `GET /webhooks/whatsapp`: Meta's verification handshake (A1).
 * `POST /webhooks/whatsapp`: signature checked on the raw bytes (401, nothing stored, when
 * wrong), JSON parsed (400 when malformed), every event committed to `whatsapp_inbox_events`
 * with one `INSERT IGNORE` (duplicates change nothing), and only then 200 (operations.md §5.1).
 * Processing happens afterwards on BullMQ.
 *
 * Deliberately thin: no session, no CSRF/origin guard (server-to-server, authenticated by the
 * signature; it is mounted outside `/api`, where that guard lives), no access log, no JSON
 * parser other than its own.
 */
export function whatsappWebhookRouter(deps: WhatsappWebhookDeps): Router {
  const router = Router();
  const log = deps.logger;

  router.get("/", async (req, res) => {
    const settings = await deps.settings.get();
    const mode = req.query["hub.mode"];
    const token = req.query["hub.verify_token"];
    const challenge = req.query["hub.challenge"];
    if (
      mode === "subscribe" &&
      typeof token === "string" &&
      typeof challenge === "string" &&
      settings?.verifyToken != null &&
      constantTimeEqual(token, settings.verifyToken)
    ) {
      // Echo the challenge exactly, as plain text (never as a number or JSON).
      res.status(200).type("text/plain").send(challenge);
      return;
    }
    log.warn({ mode: typeof mode === "string" ? mode : null }, "webhook verification refused");
    res.status(403).type("text/plain").send("Forbidden");
  });

  router.post(
    "/",
    // Every content type: the signature, not the header, decides whether the body is Meta's.
    express.raw({ type: () => true, limit: WEBHOOK_BODY_LIMIT }),
    async (req, res) => {
      const settings = await deps.settings.get();
      if (settings?.appSecret == null) throw whatsappNotConfigured();
      const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (!isValidSignature(settings.appSecret, raw, req.headers["x-hub-signature-256"])) {
        log.warn({ bytes: raw.length }, "webhook signature invalid");
        throw invalidSignature();
      }
      let body: unknown;
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        throw invalidJson();
      }
      const events = extractInboxEvents(body, settings.phoneNumberId);
      const inserted =
        events.length === 0 ? 0 : await storeInboxEvents(deps.db, deps.personalData, events);
      res.status(200).end();
      // All duplicates: their first delivery was (or will be, by the sweep) queued already.
      if (inserted === 0) return;
      deps.enqueue(events.map((event) => event.key));
    },
  );
  return router;
}

/**
 * Commits a delivery's events in one autocommit statement (atomic: all or none), skipping keys
 * already stored. Payloads name customers (numbers, names, texts): each is sealed (one AES-GCM
 * per event, the ingest's hot path), with a keyed hash of whom it is about for erasure.
 * @returns how many rows were new
 */
export async function storeInboxEvents(
  db: Knex,
  personal: PersonalData,
  events: readonly InboxEvent[],
): Promise<number> {
  const placeholders = events.map(() => "(?, ?, ?, ?)").join(", ");
  const bindings = events.flatMap((event) => [
    event.key,
    event.kind,
    personal.seal("whatsapp_inbox_events.payload", event.payload),
    event.subject === null ? null : personal.lookupHash(event.subject.kind, event.subject.value),
  ]);
  const [result] = (await db.raw(
    `INSERT IGNORE INTO whatsapp_inbox_events (event_key, kind, payload, contact_hash) VALUES ${placeholders}`,
    bindings,
  )) as [{ affectedRows: number }];
  return result.affectedRows;
}
