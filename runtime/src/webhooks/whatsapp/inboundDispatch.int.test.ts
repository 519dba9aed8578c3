import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../../test/support.js";
import {
  configureWhatsapp,
  inboundPayload,
  postWebhook,
  type TestWhatsappSecrets,
} from "../../test/whatsapp.js";
import { startTestWorkers, type TestWorkers } from "../../test/workers.js";

/**
 * Where the web role has stored webhook events processed: by itself while it has room (no worker
 * needed, no queue round trips), or through the queue by the worker role when inline processing
 * is off (`INBOUND_INLINE_BATCHES=0`) or busy. No worker runs unless a test starts one.
 */
let components: TestComponents;
let secrets: TestWhatsappSecrets;
const servers: TestServer[] = [];
let workers: TestWorkers | undefined;

beforeAll(async () => {
  components = await createTestComponents();
  const server = await getTestServer(components);
  servers.push(server);
  secrets = await configureWhatsapp(components, {}, server.whatsappSettings);
});

afterAll(async () => {
  await workers?.close();
  for (const server of servers) await server.close();
  await components?.cleanup();
});

let seq = 0;
async function sendText(server: TestServer, body: string): Promise<string> {
  seq += 1;
  const payload = inboundPayload([{ type: "text", text: { body } }], {
    waId: `551177${String(process.pid % 1e3).padStart(3, "0")}${String(seq).padStart(4, "0")}`,
    name: "Cliente",
  });
  const response = await postWebhook(server.url, secrets.appSecret, payload);
  expect(response.status).toBe(200);
  return body;
}

const storedText = async (text: string) =>
  (await components.db("messages").where({ text }).first("id")) !== undefined;

const unprocessedCount = async () =>
  Number(
    (await components.db("whatsapp_inbox_events").whereNull("processed_at").count({ n: "*" }))[0]
      ?.n,
  );

describe("processing of stored webhook events", () => {
  it("is done by the web process itself while it is quiet: no worker, nothing left queued", async () => {
    const [server] = servers as [TestServer];
    const text = await sendText(server, "processado aqui mesmo");
    await expect.poll(() => storedText(text), { timeout: 5_000, interval: 20 }).toBe(true);
    const counts = await server.queues.get("whatsapp-inbound").getJobCounts("waiting", "active");
    expect(counts).toEqual({ waiting: 0, active: 0 });
    expect(await unprocessedCount()).toBe(0);
  });

  it("goes through the queue to the worker role when inline processing is off", async () => {
    const queued = await getTestServer({
      ...components,
      env: { ...components.env, INBOUND_INLINE_BATCHES: 0 },
    });
    servers.push(queued);
    const text = await sendText(queued, "esperando o worker");
    const queue = queued.queues.get("whatsapp-inbound");
    await expect
      .poll(async () => (await queue.getJobCounts("waiting")).waiting, { timeout: 5_000 })
      .toBe(1);
    expect(await storedText(text)).toBe(false);
    expect(await unprocessedCount()).toBe(1);

    workers = startTestWorkers(components, queued.queues);
    await expect.poll(() => storedText(text), { timeout: 10_000, interval: 50 }).toBe(true);
    expect(await unprocessedCount()).toBe(0);
  });
});
