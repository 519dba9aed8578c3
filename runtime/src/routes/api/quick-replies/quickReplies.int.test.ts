import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { QuickReplyPayload } from "../../../../contracts/contacts.js";
import { signIn as signInAs } from "../../../test/api.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

/** Quick replies: every agent reads them, only `settings.general` edits them. */
let components: TestComponents;
let server: TestServer;
let manager: string;
let agent: string;

async function signIn(role: string): Promise<string> {
  return (await signInAs(server.url, components.db, { role })).cookie;
}

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  manager = await signIn("manager");
  agent = await signIn("agent");
}, 30_000);

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

function call(cookie: string, method: string, pathname: string, body?: unknown) {
  return fetch(`${server.url}/api/quick-replies${pathname}`, {
    method,
    headers: { "Content-Type": "application/json", Cookie: cookie },
    ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
  });
}

async function create(shortcut: string, body = "Olá! Como posso ajudar?") {
  const response = await call(manager, "POST", "", {
    shortcut,
    title: `Título ${shortcut.trim()}`,
    body,
  });
  expect(response.status).toBe(201);
  return (await jsonBody(response)).data as unknown as QuickReplyPayload;
}

describe("quick replies", () => {
  it("are created by a manager and listed by shortcut for agents", async () => {
    const created = await create(" Saudacao ", "Olá!\nSou a Ana, em que posso ajudar?");
    expect(created).toMatchObject({ shortcut: "saudacao", title: "Título Saudacao" });
    expect(created.body).toBe("Olá!\nSou a Ana, em que posso ajudar?");
    await create("agradecimento");
    const response = await call(agent, "GET", "");
    expect(response.status).toBe(200);
    const list = (await jsonBody(response)).data as unknown as QuickReplyPayload[];
    expect(list.map((reply) => reply.shortcut)).toEqual(["agradecimento", "saudacao"]);
    const audit = await components.db("activity_log").where({ action: "quickReplies.create" });
    expect(audit).toHaveLength(2);
  });

  it("refuses a shortcut that is already taken with 409, also when renaming", async () => {
    await create("prazo");
    const duplicate = await call(manager, "POST", "", {
      shortcut: "PRAZO",
      title: "Outro",
      body: "Outro texto",
    });
    expect(duplicate.status).toBe(409);
    expect((await jsonBody(duplicate)).error).toBe("conflict");
    const other = await create("entrega");
    const renamed = await call(manager, "PATCH", `/${other.id}`, {
      shortcut: "prazo",
      title: "x",
      body: "y",
    });
    expect(renamed.status).toBe(409);
    expect(
      (await components.db("quick_replies").where({ id: other.id }).first("shortcut")).shortcut,
    ).toBe("entrega");
  });

  it("changes and deletes a reply; a missing one is 404", async () => {
    const reply = await create("horario");
    const changed = await call(manager, "PATCH", `/${reply.id}`, {
      shortcut: "horario",
      title: "Horário",
      body: "Atendemos das 8h às 18h.",
    });
    expect(changed.status).toBe(200);
    expect(((await jsonBody(changed)).data as unknown as QuickReplyPayload).body).toBe(
      "Atendemos das 8h às 18h.",
    );
    expect((await call(manager, "DELETE", `/${reply.id}`)).status).toBe(200);
    expect((await call(manager, "DELETE", `/${reply.id}`)).status).toBe(404);
    const patchGone = await call(manager, "PATCH", `/${reply.id}`, {
      shortcut: "horario",
      title: "x",
      body: "y",
    });
    expect(patchGone.status).toBe(404);
    expect((await call(manager, "DELETE", "/abc")).status).toBe(400);
  });

  it.each([
    ["a shortcut with markup", { shortcut: "<script>", title: "x", body: "y" }],
    ["a shortcut with spaces", { shortcut: "bom dia", title: "x", body: "y" }],
    ["a 33-character shortcut", { shortcut: "a".repeat(33), title: "x", body: "y" }],
    ["an 81-character title", { shortcut: "t", title: "x".repeat(81), body: "y" }],
    ["a 4097-character body", { shortcut: "b", title: "x", body: "y".repeat(4_097) }],
    ["a body with control characters", { shortcut: "c", title: "x", body: "oi\u0007" }],
    ["an empty body", { shortcut: "d", title: "x", body: "  " }],
    ["a missing title", { shortcut: "e", body: "y" }],
    ["an unknown field", { shortcut: "f", title: "x", body: "y", html: true }],
  ])("refuses %s with 400", async (_label, body) => {
    const response = await call(manager, "POST", "", body);
    expect(response.status).toBe(400);
    expect((await jsonBody(response)).error).toBe("validation_error");
  });

  it("refuses a body too large for the API with 413", async () => {
    const response = await call(manager, "POST", "", {
      shortcut: "grande",
      title: "x",
      body: "y".repeat(200_000),
    });
    expect(response.status).toBe(413);
    expect(
      await components.db("quick_replies").where({ shortcut: "grande" }).first(),
    ).toBeUndefined();
  });

  it("lets agents read but not write", async () => {
    const reply = await create("agente");
    expect((await call(agent, "POST", "", { shortcut: "x", title: "x", body: "x" })).status).toBe(
      403,
    );
    expect(
      (await call(agent, "PATCH", `/${reply.id}`, { shortcut: "x", title: "x", body: "x" })).status,
    ).toBe(403);
    expect((await call(agent, "DELETE", `/${reply.id}`)).status).toBe(403);
    expect((await call("", "GET", "")).status).toBe(401);
  });
});
