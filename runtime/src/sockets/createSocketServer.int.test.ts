import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, ServerToClientEvents } from "../../contracts/socket-events.js";
import { signIn as signInAs } from "../test/api.js";
import { buildUser } from "../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";
import { userRoom } from "./rooms.js";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let components: TestComponents;
let server: TestServer;
const clients: ClientSocket[] = [];

beforeAll(async () => {
  components = await createTestComponents();
  server = await getTestServer(components);
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  await server?.close();
  await components?.cleanup();
});

async function signIn(): Promise<{ cookie: string; userId: number }> {
  const { user, cookie } = await signInAs(server.url, components.db, { role: "agent" });
  return { cookie, userId: user.id };
}

function open(headers: Record<string, string> = {}): ClientSocket {
  const client: ClientSocket = connect(server.url, {
    transports: ["websocket"],
    reconnection: false,
    extraHeaders: headers,
  });
  clients.push(client);
  return client;
}

/** Resolves "connected", or the connect_error message. */
function outcome(client: ClientSocket): Promise<string> {
  return new Promise((resolve) => {
    client.once("connect", () => resolve("connected"));
    client.once("connect_error", (error) => resolve(error.message));
  });
}

describe("Socket.IO handshake", () => {
  it("rejects a connection without a session with connect_error 'unauthorized'", async () => {
    expect(await outcome(open())).toBe("unauthorized");
  });

  it("rejects a forged session cookie", async () => {
    expect(
      await outcome(open({ Cookie: "atende_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })),
    ).toBe("unauthorized");
  });

  it("accepts a signed-in user and puts the socket in the user's tenant room", async () => {
    const { cookie, userId } = await signIn();
    const client = open({ Cookie: cookie });
    expect(await outcome(client)).toBe("connected");
    const inRoom = await server.io.in(userRoom("test", userId)).fetchSockets();
    expect(inRoom.map((socket) => socket.id)).toEqual([client.id]);
  });

  it("rejects a user who still has to replace a one-time password, and disconnects on log out everywhere", async () => {
    const { user, password } = await buildUser(components.db);
    await components.db("users").where({ id: user.id }).update({ must_change_password: true });
    const pending = await fetch(`${server.url}/api/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email: user.email, password }),
    });
    const pendingCookie = pending.headers.getSetCookie()[0]?.split(";")[0] ?? "";
    expect(await outcome(open({ Cookie: pendingCookie }))).toBe("unauthorized");

    const { cookie } = await signIn();
    const client = open({ Cookie: cookie });
    expect(await outcome(client)).toBe("connected");
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));
    const ended = await fetch(`${server.url}/api/me/sessions`, {
      method: "DELETE",
      headers: { "Content-Type": "application/json", Cookie: cookie },
    });
    expect(ended.status).toBe(200);
    expect(await disconnected).toBe("io server disconnect");
  });

  it("rejects a signed-in user's cookie sent from another site's page", async () => {
    const { cookie } = await signIn();
    expect(await outcome(open({ Cookie: cookie, Origin: "https://evil.example" }))).toBe(
      "unauthorized",
    );
  });

  it("disconnects the session's sockets when the user signs out", async () => {
    const { cookie } = await signIn();
    const client = open({ Cookie: cookie });
    expect(await outcome(client)).toBe("connected");
    const disconnected = new Promise<string>((resolve) => client.once("disconnect", resolve));
    await fetch(`${server.url}/api/session`, {
      method: "DELETE",
      headers: { Cookie: cookie, "Content-Type": "application/json" },
    });
    expect(await disconnected).toBe("io server disconnect");
  });
});
