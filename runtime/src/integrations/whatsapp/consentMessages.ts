import type { MessageContent } from "../../../contracts/messages.js";
import type { OutboundMessage } from "../../../contracts/outbound-messages.js";

/**
 * The WhatsApp side of consent (LGPD): the question atende sends, the confirmations, and how a
 * customer's message is read as consent given or withdrawn. Pure functions; the rule itself is
 * in `commands/consentRecorder.ts`.
 */

/** The built-in consent question (pt-BR), used unless `CONSENT_TEXT` replaces it. */
export const DEFAULT_CONSENT_TEXT =
  "Olá! Para atender você, guardamos seu nome, seu número e as mensagens desta conversa, conforme a LGPD (Lei Geral de Proteção de Dados). Você concorda? Você pode sair a qualquer momento enviando SAIR.";

/** Sent once when a customer withdraws consent (keyword or button). */
export const REVOKED_CONFIRMATION_TEXT =
  "Pronto: você não receberá mais mensagens automáticas nem avisos nossos. Se quiser voltar, envie VOLTAR.";

/** Sent when a customer gives consent again with a keyword (VOLTAR/START). */
export const GRANTED_AGAIN_TEXT = "Obrigado! Você voltou a receber nossas mensagens.";

/** What versions look like (`CONSENT_TEXT_VERSION`; fits `consent_records.text_version`). */
const VERSION = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * Whole messages that withdraw consent, compared without case or accents. Not CANCELAR: a
 * customer who writes just "Cancelar" usually means an order or a subscription, and taking it as
 * an opt-out would stop the agent answering them.
 */
const REVOKE_KEYWORDS = new Set(["STOP", "SAIR", "PARAR"]);
/** Whole messages that give it again. */
const GRANT_KEYWORDS = new Set(["VOLTAR", "START"]);

/** The interactive message asking for consent; the button ids carry the text version. */
export function consentQuestion(settings: { text: string; textVersion: string }): OutboundMessage {
  return {
    type: "buttons",
    body: settings.text,
    buttons: [
      { id: `consent:grant:${settings.textVersion}`, title: "Concordo" },
      { id: `consent:deny:${settings.textVersion}`, title: "Não concordo" },
    ],
  };
}

/** A plain text message atende sends by itself. */
export function systemText(body: string): OutboundMessage {
  return { type: "text", body };
}

/** A customer's message read as a consent decision. */
export interface ConsentIntent {
  status: "granted" | "revoked";
  source: "button" | "keyword";
  /** The text version the button was shown with; undefined for keywords. */
  textVersion?: string;
}

/** Upper case, without accents or surrounding spaces: "  sáir " → "SAIR". */
function normaliseKeyword(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").trim().toUpperCase();
}

/**
 * Whether a stored inbound message is a consent decision: a tap on one of our consent buttons
 * (`consent:grant:<version>` / `consent:deny:<version>`), or a text that is exactly one of the
 * keywords (STOP, SAIR, PARAR withdraw; VOLTAR, START give consent again). Anything
 * else (a sentence that merely contains "sair") is an ordinary message.
 */
export function consentIntentOf(content: MessageContent): ConsentIntent | undefined {
  if (content.type === "interactive" && content.replyType === "button_reply" && content.id) {
    const match = /^consent:(grant|deny):(.+)$/.exec(content.id);
    if (match === null || !VERSION.test(match[2] ?? "")) return undefined;
    return {
      status: match[1] === "grant" ? "granted" : "revoked",
      source: "button",
      textVersion: match[2] as string,
    };
  }
  if (content.type === "text") {
    const keyword = normaliseKeyword(content.body);
    if (REVOKE_KEYWORDS.has(keyword)) return { status: "revoked", source: "keyword" };
    if (GRANT_KEYWORDS.has(keyword)) return { status: "granted", source: "keyword" };
  }
  return undefined;
}
