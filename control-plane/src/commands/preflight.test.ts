import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { allocateHostPort, validateEmail, validateTenantName } from "./preflight.js";

describe("validateTenantName", () => {
  it.each(["acme", "loja-centro", "a", "a1", "x".repeat(32)])("accepts %s", (name) => {
    expect(() => validateTenantName(name)).not.toThrow();
  });

  it.each([
    ["", "empty"],
    ["Acme", "lowercase"],
    ["1acme", "start with a letter"],
    ["acme-", "not end with a hyphen"],
    ["ac--me", "two hyphens"],
    ["acme_corp", "lowercase letters, digits and hyphens"],
    ["x".repeat(33), "at most 32"],
    ["acme;rm -rf", "lowercase letters"],
    ["atende", "reserved"],
  ])("rejects %j, saying why", (name, why) => {
    expect(() => validateTenantName(name)).toThrow(
      expect.objectContaining({ id: "invalid_tenant_name", message: expect.stringContaining(why) }),
    );
  });
});

describe("validateEmail", () => {
  it("accepts an ordinary address and rejects broken ones", () => {
    expect(() => validateEmail("ana@acme.com.br")).not.toThrow();
    for (const bad of ["ana", "ana@", "@acme.com", "ana @acme.com", "ana@acme"]) {
      expect(() => validateEmail(bad)).toThrow(expect.objectContaining({ id: "invalid_email" }));
    }
  });
});

describe("allocateHostPort", () => {
  const servers: Server[] = [];
  const occupy = (port: number) =>
    new Promise<void>((resolve) => {
      const server = createServer();
      servers.push(server);
      server.listen(port, "127.0.0.1", () => resolve());
    });
  afterEach(async () => {
    await Promise.all(
      servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
    );
  });
  const config = {
    ATENDE_PUBLISH_HOST: "127.0.0.1",
    ATENDE_PORT_RANGE: { low: 47100, high: 47105 },
  };

  it("skips ports given to tenants and ports other programs hold", async () => {
    await occupy(47101);
    expect(await allocateHostPort(config, new Map([[47100, "acme"]]))).toBe(47102);
  });

  it("refuses a requested port another tenant has, or another program holds", async () => {
    await expect(allocateHostPort(config, new Map([[47103, "acme"]]), 47103)).rejects.toMatchObject(
      {
        id: "port_conflict",
        message: expect.stringContaining('tenant "acme"'),
      },
    );
    await occupy(47104);
    await expect(allocateHostPort(config, new Map(), 47104)).rejects.toMatchObject({
      id: "port_conflict",
      message: expect.stringContaining("another program"),
    });
  });

  it("says so when the whole range is taken", async () => {
    const taken = new Map([47100, 47101, 47102, 47103, 47104, 47105].map((port) => [port, "t"]));
    await expect(allocateHostPort(config, taken)).rejects.toMatchObject({
      id: "port_conflict",
      message: expect.stringContaining("every port"),
    });
  });
});
