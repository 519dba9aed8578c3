import type { AddressInfo } from "node:net";
import {
  type ControlPlaneServer,
  type ControlPlaneServerOptions,
  createControlPlaneServer,
} from "../app.js";
import { createStaff } from "../commands/staffAccounts.js";
import type { ControlPlane } from "../controlPlane.js";
import type { StaffRole } from "../staff/staffRepository.js";
import { openTestControlPlane } from "./support.js";

/** A listening API server on 127.0.0.1 over an isolated ATENDE_HOME. */
export interface TestApi {
  cp: ControlPlane;
  server: ControlPlaneServer;
  url: string;
  /** A JSON request with this server's Origin (pass `origin: null` to leave it out). */
  request(
    method: string,
    path: string,
    options?: { cookie?: string; body?: unknown; origin?: string | null; contentType?: string },
  ): Promise<{
    status: number;
    body: Record<string, unknown> & { data?: unknown };
    headers: Headers;
  }>;
  /** Creates a staff account and signs it in; returns its session cookie. */
  signIn(role: StaffRole, email?: string): Promise<string>;
  dispose(): Promise<void>;
}

let sequence = 0;

/** Starts an API server for a test file. Docker is unreachable unless `env.DOCKER_HOST` says otherwise. */
export async function startTestApi(
  options: ControlPlaneServerOptions & { env?: Record<string, string> } = {},
): Promise<TestApi> {
  const cp = await openTestControlPlane({
    DOCKER_HOST: "unix:///nonexistent.sock",
    ...(options.env ?? {}),
  });
  const server = createControlPlaneServer(cp, { dashboardDir: "/nonexistent", ...options });
  await new Promise<void>((resolve) => server.httpServer.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}`;
  const request: TestApi["request"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.cookie) headers.cookie = options.cookie;
    if (options.origin !== null) headers.origin = options.origin ?? url;
    if (method !== "GET") headers["content-type"] = options.contentType ?? "application/json";
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      ...(method === "GET"
        ? {}
        : {
            body: options.contentType
              ? String(options.body ?? "")
              : JSON.stringify(options.body ?? {}),
          }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === "" ? {} : (JSON.parse(text) as Record<string, unknown>),
      headers: response.headers,
    };
  };
  return {
    cp,
    server,
    url,
    request,
    async signIn(role, email = `${role}-${++sequence}@example.com`) {
      const { oneTimePassword } = await createStaff(cp, { email, role });
      const response = await fetch(`${url}/api/session`, {
        method: "POST",
        headers: { origin: url, "content-type": "application/json" },
        body: JSON.stringify({ email, password: oneTimePassword }),
      });
      if (response.status !== 200) throw new Error(`sign-in failed: ${response.status}`);
      const cookie = response.headers.getSetCookie()[0] ?? "";
      return cookie.split(";")[0] ?? "";
    },
    async dispose() {
      await server.close();
      await server.drain();
      await cp.dispose();
    },
  };
}
