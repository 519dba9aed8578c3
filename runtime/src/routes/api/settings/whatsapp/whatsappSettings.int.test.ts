import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn as signInAs } from "../../../../test/api.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../../test/support.js";
import { inboundPayload, postWebhook } from "../../../../test/whatsapp.js";

let components: TestComponents;
let server: TestServer;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

async function signIn(role: "admin" | "manager" | "agent"): Promise<string> {
  return (await signInAs(server.url, components.db, { role })).cookie;
}

function settingsRequest(cookie: string | undefined, method = "GET", body?: unknown) {
  return fetch(`${server.url}/api/settings/whatsapp`, {
    method,
    headers: {
      ...(cookie === undefined ? {} : { Cookie: cookie }),
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const accessToken = "EAAGm0PxZBcBAAtokenSECRETvalue9876";
const appSecret = "appsecretSECRETvalue5555";
const verifyToken = "verifytokenSECRETvalue4321";
const fullSettings = {
  phoneNumberId: "200000000000002",
  wabaId: "100000000000001",
  graphApiBaseUrl: "http://127.0.0.1:9/",
  graphApiVersion: "v24.0",
  accessToken,
  appSecret,
  verifyToken,
};

describe("/api/settings/whatsapp", () => {
  it("shows defaults and configured:false before the first save", async () => {
    const response = await settingsRequest(await signIn("admin"));
    expect(response.status).toBe(200);
    expect((await jsonBody(response)).data).toEqual({
      configured: false,
      phoneNumberId: null,
      wabaId: null,
      graphApiBaseUrl: "https://graph.facebook.com",
      graphApiVersion: "v23.0",
      accessToken: null,
      appSecret: null,
      verifyToken: null,
      webhookUrl: "http://atende.test/webhooks/whatsapp",
      updatedAt: null,
    });
  });

  it("saves for an admin, answering with the secrets masked", async () => {
    const response = await settingsRequest(await signIn("admin"), "PUT", fullSettings);
    expect(response.status).toBe(200);
    const { data } = await jsonBody(response);
    expect(data).toMatchObject({
      configured: true,
      phoneNumberId: "200000000000002",
      wabaId: "100000000000001",
      graphApiBaseUrl: "http://127.0.0.1:9",
      graphApiVersion: "v24.0",
      accessToken: "••••9876",
      appSecret: "••••5555",
      verifyToken: "••••4321",
    });
    const text = JSON.stringify(data);
    for (const secret of [accessToken, appSecret, verifyToken]) expect(text).not.toContain(secret);
  });

  it("stores the secrets encrypted: the raw columns and the audit log never contain them", async () => {
    const row = await components.db("whatsapp_settings").first();
    const raw = JSON.stringify(row);
    for (const secret of [accessToken, appSecret, verifyToken, "9876", "5555", "4321"]) {
      expect(raw).not.toContain(secret);
    }
    expect(row.access_token_sealed).toMatch(/^v1\./);
    const audit = await components.db("activity_log").where({ action: "whatsappSettings.update" });
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(accessToken);
    expect(JSON.stringify(audit)).toContain("access_token");
  });

  it("keeps stored secrets when a save omits them, and GET stays masked", async () => {
    const admin = await signIn("admin");
    const { accessToken: _a, appSecret: _b, verifyToken: _c, ...withoutSecrets } = fullSettings;
    const response = await settingsRequest(admin, "PUT", {
      ...withoutSecrets,
      graphApiVersion: "v25.0",
    });
    expect(response.status).toBe(200);
    const { data } = await jsonBody(await settingsRequest(admin));
    expect(data).toMatchObject({
      graphApiVersion: "v25.0",
      accessToken: "••••9876",
      configured: true,
    });
  });

  it("uses a new app secret for webhooks at once (the cache is invalidated on save)", async () => {
    const payload = inboundPayload([{ type: "text", text: { body: "x" } }]);
    expect((await postWebhook(server.url, appSecret, payload)).status).toBe(200);
    const newSecret = "rotatedAPPsecret00000001";
    const admin = await signIn("admin");
    expect(
      (await settingsRequest(admin, "PUT", { ...fullSettings, appSecret: newSecret })).status,
    ).toBe(200);
    expect((await postWebhook(server.url, appSecret, payload)).status).toBe(401);
    expect((await postWebhook(server.url, newSecret, payload)).status).toBe(200);
  });

  it("refuses agents and managers (403) and anonymous requests (401)", async () => {
    for (const role of ["agent", "manager"] as const) {
      const cookie = await signIn(role);
      const get = await settingsRequest(cookie);
      expect(get.status).toBe(403);
      expect(await jsonBody(get)).toMatchObject({ error: "forbidden" });
      expect((await settingsRequest(cookie, "PUT", fullSettings)).status).toBe(403);
    }
    expect((await settingsRequest(undefined)).status).toBe(401);
    expect((await settingsRequest(undefined, "PUT", fullSettings)).status).toBe(401);
  });

  it("validates the body, naming the field and never echoing secrets", async () => {
    const admin = await signIn("admin");
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...fullSettings, phoneNumberId: "12ab" }, "phoneNumberId"],
      [{ ...fullSettings, graphApiVersion: "23" }, "graphApiVersion"],
      [{ ...fullSettings, graphApiBaseUrl: "ftp://graph" }, "graphApiBaseUrl"],
      [{ ...fullSettings, accessToken: "with space secret" }, "accessToken"],
      [{ ...fullSettings, wabaId: undefined }, "wabaId"],
    ];
    for (const [body, field] of cases) {
      const response = await settingsRequest(admin, "PUT", body);
      expect(response.status).toBe(400);
      const parsed = await jsonBody(response);
      expect(parsed).toMatchObject({ error: "validation_error", data: { field } });
      expect(JSON.stringify(parsed)).not.toContain("with space secret");
    }
  });
});

describe("POST /webhooks/whatsapp before WhatsApp is configured", () => {
  it("answers 503 whatsapp_not_configured and stores nothing", async () => {
    const fresh = await createTestComponents();
    const freshServer = await getTestServer(fresh);
    try {
      const response = await postWebhook(
        freshServer.url,
        "anything",
        inboundPayload([{ type: "text", text: { body: "x" } }]),
      );
      expect(response.status).toBe(503);
      expect(await jsonBody(response)).toMatchObject({ error: "whatsapp_not_configured" });
      expect(await fresh.db("whatsapp_inbox_events").count({ n: "*" })).toEqual([{ n: 0 }]);
      const handshake = await fetch(
        `${freshServer.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1`,
      );
      expect(handshake.status).toBe(403);
    } finally {
      await freshServer.close();
      await fresh.cleanup();
    }
  });
});
