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

/** A delivery status of a message the business sent, in the order it can only move forward. */
export type DeliveryStatus = "accepted" | "sent" | "failed" | "delivered" | "read" | "played";

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
      type: "unsupported";
      /** What WhatsApp or the runtime could not show (`poll`, `order`, `system`, …). */
      originalType: string;
      errorCode: number | null;
      errorTitle: string | null;
      errorDetails: string | null;
      /** For `system` messages: WhatsApp's own text. */
      body: string | null;
    };

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
  wamid: string;
  type: string;
  content: MessageContent;
  /** The wamid this message replies to (a quote, or the message whose button was tapped). */
  replyToWamid: string | null;
  status: DeliveryStatus | null;
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
