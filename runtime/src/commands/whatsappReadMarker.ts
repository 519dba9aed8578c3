import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { ReadReceiptPayload } from "../../contracts/outbound-messages.js";
import type { AuthContext } from "../auth/resolveSession.js";
import { whatsappNotConfigured, whatsappRequestFailed } from "../errors.js";
import { GraphApiError, graphRequest } from "../integrations/whatsapp/graphApi.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import { assertMaySeeConversation, loadConversation } from "./conversationAccess.js";

/** The typing indicator lasts 25 s on the phone (A4): refreshing it more often is noise. */
export const TYPING_THROTTLE_MS = 20_000;

/** Props of `whatsappReadMarker`. */
export interface WhatsappReadMarkerProps {
  db: Knex;
  redis: Redis;
  redisPrefix: string;
  settings: WhatsappSettingsStore;
  auth: AuthContext;
  conversationId: number;
  /** Also show "typing…" to the customer (throttled per conversation). */
  typing: boolean;
}

/**
 * Marks the conversation's newest customer message read on WhatsApp (blue ticks; earlier ones
 * follow, A4) and clears its unread count, optionally with the typing indicator. A Graph
 * failure answers 502 `whatsapp_request_failed` with the reason id. Typing is sent at most once
 * per `TYPING_THROTTLE_MS` per conversation (`sent: false` otherwise).
 */
export async function whatsappReadMarker(
  props: WhatsappReadMarkerProps,
): Promise<ReadReceiptPayload> {
  const conversation = await loadConversation(props.db, props.conversationId);
  assertMaySeeConversation(props.auth, conversation);
  // The agent has seen it: the list's unread badge clears whether or not WhatsApp answers.
  if (!props.typing) {
    await props.db("conversations").where({ id: conversation.id }).update({ unread_count: 0 });
  }
  const newest = (await props
    .db("messages")
    .where({ conversation_id: conversation.id, direction: "inbound" })
    .whereNotNull("wamid")
    .orderBy("id", "desc")
    .first("id", "wamid")) as { id: number; wamid: string } | undefined;
  if (newest === undefined) return { messageId: null, sent: false };
  const settings = await props.settings.get();
  if (settings === undefined || settings.accessToken === null) throw whatsappNotConfigured();

  const throttleKey = `${props.redisPrefix}:typing:${conversation.id}`;
  if (props.typing) {
    const first = await props.redis.set(throttleKey, "1", "PX", TYPING_THROTTLE_MS, "NX");
    if (first === null) return { messageId: Number(newest.id), sent: false };
  }
  try {
    await graphRequest(
      {
        graphApiBaseUrl: settings.graphApiBaseUrl,
        graphApiVersion: settings.graphApiVersion,
        accessToken: settings.accessToken,
      },
      "POST",
      `/${encodeURIComponent(settings.phoneNumberId)}/messages`,
      {
        messaging_product: "whatsapp",
        status: "read",
        message_id: newest.wamid,
        ...(props.typing ? { typing_indicator: { type: "text" } } : {}),
      },
      { timeoutMs: 10_000 },
    );
  } catch (error) {
    if (props.typing) await props.redis.del(throttleKey);
    if (!(error instanceof GraphApiError)) throw error;
    throw whatsappRequestFailed(
      `WhatsApp did not accept the ${props.typing ? "typing indicator" : "read receipt"}: ${error.reason}.`,
      { reason: error.reason, code: error.code ?? null, retryable: error.retryable },
    );
  }
  return { messageId: Number(newest.id), sent: true };
}
