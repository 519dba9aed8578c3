import { io as connect } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgentDirectoryEntry } from "../../../../contracts/conversations.js";
import { signIn as signInAs } from "../../../test/api.js";
import { buildUser } from "../../../test/factories.js";
import { insertOnePermissionRoles } from "../../../test/roles.js";
import {
  createTestComponents,
  getTestServer,
  jsonBody,
  type TestComponents,
  type TestServer,
} from "../../../test/support.js";

/** `GET /api/agents`: the transfer picker's list of people, with queues and presence. */
let components: TestComponents;
let server: TestServer;

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
  await insertOnePermissionRoles(components.db);
});

afterAll(async () => {
  await server?.close();
  await components?.cleanup();
});

async function signIn(role: string, name: string): Promise<{ id: number; cookie: string }> {
  const { user, cookie } = await signInAs(server.url, components.db, { role, name });
  return { id: user.id, cookie };
}

const directory = (cookie: string) =>
  fetch(`${server.url}/api/agents`, { headers: { Cookie: cookie } });

describe("GET /api/agents", () => {
  it("lists active people who work conversations, by name, with their queues and whether they are online", async () => {
    const zeca = await signIn("agent", "Zeca <b>Agente</b>");
    const alice = await signIn("manager", "Alice Gerente");
    const viewer = await signIn("only-conversations-viewall", "Bruno Supervisor");
    const templatesOnly = await signIn("only-templates-manage", "Carla Modelos");
    const { user: gone } = await buildUser(components.db, {
      role: "agent",
      name: "Diego Desligado",
      disabledAt: new Date(),
    });
    const [queueId] = await components.db("queues").insert({ name: "Vendas" });
    await components.db("queue_members").insert({ queue_id: queueId, user_id: zeca.id });

    const socket = connect(server.url, {
      transports: ["websocket"],
      reconnection: false,
      extraHeaders: { Cookie: zeca.cookie },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    try {
      // Presence is recorded just after the handshake.
      await expect
        .poll(async () => {
          const listed = (await jsonBody(await directory(alice.cookie))).data as unknown;
          return (listed as AgentDirectoryEntry[]).find((agent) => agent.id === zeca.id)?.online;
        })
        .toBe(true);
      const response = await directory(alice.cookie);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("no-store");
      const agents = (await jsonBody(response)).data as unknown as AgentDirectoryEntry[];
      expect(agents).toEqual([
        { id: alice.id, name: "Alice Gerente", role: "manager", online: false, queueIds: [] },
        {
          id: viewer.id,
          name: "Bruno Supervisor",
          role: "only-conversations-viewall",
          online: false,
          queueIds: [],
        },
        {
          id: zeca.id,
          name: "Zeca <b>Agente</b>",
          role: "agent",
          online: true,
          queueIds: [queueId],
        },
      ]);
      const ids = agents.map((agent) => agent.id);
      expect(ids).not.toContain(templatesOnly.id);
      expect(ids).not.toContain(gone.id);
      expect(JSON.stringify(agents)).not.toMatch(/@example\.com|password/i);
    } finally {
      socket.disconnect();
    }
  });

  it("refuses people who do not work conversations, and anyone not signed in", async () => {
    const templatesOnly = await signIn("only-templates-manage", "Eva Modelos");
    const refused = await directory(templatesOnly.cookie);
    expect(refused.status).toBe(403);
    expect((await jsonBody(refused)).error).toBe("forbidden");
    expect((await fetch(`${server.url}/api/agents`)).status).toBe(401);
  });
});
