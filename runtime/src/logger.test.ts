import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { componentLogger, createLogger } from "./logger.js";

function captureLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: createLogger({ LOG_LEVEL: "info", TENANT_ID: "acme" }, stream), lines };
}

describe("createLogger", () => {
  it("writes JSON lines with the tenant, the component and the context object", () => {
    const { logger, lines } = captureLogger();
    componentLogger(logger, "auth").info({ userId: 7 }, "signed in");
    expect(lines[0]).toMatchObject({
      service: "runtime",
      tenant: "acme",
      component: "auth",
      userId: 7,
      msg: "signed in",
    });
  });

  it("redacts secrets even when code passes them by mistake", () => {
    const { logger, lines } = captureLogger();
    logger.info(
      {
        password: "hunter2",
        user: { passwordHash: "$scrypt$…" },
        env: {
          DATABASE_PASSWORD: "db-secret",
          SESSION_SECRET: "session-secret",
          ENCRYPTION_KEY: "key",
        },
        req: { headers: { cookie: "atende_session=abc" } },
      },
      "oops",
    );
    const line = JSON.stringify(lines[0]);
    for (const secret of [
      "hunter2",
      "$scrypt$",
      "db-secret",
      "session-secret",
      '"key"',
      "atende_session=abc",
    ]) {
      expect(line).not.toContain(secret);
    }
  });
});
