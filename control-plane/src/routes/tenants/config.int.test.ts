import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditPayload, TenantConfigPayload } from "../../contracts/api.js";
import { updateStoredConfig } from "../../tenantConfig/configKeys.js";
import { startTestApi, type TestApi } from "../../test/apiSupport.js";

// The API over an isolated registry with the Docker engine unreachable: reading works from the
// registry alone; applying a change needs Docker (the end-to-end tests apply for real).
let api: TestApi;
const cookies = { viewer: "", operator: "", owner: "" };
const TENANT = "cfgapi";
const FILA_KEY = "sk-fila-0123456789abcdef";

beforeAll(async () => {
  api = await startTestApi();
  cookies.viewer = await api.signIn("viewer");
  cookies.operator = await api.signIn("operator");
  cookies.owner = await api.signIn("owner");
  await api.cp.tenants.insert({
    name: TENANT,
    status: "stopped",
    templateId: "default",
    templateVersion: 1,
    appVersion: "0.1.0",
    images: { app: "atende/runtime:0.1.0" },
    publishHost: "127.0.0.1",
    hostPort: 39_871,
    url: "http://127.0.0.1:39871",
    adminEmail: "ana@acme.com.br",
    sealedSecrets: "v1:sealed",
    lastOperationId: null,
  });
  const box = await api.cp.secretBox();
  let raw = updateStoredConfig(box, TENANT, null, "timezone", "America/Recife").raw;
  raw = updateStoredConfig(box, TENANT, raw, "fila-ia.api-key", FILA_KEY).raw;
  await api.cp.tenants.setConfig(TENANT, raw, "seed");
});
afterAll(async () => {
  await api?.dispose();
});

const auditRows = async () =>
  (await api.request("GET", "/api/audit?limit=100", { cookie: cookies.owner })).body
    .data as AuditPayload[];

describe("the tenant settings API", () => {
  type Who = "anonymous" | "viewer" | "operator" | "owner";
  const whos: Who[] = ["anonymous", "viewer", "operator", "owner"];
  const routes = [
    { method: "GET", path: `/api/tenants/ghost/config`, role: 0, allowed: 404 },
    {
      method: "PUT",
      path: `/api/tenants/ghost/config/timezone`,
      body: { value: "America/Recife" },
      role: 1,
      allowed: 404,
    },
    { method: "DELETE", path: `/api/tenants/ghost/config/timezone`, role: 1, allowed: 404 },
  ];
  const rank = { anonymous: -1, viewer: 0, operator: 1, owner: 2 };

  it.each(
    routes.flatMap((route) =>
      whos.map((who) => [`${route.method} ${route.path}`, who, route] as const),
    ),
  )("answers %s as %s according to the role", async (_label, who, route) => {
    const cookie = who === "anonymous" ? undefined : cookies[who];
    const { status } = await api.request(route.method, route.path, {
      ...(cookie ? { cookie } : {}),
      ...(route.body ? { body: route.body } : {}),
    });
    expect(status).toBe(who === "anonymous" ? 401 : rank[who] >= route.role ? route.allowed : 403);
  });

  it("shows a viewer every setting with its description, secrets masked and WhatsApp unreadable while stopped", async () => {
    const { status, body, headers } = await api.request("GET", `/api/tenants/${TENANT}/config`, {
      cookie: cookies.viewer,
    });
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toContain("no-store");
    const data = body.data as TenantConfigPayload;
    const byKey = Object.fromEntries(data.settings.map((entry) => [entry.key, entry]));
    expect(byKey.timezone).toMatchObject({ value: "America/Recife", storedIn: "registry" });
    expect(byKey["fila-ia.api-key"]).toMatchObject({ value: "••••cdef", secret: true });
    expect(byKey["retention.months"]).toMatchObject({ value: null });
    expect(byKey.domain?.description).toContain("PUBLIC_URL");
    expect(byKey["whatsapp.access-token"]).toMatchObject({
      value: null,
      secret: true,
      storedIn: "tenant",
      unavailable: expect.stringContaining("is stopped"),
    });
    expect(JSON.stringify(body)).not.toContain(FILA_KEY);
  });

  it("refuses an unknown key or a bad value with 400 naming the key, never echoing a secret, and audits without the value", async () => {
    const unknown = await api.request("PUT", `/api/tenants/${TENANT}/config/colour`, {
      cookie: cookies.operator,
      body: { value: "blue" },
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: "invalid_option" } });
    expect(unknown.body.message).toContain("timezone, public-url");

    const bad = await api.request("PUT", `/api/tenants/${TENANT}/config/domain`, {
      cookie: cookies.operator,
      body: { value: "https://chat.acme.example/inbox" },
    });
    expect(bad).toMatchObject({ status: 400, body: { error: "invalid_option" } });
    expect(bad.body.message).toContain("for domain: it must be a domain name only");

    const secret = await api.request("PUT", `/api/tenants/${TENANT}/config/whatsapp.access-token`, {
      cookie: cookies.operator,
      body: { value: "EAAG secret with spaces" },
    });
    expect(secret).toMatchObject({ status: 400, body: { error: "invalid_option" } });
    expect(JSON.stringify(secret.body)).not.toContain("EAAG");

    const malformed = await api.request("PUT", `/api/tenants/${TENANT}/config/timezone`, {
      cookie: cookies.operator,
      body: { value: 42 },
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: "validation_error" } });

    const rows = (await auditRows()).filter((row) => row.action === "tenants.config.set");
    expect(rows.map((row) => [row.outcome, row.detail])).toEqual(
      expect.arrayContaining([
        ["refused", "colour (invalid_option)"],
        ["refused", "domain (invalid_option)"],
        ["refused", "whatsapp.access-token (invalid_option)"],
      ]),
    );
    expect(JSON.stringify(rows)).not.toContain("chat.acme.example");
    expect(JSON.stringify(rows)).not.toContain("EAAG");
    // Nothing changed.
    const { body } = await api.request("GET", `/api/tenants/${TENANT}/config`, {
      cookie: cookies.viewer,
    });
    const domain = (body.data as TenantConfigPayload).settings.find((e) => e.key === "domain");
    expect(domain?.value).toBeNull();
  });

  it("refuses a WhatsApp change while the tenant is stopped (409), and a viewer's change (403, audited as denied)", async () => {
    const stopped = await api.request("PUT", `/api/tenants/${TENANT}/config/whatsapp.waba-id`, {
      cookie: cookies.operator,
      body: { value: "123456" },
    });
    expect(stopped).toMatchObject({ status: 409, body: { error: "tenant_not_ready" } });
    expect(stopped.body.hint).toContain("atende tenant start");

    const denied = await api.request("DELETE", `/api/tenants/${TENANT}/config/timezone`, {
      cookie: cookies.viewer,
    });
    expect(denied.status).toBe(403);
    const rows = await auditRows();
    expect(rows).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: "tenants.config.unset",
          target: TENANT,
          outcome: "denied",
        }),
      ]),
    );
  });

  it("journals a change it could not apply with Docker down, answers 503 and keeps the old value", async () => {
    const { status, body } = await api.request("PUT", `/api/tenants/${TENANT}/config/timezone`, {
      cookie: cookies.operator,
      body: { value: "America/Manaus" },
    });
    expect({ status, error: body.error }).toEqual({ status: 503, error: "docker_unavailable" });
    const got = await api.request("GET", `/api/tenants/${TENANT}/config`, {
      cookie: cookies.viewer,
    });
    const timezone = (got.body.data as TenantConfigPayload).settings.find(
      (entry) => entry.key === "timezone",
    );
    expect(timezone?.value).toBe("America/Recife");
    const rows = (await auditRows()).filter(
      (row) => row.action === "tenants.config.set" && row.detail?.startsWith("timezone"),
    );
    expect(rows[0]).toMatchObject({ outcome: "failed", detail: "timezone (docker_unavailable)" });
    expect(JSON.stringify(rows)).not.toContain("America/Manaus");
  });
});
