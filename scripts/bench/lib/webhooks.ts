import { createHmac } from "node:crypto";
import { type Agent, request } from "node:http";
import { APP_SECRET, PHONE_NUMBER_ID } from "./runtimeProcess.js";

/** A signed webhook delivery, ready to send. */
export interface Delivery {
  body: Buffer;
  signature: string;
}

/**
 * One inbound text message as Meta delivers it: a `messages` change for the bench's phone
 * number, non-ASCII escaped as \uXXXX, signed with the app secret (`X-Hub-Signature-256`).
 */
export function signedTextWebhook(message: {
  wamid: string;
  from: string;
  name: string;
  text: string;
}): Delivery {
  const payload = {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "100000000000001",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "5511999990000", phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: message.name }, wa_id: message.from }],
              messages: [
                {
                  from: message.from,
                  id: message.wamid,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: message.text },
                },
              ],
            },
          },
        ],
      },
    ],
  };
  // Meta escapes non-ASCII as \uXXXX.
  const text = JSON.stringify(payload).replace(
    /[\u0080-\uffff]/g,
    (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  const body = Buffer.from(text);
  return {
    body,
    signature: `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`,
  };
}

/**
 * Sends one delivery as Meta does; resolves with its status (0 on a network error) and the
 * client-side latency in ms (request written → response read).
 */
export function postWebhook(agent: Agent, url: URL, delivery: Delivery): Promise<[number, number]> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: "POST",
        agent,
        headers: {
          "Content-Type": "application/json",
          "Content-Length": delivery.body.length,
          "X-Hub-Signature-256": delivery.signature,
          "User-Agent": "facebookexternalua",
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          resolve([res.statusCode ?? 0, Number(process.hrtime.bigint() - started) / 1e6]),
        );
      },
    );
    req.on("error", () => resolve([0, Number(process.hrtime.bigint() - started) / 1e6]));
    req.end(delivery.body);
  });
}
