import { describe, expect, it } from "vitest";
import { OutboundMessageSchema } from "../../../contracts/outbound-messages.js";
import { consentIntentOf, consentQuestion, DEFAULT_CONSENT_TEXT } from "./consentMessages.js";

const text = (body: string) => ({ type: "text" as const, body });
const tap = (id: string | null) => ({
  type: "interactive" as const,
  replyType: "button_reply",
  id,
  title: "Concordo",
  description: null,
  responseJson: null,
});

describe("reading a customer's message as a consent decision", () => {
  it.each(["SAIR", "sair", "  Sair  ", "STOP", "parar", "SÁIR"])(
    "treats %j as withdrawing consent",
    (body) => {
      expect(consentIntentOf(text(body))).toEqual({ status: "revoked", source: "keyword" });
    },
  );

  it.each(["VOLTAR", "voltar", "Start"])("treats %j as giving consent again", (body) => {
    expect(consentIntentOf(text(body))).toEqual({ status: "granted", source: "keyword" });
  });

  it.each([
    "quero sair da lista de espera",
    "SAIR.",
    "não sei se posso sair",
    "",
    "S A I R",
    // An order or a subscription, most of the time: the agent must be able to answer.
    "Cancelar",
    "CANCELAR",
  ])("leaves %j an ordinary message", (body) => {
    expect(consentIntentOf(text(body))).toBeUndefined();
  });

  it("reads our buttons with the text version they were shown with", () => {
    expect(consentIntentOf(tap("consent:grant:2026-12-v1"))).toEqual({
      status: "granted",
      source: "button",
      textVersion: "2026-12-v1",
    });
    expect(consentIntentOf(tap("consent:deny:v2"))).toEqual({
      status: "revoked",
      source: "button",
      textVersion: "v2",
    });
  });

  it("ignores other buttons and forged versions", () => {
    expect(consentIntentOf(tap("btn_sim"))).toBeUndefined();
    expect(consentIntentOf(tap(null))).toBeUndefined();
    expect(consentIntentOf(tap("consent:grant:<script>"))).toBeUndefined();
    expect(consentIntentOf(tap(`consent:grant:${"v".repeat(33)}`))).toBeUndefined();
    expect(consentIntentOf(tap("consent:maybe:v1"))).toBeUndefined();
  });
});

describe("the consent question", () => {
  it("is a reply-buttons message WhatsApp accepts, carrying the text version in the ids", () => {
    const question = consentQuestion({ text: DEFAULT_CONSENT_TEXT, textVersion: "2026-12-v1" });
    expect(OutboundMessageSchema.safeParse(question).success).toBe(true);
    expect(question).toMatchObject({
      type: "buttons",
      buttons: [
        { id: "consent:grant:2026-12-v1", title: "Concordo" },
        { id: "consent:deny:2026-12-v1", title: "Não concordo" },
      ],
    });
  });
});
