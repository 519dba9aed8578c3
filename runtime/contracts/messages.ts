import type { FilledTemplateText } from "./templates.js";
import type { FailureReason } from "./whatsapp-failures.js";

/**
 * Messages as the inbox renders them. The server stores `MessageContent` (already normalised
 * from Meta's webhook shapes, protocols.md A3.2) and sends `MessagePayload` to browsers.
 */

/** Media kinds WhatsApp carries by id. */
export const mediaKinds = ["image", "audio", "video", "document", "sticker"] as const;

/** A media kind. */
export type MediaKind = (typeof mediaKinds)[number];

/** Where a message's file stands: waiting for download, stored, or given up with a reason. */
export type MediaStatus = "pending" | "ready" | "failed";

/**
 * A delivery status of a message the business sent, in the order it can only move forward.
 * `queued` (stored, waiting for the send job) and `sending` (the job is talking to Meta) are
 * local; Meta's reports start at `accepted`. `failed` may also be local (never sent, with a
 * `failureReason`).
 */
export type DeliveryStatus =
  | "queued"
  | "sending"
  | "accepted"
  | "sent"
  | "failed"
  | "delivered"
  | "read"
  | "played";

/**
 * Rank of each delivery status: a status only ever replaces one of a lower or equal rank (A3.3).
 * Local states rank below anything Meta reports; `failed` overrides only `accepted`/`sent`; a
 * `delivered` that arrives after `failed` (several devices) wins, and nothing undoes `read`.
 */
export const STATUS_RANK: Readonly<Record<DeliveryStatus, number>> = {
  queued: 0,
  sending: 0,
  accepted: 1,
  sent: 2,
  failed: 3,
  delivered: 4,
  read: 5,
  played: 6,
};

/**
 * Whether a message showing `current` should show `next`: announcements of one message can
 * reach a browser out of order (Meta's reports are processed by more than one process, and a
 * catch-up replays events older than a fresh page), so a step back is ignored.
 */
export function statusMovesForward(current: DeliveryStatus | null, next: DeliveryStatus): boolean {
  return current === null || STATUS_RANK[next] >= STATUS_RANK[current];
}

/** Render-ready content of one message, by type. */
export type MessageContent =
  | { type: "text"; body: string }
  | {
      type: MediaKind;
      /** Caption (image, video, document). */
      caption: string | null;
      mimeType: string | null;
      /** Document file name as the sender gave it. */
      filename: string | null;
      /** Audio recorded as a voice note in the app. */
      voice: boolean;
      /** Animated sticker. */
      animated: boolean;
      /** Outbound media sent by public HTTPS link (Meta fetches it). */
      link?: string | null;
    }
  | {
      type: "location";
      latitude: number;
      longitude: number;
      name: string | null;
      address: string | null;
      url: string | null;
    }
  | { type: "contacts"; contacts: SharedContact[] }
  | {
      type: "interactive";
      /** `button_reply`, `list_reply`, `nfm_reply`, …: which kind of tap or form. */
      replyType: string;
      /** The button or row id the business defined. */
      id: string | null;
      title: string | null;
      description: string | null;
      /** Flow answers (`nfm_reply.response_json`), as sent. */
      responseJson: string | null;
    }
  | { type: "button"; text: string; payload: string | null }
  | {
      type: "reaction";
      /** The message reacted to. */
      targetWamid: string;
      /** Null when the reaction was removed. */
      emoji: string | null;
    }
  | {
      /** Outbound reply buttons or list, as the business sent them. */
      type: "interactive_message";
      interactive: OutboundInteractive;
    }
  | {
      /** Outbound template, with the parameters it was sent with. */
      type: "template";
      template: OutboundTemplate;
    }
  | {
      type: "unsupported";
      /** What WhatsApp or the runtime could not show (`poll`, `order`, `system`, …). */
      originalType: string;
      errorCode: number | null;
      errorTitle: string | null;
      errorDetails: string | null;
      /** For `system` messages: WhatsApp's own text. */
      body: string | null;
    };

/** Outbound interactive content (see `OutboundMessageSchema` in outbound-messages.ts). */
export type OutboundInteractive =
  | {
      kind: "buttons";
      header: string | null;
      body: string;
      footer: string | null;
      buttons: Array<{ id: string; title: string }>;
    }
  | {
      kind: "list";
      header: string | null;
      body: string;
      footer: string | null;
      button: string;
      sections: Array<{
        title: string | null;
        rows: Array<{ id: string; title: string; description: string | null }>;
      }>;
    };

/** An outbound template message's name, language and parameters. */
export interface OutboundTemplate {
  name: string;
  language: string;
  header: TemplateParameter | null;
  body: TemplateParameter[];
  buttons: Array<{ index: number; subType: "quick_reply" | "url"; value: string }>;
  /**
   * The text the customer received, from the synced template filled with the parameters (absent
   * on messages stored before it was kept, null when the template was not synced).
   */
  text?: FilledTemplateText | null;
}

/** One template parameter: text (optionally named) or media by link. */
export type TemplateParameter =
  | { type: "text"; text: string; name?: string | undefined }
  | { type: "image" | "video" | "document"; link: string; filename?: string | undefined };

/** A contact card shared in a `contacts` message. */
export interface SharedContact {
  name: string;
  phones: Array<{ phone: string; waId: string | null; type: string | null }>;
  emails: Array<{ email: string; type: string | null }>;
  organization: string | null;
}

/** A message as the API and Socket.IO send it. */
export interface MessagePayload {
  id: number;
  conversationId: number;
  direction: "inbound" | "outbound";
  /** Null while an outbound message waits for Meta's answer (or failed before it). */
  wamid: string | null;
  type: string;
  content: MessageContent;
  /** The wamid this message replies to (a quote, or the message whose button was tapped). */
  replyToWamid: string | null;
  status: DeliveryStatus | null;
  /** Why an outbound message failed (contracts/whatsapp-failures.ts), else null. */
  failureReason: FailureReason | null;
  /** The user who sent an outbound message (null for inbound or a deleted user). */
  sentByUserId: number | null;
  /** The idempotency key the client sent the message with (outbound only). */
  clientKey: string | null;
  /** Present for media messages. */
  media: {
    status: MediaStatus;
    mimeType: string | null;
    sizeBytes: number | null;
    error: string | null;
  } | null;
  /** ISO 8601. */
  sentAt: string;
}
