import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../../../../test/api.js";
import { createTestComponents, jsonBody, type TestComponents } from "../../../../test/support.js";
import { configureWhatsapp } from "../../../../test/whatsapp.js";
import { startWhatsappStack, type WhatsappStack } from "../../../../test/whatsappStack.js";

/** `POST /api/settings/whatsapp/test` against the Cloud API emulator's Graph API. */
let components: TestComponents;
let stack: WhatsappStack;
let admin: string;

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  ({ cookie: admin } = await signIn(stack.server.url, components.db, { role: "admin" }));
});

afterAll(async () => {
  await stack?.close();
  await components?.cleanup();
});

async function testConnection(cookie = admin) {
  const response = await fetch(`${stack.server.url}/api/settings/whatsapp/test`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/json" },
    body: "{}",
  });
  return { status: response.status, body: await jsonBody(response) };
}

describe("POST /api/settings/whatsapp/test", () => {
  it("reports the number Graph knows when the settings work", async () => {
    const { status, body } = await testConnection();
    expect(status).toBe(200);
    expect(body.data).toEqual({
      ok: true,
      displayPhoneNumber: "+55 11 99999-0000",
      verifiedName: "Atende Demo",
      qualityRating: "GREEN",
    });
  });

  it("explains a revoked token, without showing it", async () => {
    stack.emulator.control.revokeToken();
    try {
      const { body } = await testConnection();
      expect(body.data).toMatchObject({ ok: false, code: 190 });
      expect(String(body.data.reason)).toMatch(/access token is invalid, expired or revoked/);
      expect(JSON.stringify(body)).not.toContain(stack.emulator.accessToken);
    } finally {
      stack.emulator.control.restoreToken();
    }
  });

  it("explains an unknown phone number id and an unreachable Graph API", async () => {
    await configureWhatsapp(
      components,
      {
        phoneNumberId: "209999999999999",
        graphApiBaseUrl: stack.emulator.url,
        accessToken: stack.emulator.accessToken,
        appSecret: stack.secrets.appSecret,
        verifyToken: stack.secrets.verifyToken,
      },
      stack.server.whatsappSettings,
    );
    expect((await testConnection()).body.data).toMatchObject({ ok: false });
    await configureWhatsapp(
      components,
      { graphApiBaseUrl: "http://127.0.0.1:9", accessToken: stack.emulator.accessToken },
      stack.server.whatsappSettings,
    );
    expect((await testConnection()).body.data).toMatchObject({
      ok: false,
      code: null,
      reason: "Could not reach the Graph API at http://127.0.0.1:9.",
    });
  });

  it("is for admins only", async () => {
    const { cookie: agent } = await signIn(stack.server.url, components.db, { role: "agent" });
    expect((await testConnection(agent)).status).toBe(403);
  });
});
