import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ClientToServerEvents,
  EventEnvelope,
  ServerToClientEvents,
  TemplateStatusChanged,
} from "../../../../../contracts/socket-events.js";
import type { MessageTemplatePayload } from "../../../../../contracts/templates.js";
import { signIn } from "../../../../test/api.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
} from "../../../../test/support.js";
import { exampleTemplate } from "../../../../test/templates.js";
import { startWhatsappStack, type WhatsappStack } from "../../../../test/whatsappStack.js";

type Role = "admin" | "manager" | "agent";
type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let components: TestComponents;
let stack: WhatsappStack;
const cookies = new Map<Role, string>();
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  components = await createTestComponents();
  stack = await startWhatsappStack(components);
  for (const role of ["admin", "manager", "agent"] as const) {
    cookies.set(role, (await signIn(stack.server.url, components.db, { role })).cookie);
  }
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await stack?.close();
  await components?.cleanup();
});

function api(role: Role | null, method: string, path: string, body?: unknown): Promise<Response> {
  const cookie = role === null ? undefined : cookies.get(role);
  return fetch(`${stack.server.url}/api/whatsapp/templates${path}`, {
    method,
    headers: {
      ...(cookie === undefined ? {} : { Cookie: cookie }),
      ...(method === "GET" ? {} : { "Content-Type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function list(role: Role): Promise<MessageTemplatePayload[]> {
  const response = await api(role, "GET", "");
  expect(response.status).toBe(200);
  return (await jsonBody(response)).data as unknown as MessageTemplatePayload[];
}

async function find(name: string, language = "pt_BR"): Promise<MessageTemplatePayload | undefined> {
  return (await list("admin")).find((t) => t.name === name && t.language === language);
}

/** A template as an admin would submit it (protocols.md A6's example, renamed). */
const definition = (name: string) => exampleTemplate(name);

/** A signed-in socket collecting `template:statusChanged` events. */
async function listen(role: Role): Promise<TemplateStatusChanged[]> {
  const received: TemplateStatusChanged[] = [];
  const socket: ClientSocket = connect(stack.server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: { Cookie: cookies.get(role) ?? "" },
  });
  sockets.push(socket);
  socket.on("template:statusChanged", (event: EventEnvelope<TemplateStatusChanged>) => {
    received.push(event.data);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return received;
}

const templateCalls = (method: string) =>
  stack.emulator.control
    .requests()
    .filter((request) => request.method === method && request.path.includes("/message_templates"));

describe("/api/whatsapp/templates", () => {
  it("syncs every page of the WABA's templates, then finds nothing new on a second sync", async () => {
    for (let i = 0; i < 120; i += 1) {
      stack.emulator.control.addTemplate({
        name: `s3t_lote_${String(i).padStart(3, "0")}`,
        language: "pt_BR",
        category: "MARKETING",
        components: [
          { type: "BODY", text: "Oferta {{1}} para você.", example: { body_text: [["10%"]] } },
        ],
      });
    }
    const remote = stack.emulator.control.templates().length;
    const listsBefore = templateCalls("GET").length;

    const response = await api("admin", "POST", "/sync", {});
    expect(response.status).toBe(200);
    expect((await jsonBody(response)).data).toEqual({
      total: remote,
      created: remote,
      updated: 0,
      removed: 0,
    });
    expect(templateCalls("GET").length - listsBefore).toBeGreaterThanOrEqual(2);

    const all = await list("admin");
    expect(all).toHaveLength(remote);
    const pedido = all.find((t) => t.name === "pedido_enviado");
    expect(pedido).toMatchObject({ status: "APPROVED", language: "pt_BR", rejectionReason: null });
    expect(pedido?.variables.body).toEqual(["1", "2"]);
    expect(all.find((t) => t.name === "retomar_atendimento")?.parameterFormat).toBe("NAMED");

    const again = await api("manager", "POST", "/sync", {});
    expect((await jsonBody(again)).data).toEqual({
      total: remote,
      created: 0,
      updated: 0,
      removed: 0,
    });
  });

  it("removes on sync the templates Meta no longer lists", async () => {
    await components.db("message_templates").insert({
      whatsapp_template_id: "999000111222333",
      name: "s3t_apagado_na_meta",
      language: "pt_BR",
      status: "APPROVED",
    });
    const response = await api("admin", "POST", "/sync", {});
    expect((await jsonBody(response)).data).toMatchObject({ removed: 1, created: 0 });
    expect(await find("s3t_apagado_na_meta")).toBeUndefined();
  });

  it("creates and submits a template: PENDING at once, APPROVED when Meta's webhook arrives, announced to admins and managers only", async () => {
    const [adminEvents, managerEvents, agentEvents] = await Promise.all([
      listen("admin"),
      listen("manager"),
      listen("agent"),
    ]);
    const response = await api("manager", "POST", "", definition("s3t_pedido_enviado"));
    expect(response.status).toBe(201);
    const created = (await jsonBody(response)).data as unknown as MessageTemplatePayload;
    expect(created).toMatchObject({
      name: "s3t_pedido_enviado",
      status: "PENDING",
      category: "UTILITY",
    });
    expect(created.variables).toEqual({
      header: ["1"],
      body: ["1", "2"],
      buttons: [{ index: 1, variables: ["1"] }],
    });
    expect(
      stack.emulator.control.templates().find((t) => t.name === "s3t_pedido_enviado"),
    ).toMatchObject({
      status: "PENDING",
    });
    expect((await list("agent")).map((t) => t.name)).not.toContain("s3t_pedido_enviado");

    stack.emulator.control.setTemplateStatus("s3t_pedido_enviado", "APPROVED");
    await expect
      .poll(async () => (await find("s3t_pedido_enviado"))?.status, { timeout: 10_000 })
      .toBe("APPROVED");
    expect((await list("agent")).map((t) => t.name)).toContain("s3t_pedido_enviado");

    const approvals = (events: TemplateStatusChanged[]) =>
      events.filter(
        (e) => e.template.name === "s3t_pedido_enviado" && e.template.status === "APPROVED",
      );
    await expect.poll(() => approvals(adminEvents).length, { timeout: 5_000 }).toBe(1);
    await expect.poll(() => approvals(managerEvents).length, { timeout: 5_000 }).toBe(1);
    expect(approvals(adminEvents)[0]?.previousStatus).toBe("PENDING");
    expect(agentEvents).toEqual([]);
  });

  it("records a rejection and its reason from the webhook", async () => {
    expect((await api("admin", "POST", "", definition("s3t_rejeitado_webhook"))).status).toBe(201);
    stack.emulator.control.setTemplateStatus("s3t_rejeitado_webhook", "REJECTED", {
      reason: "INVALID_FORMAT",
    });
    await expect
      .poll(async () => (await find("s3t_rejeitado_webhook"))?.status, { timeout: 10_000 })
      .toBe("REJECTED");
    expect((await find("s3t_rejeitado_webhook"))?.rejectionReason).toBe("INVALID_FORMAT");
  });

  it("catches a review whose webhook was lost on the next sync", async () => {
    expect((await api("admin", "POST", "", definition("s3t_rejeitado_sync"))).status).toBe(201);
    // Meta's delivery of this one review is lost for good.
    stack.emulator.control.addWebhookFault({
      kind: "drop",
      times: 1,
      match: { kind: "message_template_status_update" },
    });
    stack.emulator.control.setTemplateStatus("s3t_rejeitado_sync", "REJECTED", {
      reason: "TAG_CONTENT_MISMATCH",
    });
    await stack.emulator.control.waitForWebhooks();
    expect((await find("s3t_rejeitado_sync"))?.status).toBe("PENDING");

    const response = await api("manager", "POST", "/sync", {});
    expect((await jsonBody(response)).data).toMatchObject({ updated: 1, created: 0, removed: 0 });
    expect(await find("s3t_rejeitado_sync")).toMatchObject({
      status: "REJECTED",
      rejectionReason: "TAG_CONTENT_MISMATCH",
    });
  });

  it("keeps a status a webhook set after the listing started rather than the listing's older one", async () => {
    expect((await api("admin", "POST", "", definition("s3t_corrida"))).status).toBe(201);
    // As if Meta's APPROVED webhook had been processed while the sync was reading the list.
    await components
      .db("message_templates")
      .where({ name: "s3t_corrida" })
      .update({
        status: "APPROVED",
        status_updated_at: new Date(Date.now() + 60_000),
      });
    await api("admin", "POST", "/sync", {});
    expect((await find("s3t_corrida"))?.status).toBe("APPROVED");
  });

  it("refuses a template that breaks Meta's rules, per field, before anything reaches Meta", async () => {
    const posts = templateCalls("POST").length;
    const response = await api("admin", "POST", "", {
      name: "Promoção Relâmpago",
      language: "pt-BR",
      category: "MARKETING",
      components: [
        { type: "HEADER", format: "TEXT", text: "a".repeat(61) },
        { type: "BODY", text: "{{1}} e {{3}}", example: { body_text: [["a"]] } },
        { type: "FOOTER", text: "Loja {{1}}" },
        {
          type: "BUTTONS",
          buttons: [
            { type: "QUICK_REPLY", text: "Quero aproveitar essa oferta agora" },
            { type: "URL", text: "Site", url: "https://loja.example/{{1}}/oferta" },
          ],
        },
      ],
    });
    expect(response.status).toBe(400);
    const body = await jsonBody(response);
    expect(body.error).toBe("validation_error");
    const errors = body.data.errors as Array<{ field: string; rule: string }>;
    expect(Object.fromEntries(errors.map((e) => [e.field, e.rule]))).toEqual({
      name: "name_format",
      language: "language_unsupported",
      "body.text": "variables_not_sequential",
      "header.text": "header_too_long",
      "footer.text": "footer_variables",
      "buttons.0.text": "button_text_too_long",
      "buttons.1.url": "url_variables",
    });
    expect(body.data.field).toBe("name");
    expect(templateCalls("POST").length).toBe(posts);
  });

  it("submits an authentication template in Meta's fixed layout", async () => {
    const response = await api("admin", "POST", "", {
      name: "s3t_codigo_acesso",
      language: "pt_BR",
      category: "AUTHENTICATION",
      components: [
        { type: "BODY", add_security_recommendation: true },
        // (Meta also takes a FOOTER with only code_expiration_minutes; the emulator wants its text.)
        {
          type: "BUTTONS",
          buttons: [{ type: "OTP", otp_type: "COPY_CODE", text: "Copiar código" }],
        },
      ],
    });
    expect(response.status).toBe(201);
    expect((await jsonBody(response)).data).toMatchObject({
      name: "s3t_codigo_acesso",
      category: "AUTHENTICATION",
      status: "PENDING",
    });
  });

  it("reports a name already used in that language as an error on the name", async () => {
    const response = await api("admin", "POST", "", { ...definition("pedido_enviado") });
    expect(response.status).toBe(400);
    const body = await jsonBody(response);
    expect(body.data.field).toBe("name");
    expect(body.data.errors).toEqual([
      expect.objectContaining({ field: "name", rule: "template_exists" }),
    ]);
  });

  it("deletes one language of a template at Meta and marks it PENDING_DELETION; unknown ones are 404", async () => {
    expect((await api("admin", "POST", "", definition("s3t_para_apagar"))).status).toBe(201);
    const response = await api("manager", "DELETE", "/s3t_para_apagar?language=pt_BR");
    expect(response.status).toBe(200);
    expect((await jsonBody(response)).data).toEqual({ deleted: 1 });
    expect(
      stack.emulator.control.templates().find((t) => t.name === "s3t_para_apagar")?.status,
    ).toBe("PENDING_DELETION");
    expect((await find("s3t_para_apagar"))?.status).toBe("PENDING_DELETION");
    const audit = await components
      .db("activity_log")
      .whereIn("action", ["whatsappTemplates.create", "whatsappTemplates.delete"]);
    const about = (action: string) =>
      audit.filter(
        (entry) =>
          entry.action === action && JSON.stringify(entry.data).includes("s3t_para_apagar"),
      );
    expect(about("whatsappTemplates.create")).toHaveLength(1);
    expect(about("whatsappTemplates.delete")).toHaveLength(1);

    expect((await api("admin", "DELETE", "/s3t_nunca_existiu")).status).toBe(404);
    expect((await api("admin", "DELETE", "/s3t_para_apagar?language=en_US")).status).toBe(404);
    expect((await api("admin", "DELETE", "/Nome%20Inv%C3%A1lido")).status).toBe(400);
  });

  it("lets agents read approved templates only, and refuses them sync, create, delete and the settings", async () => {
    const seen = await list("agent");
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((t) => t.status === "APPROVED")).toBe(true);

    expect((await api("agent", "POST", "/sync", {})).status).toBe(403);
    expect((await api("agent", "POST", "", definition("s3t_do_atendente"))).status).toBe(403);
    expect((await api("agent", "DELETE", "/pedido_enviado")).status).toBe(403);
    const settings = await fetch(`${stack.server.url}/api/settings/whatsapp`, {
      headers: { Cookie: cookies.get("agent") ?? "" },
    });
    expect(settings.status).toBe(403);
    expect((await api(null, "GET", "")).status).toBe(401);
    expect(stack.emulator.control.templates().some((t) => t.name === "s3t_do_atendente")).toBe(
      false,
    );
  });

  it("answers 502 with the reason when Meta refuses the token, changing nothing", async () => {
    const before = await list("admin");
    stack.emulator.control.revokeToken();
    try {
      const response = await api("admin", "POST", "/sync", {});
      expect(response.status).toBe(502);
      const body = await jsonBody(response);
      expect(body.error).toBe("whatsapp_request_failed");
      expect(body.data).toMatchObject({ reason: "token_invalid", code: 190 });
      expect(JSON.stringify(body)).not.toContain(stack.emulator.accessToken);
    } finally {
      stack.emulator.control.restoreToken();
    }
    expect(await list("admin")).toEqual(before);
  });
});

describe("/api/whatsapp/templates before WhatsApp is configured", () => {
  it("answers 503 whatsapp_not_configured to a sync, and lists nothing", async () => {
    const fresh = await createTestComponents();
    const server = await getTestServer(fresh);
    try {
      const { cookie } = await signIn(server.url, fresh.db, { role: "admin" });
      const sync = await fetch(`${server.url}/api/whatsapp/templates/sync`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/json" },
      });
      expect(sync.status).toBe(503);
      expect((await jsonBody(sync)).error).toBe("whatsapp_not_configured");
      const listed = await fetch(`${server.url}/api/whatsapp/templates`, {
        headers: { Cookie: cookie },
      });
      expect((await jsonBody(listed)).data).toEqual([]);
    } finally {
      await server.close();
      await fresh.cleanup();
    }
  });
});
