import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { repositoryRoot } from "../../config.js";
import { loadTemplate } from "../../templates/loadTemplate.js";
import type { Template } from "../../templates/templateSchema.js";
import { LABEL } from "../labels.js";
import { buildTenantSetSpec, type TenantSpecInput } from "./tenantSetSpec.js";

let template: Template;
const input: TenantSpecInput = {
  name: "acme",
  url: "http://127.0.0.1:8123",
  publishHost: "127.0.0.1",
  hostPort: 8123,
  secrets: {
    dbPassword: "db-secret-value",
    redisPassword: "redis-secret-value",
    encryptionKey: "a2V5",
    sessionSecret: "c2Vzc2lvbg==",
  },
  images: {
    runtime: "atende/runtime:9.9.9",
    mariadb: "atende/mariadb:9.9.9",
    redis: "atende/redis:9.9.9",
  },
  appVersion: "9.9.9",
  operationId: "op-1",
};

beforeAll(async () => {
  template = (
    await loadTemplate("default", { ATENDE_TEMPLATES_DIR: path.join(repositoryRoot, "templates") })
  ).template;
});

describe("buildTenantSetSpec", () => {
  it("labels every network, volume and container with tenant, role, template and version", () => {
    const spec = buildTenantSetSpec(template, input);
    const labelSets = [
      ...spec.networks.map((network) => network.options.Labels),
      ...spec.volumes.map((volume) => volume.options.Labels),
      ...spec.containers.map((container) => container.options.Labels),
    ];
    expect(labelSets).toHaveLength(2 + 3 + 3);
    for (const labels of labelSets) {
      expect(labels).toMatchObject({
        [LABEL.managed]: "true",
        [LABEL.tenant]: "acme",
        [LABEL.template]: "default",
        [LABEL.templateVersion]: "1",
        [LABEL.version]: "9.9.9",
      });
      expect(labels?.[LABEL.role]).toBeTruthy();
    }
  });

  it("keeps the database and Redis on the internal network only, unpublished", () => {
    const spec = buildTenantSetSpec(template, input);
    const internal = spec.networks.find((network) => network.name === "atende-acme-internal");
    expect(internal?.options.Internal).toBe(true);
    for (const role of ["db", "redis"]) {
      const container = spec.containers.find((candidate) => candidate.role === role);
      expect(container?.options.HostConfig?.PortBindings).toBeUndefined();
      expect(container?.options.HostConfig?.NetworkMode).toBe("atende-acme-internal");
      expect(Object.keys(container?.options.NetworkingConfig?.EndpointsConfig ?? {})).toEqual([
        "atende-acme-internal",
      ]);
      expect(container?.extraNetworks).toEqual([]);
    }
  });

  it("publishes only the app, on the configured host address and port, and joins it to the internal network", () => {
    const app = buildTenantSetSpec(template, input).containers.find(
      (container) => container.role === "app",
    );
    expect(app?.options.HostConfig?.PortBindings).toEqual({
      "3000/tcp": [{ HostIp: "127.0.0.1", HostPort: "8123" }],
    });
    expect(app?.options.HostConfig?.NetworkMode).toBe("atende-acme-edge");
    expect(app?.extraNetworks).toEqual([{ network: "atende-acme-internal", aliases: ["app"] }]);
  });

  it("starts the database and Redis before the app", () => {
    const roles = buildTenantSetSpec(template, input).containers.map((container) => container.role);
    expect(roles.indexOf("app")).toBeGreaterThan(roles.indexOf("db"));
    expect(roles.indexOf("app")).toBeGreaterThan(roles.indexOf("redis"));
  });

  it("resolves secrets into the environment but never into labels", () => {
    const spec = buildTenantSetSpec(template, input);
    const app = spec.containers.find((container) => container.role === "app");
    expect(app?.options.Env).toContain("DATABASE_PASSWORD=db-secret-value");
    expect(app?.options.Env).toContain("TENANT_ID=acme");
    expect(app?.options.Env).toContain("PUBLIC_URL=http://127.0.0.1:8123");
    const everyLabel = JSON.stringify(spec.containers.map((container) => container.options.Labels));
    expect(everyLabel).not.toContain("db-secret-value");
    expect(everyLabel).not.toContain("redis-secret-value");
  });

  it("sets memory and CPU limits, no extra swap, and mounts the named volumes", () => {
    const db = buildTenantSetSpec(template, input).containers.find(
      (container) => container.role === "db",
    );
    expect(db?.options.HostConfig?.Memory).toBe(256 * 1024 * 1024);
    expect(db?.options.HostConfig?.MemorySwap).toBe(256 * 1024 * 1024);
    expect(db?.options.HostConfig?.NanoCpus).toBe(1e9);
    expect(db?.options.HostConfig?.Mounts).toEqual([
      { Type: "volume", Source: "atende-acme-db", Target: "/var/lib/mysql" },
    ]);
    expect(db?.options.Image).toBe("atende/mariadb:9.9.9");
  });

  it("changes a container's spec hash when its image changes, not when its secret values do", () => {
    const hash = (changes: Partial<TenantSpecInput>) =>
      buildTenantSetSpec(template, { ...input, ...changes }).containers.find(
        (container) => container.role === "app",
      )?.options.Labels?.[LABEL.specHash];
    expect(hash({ secrets: { ...input.secrets, dbPassword: "rotated" } })).toBe(hash({}));
    expect(hash({ images: { ...input.images, runtime: "atende/runtime:10.0.0" } })).not.toBe(
      hash({}),
    );
  });

  it("applies a tenant's settings over the template, changing only the affected containers' hashes", () => {
    const build = (config: TenantSpecInput["config"]) =>
      Object.fromEntries(
        buildTenantSetSpec(template, { ...input, config }).containers.map((container) => [
          container.role,
          container,
        ]),
      );
    const base = build(undefined);
    const hashOf = (spec: typeof base, role: string) =>
      spec[role]?.options.Labels?.[LABEL.specHash];
    // No settings: exactly the hash of a spec built before settings existed (nothing re-created).
    expect(hashOf(build({}), "app")).toBe(hashOf(base, "app"));

    const zoned = build({ timezone: { value: "America/Manaus", version: 1 } });
    expect(zoned.app?.options.Env).toContain("TZ=America/Manaus");
    expect(hashOf(zoned, "app")).not.toBe(hashOf(base, "app"));
    expect(hashOf(zoned, "db")).toBe(hashOf(base, "db"));
    expect(hashOf(zoned, "redis")).toBe(hashOf(base, "redis"));

    const url = build({ "public-url": { value: "https://acme.example", version: 1 } });
    expect(url.app?.options.Env).toContain("PUBLIC_URL=https://acme.example");
    expect(url.app?.options.Env).not.toContain("PUBLIC_URL=http://127.0.0.1:8123");

    const db = build({ "db.memory": { value: "1g", version: 1 } });
    expect(db.db?.options.HostConfig?.Memory).toBe(1024 ** 3);
    expect(db.db?.options.HostConfig?.MemorySwap).toBe(1024 ** 3);
    expect(hashOf(db, "db")).not.toBe(hashOf(base, "db"));
    expect(hashOf(db, "app")).toBe(hashOf(base, "app"));

    // A secret's new value changes the hash (through its version), never appearing in labels.
    const key = (value: string, version: number) =>
      build({ "fila-ia.api-key": { value, version } });
    const first = key("sk-first-secret-1111", 1);
    expect(first.app?.options.Env).toContain("FILA_IA_API_KEY=sk-first-secret-1111");
    expect(hashOf(key("sk-other-secret-2222", 2), "app")).not.toBe(hashOf(first, "app"));
    expect(JSON.stringify(first.app?.options.Labels)).not.toContain("sk-first-secret");
  });
});
