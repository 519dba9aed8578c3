import type { Components } from "../components.js";
import type { Env } from "../env.js";
import type { ShutdownHelper } from "../utils/ShutdownHelper.js";

/** What `ROLE` can start; each module is imported only when its role runs. */
const roles = {
  web: async (components: Components, shutdown: ShutdownHelper) => {
    const { startWebService } = await import("./web.js");
    await startWebService(components, shutdown);
  },
  worker: async (components: Components, shutdown: ShutdownHelper) => {
    const { startWorkerService } = await import("./worker.js");
    await startWorkerService(components, shutdown);
  },
} as const;

/**
 * Starts the roles `ROLE` asks for. A worker-only process still serves `/healthz` and `/readyz`
 * on `PORT`, because the image's HEALTHCHECK probes every container the same way.
 */
export async function startServices(
  role: Env["ROLE"],
  components: Components,
  shutdown: ShutdownHelper,
): Promise<void> {
  if (role === "web" || role === "all") await roles.web(components, shutdown);
  if (role === "worker" || role === "all") await roles.worker(components, shutdown);
  if (role === "worker") {
    const { createServer } = await import("node:http");
    const { createHealthApp } = await import("../app.js");
    const { listen, registerHttpShutdown } = await import("./web.js");
    const httpServer = createServer(createHealthApp(components));
    registerHttpShutdown(shutdown, httpServer);
    await listen(httpServer, components.env.PORT);
  }
}
