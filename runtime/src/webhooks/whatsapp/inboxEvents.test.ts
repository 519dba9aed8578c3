import { describe, expect, it } from "vitest";
import { extractInboxEvents } from "./inboxEvents.js";

const metadata = { display_phone_number: "5511999990000", phone_number_id: "200000000000002" };

describe("extractInboxEvents", () => {
  it("walks every entry, change and element: messages by wamid, statuses by wamid and status", () => {
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "100",
          changes: [
            {
              field: "messages",
              value: {
                metadata,
                contacts: [
                  { wa_id: "551100000001", profile: { name: "A" } },
                  { wa_id: "551100000002", profile: { name: "B" } },
                ],
                messages: [
                  { from: "551100000001", id: "wamid.1", type: "text", text: { body: "a" } },
                  { from: "551100000002", id: "wamid.2", type: "text", text: { body: "b" } },
                ],
              },
            },
          ],
        },
        {
          id: "100",
          changes: [
            {
              field: "messages",
              value: { metadata, statuses: [{ id: "wamid.OUT", status: "read" }] },
            },
          ],
        },
      ],
    };
    const events = extractInboxEvents(body, "200000000000002");
    expect(events.map((event) => [event.key, event.kind])).toEqual([
      ["m:wamid.1", "message"],
      ["m:wamid.2", "message"],
      ["s:wamid.OUT:read", "status"],
    ]);
    // Each message keeps the contacts[] entry of its own sender.
    expect(JSON.parse(events[1]?.payload ?? "{}").contact).toEqual({
      wa_id: "551100000002",
      profile: { name: "B" },
    });
    // Whom each event is about, for the keyed hash that lets an erasure find sealed payloads.
    expect(events.map((event) => event.subject)).toEqual([
      { kind: "phone", value: "551100000001" },
      { kind: "phone", value: "551100000002" },
      null,
    ]);
  });

  it("names a username-only sender by BSUID, and a status by its recipient", () => {
    const events = extractInboxEvents({
      entry: [
        {
          changes: [
            {
              field: "messages",
              value: {
                metadata,
                contacts: [{ user_id: "BR.ONLY", profile: { username: "@ana" } }],
                messages: [{ from_user_id: "BR.ONLY", id: "wamid.U", type: "text" }],
                statuses: [{ id: "wamid.S", status: "sent", recipient_id: "551100000003" }],
              },
            },
          ],
        },
      ],
    });
    expect(events.map((event) => event.subject)).toEqual([
      { kind: "bsuid", value: "BR.ONLY" },
      { kind: "phone", value: "551100000003" },
    ]);
  });

  it("gives identical deliveries identical keys, and other template updates other keys", () => {
    const template = (event: string, time: number) => ({
      entry: [
        {
          id: "100",
          time,
          changes: [
            {
              field: "message_template_status_update",
              value: {
                event,
                message_template_id: 1627019861106475,
                message_template_name: "pedido",
              },
            },
          ],
        },
      ],
    });
    const [first] = extractInboxEvents(template("APPROVED", 1));
    const [again] = extractInboxEvents(template("APPROVED", 1));
    const [later] = extractInboxEvents(template("PAUSED", 2));
    expect(first?.kind).toBe("template");
    expect(first?.key).toBe(again?.key);
    expect(later?.key).not.toBe(first?.key);
  });

  it("ignores messages for another business number but keeps unknown fields", () => {
    const body = {
      entry: [
        {
          id: "100",
          changes: [
            {
              field: "messages",
              value: {
                metadata: { phone_number_id: "999" },
                messages: [{ id: "wamid.X", type: "text" }],
              },
            },
            { field: "account_update", value: { event: "VERIFIED_ACCOUNT" } },
          ],
        },
      ],
    };
    const events = extractInboxEvents(body, "200000000000002");
    expect(events.map((event) => event.kind)).toEqual(["other"]);
    expect(JSON.parse(events[0]?.payload ?? "{}")).toEqual({
      field: "account_update",
      wabaId: "100",
      value: { event: "VERIFIED_ACCOUNT" },
    });
  });

  it("returns nothing for shapes it does not know, without throwing", () => {
    for (const body of [
      null,
      42,
      "x",
      [],
      {},
      { entry: "x" },
      { entry: [null, { changes: [1, { value: 2 }] }] },
    ]) {
      expect(extractInboxEvents(body, "1")).toEqual([]);
    }
  });

  it("hashes keys that would not fit the column", () => {
    const long = `wamid.${"x".repeat(300)}`;
    const [event] = extractInboxEvents({
      entry: [
        {
          changes: [
            { field: "messages", value: { metadata, messages: [{ id: long, type: "text" }] } },
          ],
        },
      ],
    });
    expect(event?.key).toMatch(/^m#[0-9a-f]{64}$/);
  });
});
