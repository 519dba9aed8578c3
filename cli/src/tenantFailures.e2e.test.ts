import { spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT_CODES } from "./errors.js";
import { atende, docker, e2eHome, leftovers, logIn, randomTenantName } from "./test/e2e.js";

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(repositoryRoot, "cli/bin/atende.js");
let home: Awaited<ReturnType<typeof e2eHome>>;
const tenants: string[] = [];
const tenant = (prefix: string) => {
  const name = randomTenantName(prefix);
  tenants.push(name);
  return name;
};

beforeAll(async () => {
  home = await e2eHome();
});
afterAll(async () => {
  for (const name of tenants) await atende(["tenant", "destroy", name, "--yes"], home.env);
  await home.dispose();
});

/** Resolves as soon as the tenant's container of that role exists. */
async function waitForContainer(name: string, role: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const found = await docker.listContainers({
      all: true,
      filters: { label: [`atende.tenant=${name}`, `atende.role=${role}`] },
    });
    if (found.length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`container ${role} of ${name} never appeared`);
}

async function expectNothingLeft(name: string) {
  expect(await leftovers(name)).toEqual([]);
  const list = JSON.parse((await atende(["tenant", "list", "--json"], home.env)).stdout) as Array<{
    name: string;
  }>;
  expect(list.map((entry) => entry.name)).not.toContain(name);
}

describe("create fails cleanly", () => {
  it("on a port another program holds: exit 4, one clear message, nothing half-created", async () => {
    const name = tenant("port");
    const server: Server = createServer();
    const port = await new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)),
    );
    try {
      const run = await atende(
        ["tenant", "create", name, "--admin-email", "a@b.example", "--port", String(port)],
        home.env,
      );
      expect(run.code).toBe(EXIT_CODES.conflict);
      expect(run.stderr).toContain(`Port ${port} is not available`);
      expect(run.stderr).toContain("--port");
    } finally {
      server.close();
    }
    await expectNothingLeft(name);
  });

  it("on a full disk: exit 7, says how much is free and needed, nothing half-created", async () => {
    const name = tenant("disk");
    const run = await atende(["tenant", "create", name, "--admin-email", "a@b.example"], {
      ...home.env,
      ATENDE_MIN_FREE_DISK_MB: "999999999",
    });
    expect(run.code).toBe(EXIT_CODES.resources);
    expect(run.stderr).toMatch(/Not enough free disk space for a new tenant: \d+ MB free/);
    await expectNothingLeft(name);
  });

  it("when a container fails its health check: exit 6, names the service and its last words, removes everything", async () => {
    const name = tenant("sick");
    const template = (await readFile(path.join(repositoryRoot, "templates/default.yaml"), "utf8"))
      // The app gets a wrong database password, so its /readyz health check can never pass.
      .replace(
        "      DATABASE_PASSWORD: ${secrets.dbPassword}",
        "      DATABASE_PASSWORD: not-the-password",
      )
      .replace(
        /( {2}app:\n(?:.*\n)*? {6}interval: )10s\n {6}timeout: 3s\n {6}retries: 3\n {6}startPeriod: 60s/,
        "$11s\n      timeout: 1s\n      retries: 2\n      startPeriod: 1s",
      );
    expect(template).toContain("not-the-password");
    expect(template).toContain("startPeriod: 1s");
    const file = path.join(home.env.ATENDE_HOME as string, "sick.yaml");
    await writeFile(file, template);
    const run = await atende(
      ["tenant", "create", name, "--admin-email", "a@b.example", "--template", file],
      home.env,
    );
    expect(run.code).toBe(EXIT_CODES.unhealthy);
    expect(run.stderr).toContain(`Tenant "${name}" did not become ready: the app container`);
    expect(run.stderr).toContain(`atende tenant logs ${name}`);
    await expectNothingLeft(name);
  });

  it("when Docker is unreachable: exit 5 and a hint to start it", async () => {
    const name = tenant("nodocker");
    const run = await atende(["tenant", "create", name, "--admin-email", "a@b.example"], {
      ...home.env,
      DOCKER_HOST: "unix:///nonexistent.sock",
    });
    expect(run.code).toBe(EXIT_CODES.dockerUnavailable);
    expect(run.stderr).toContain("dockerd");
    await expectNothingLeft(name);
  });
});

describe("create can be interrupted", () => {
  it("on Ctrl-C: stops, removes what it made and exits 130", async () => {
    const name = tenant("ctrlc");
    const child = spawn(
      process.execPath,
      [bin, "tenant", "create", name, "--admin-email", "a@b.example"],
      {
        env: { ...process.env, CI: "true", ...home.env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await waitForContainer(name, "db");
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(EXIT_CODES.cancelled);
    expect(stderr).toContain("was cancelled");
    await expectNothingLeft(name);
  });
});

describe("create converges", () => {
  it("lets only one of two simultaneous creates of the same name run; the other is told who holds it", async () => {
    const name = tenant("race");
    const [first, second] = await Promise.all([
      atende(["tenant", "create", name, "--admin-email", "a@b.example", "--json"], home.env),
      atende(["tenant", "create", name, "--admin-email", "a@b.example", "--json"], home.env),
    ]);
    const codes = [first.code, second.code].sort();
    expect(codes).toEqual([0, EXIT_CODES.conflict]);
    const loser = first.code === 0 ? second : first;
    expect(loser.stderr).toMatch(/is busy: create started|already exists/);
    expect((await atende(["tenant", "destroy", name, "--yes"], home.env)).code).toBe(0);
    await expectNothingLeft(name);
  });

  it("after the CLI is killed half-way: running it again completes the same tenant", async () => {
    const name = tenant("crash");
    const child = spawn(
      process.execPath,
      [bin, "tenant", "create", name, "--admin-email", "a@b.example", "--json"],
      {
        env: { ...process.env, CI: "true", ...home.env },
        stdio: "ignore",
      },
    );
    // Kill it as soon as its database container exists: networks and volumes are made, the rest is not.
    await waitForContainer(name, "db");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    const stuck = JSON.parse(
      (await atende(["tenant", "list", "--json"], home.env)).stdout,
    ) as Array<{ name: string; status: string }>;
    expect(stuck.find((entry) => entry.name === name)?.status).toBe("creating");

    const again = await atende(
      ["tenant", "create", name, "--admin-email", "a@b.example", "--json"],
      home.env,
    );
    expect(again.stderr).toBe("");
    expect(again.code).toBe(0);
    const result = JSON.parse(again.stdout) as {
      url: string;
      adminEmail: string;
      oneTimePassword: string;
      resumed: boolean;
    };
    expect(result.resumed).toBe(true);
    expect((await logIn(result.url, result.adminEmail, result.oneTimePassword)).status).toBe(201);

    expect((await atende(["tenant", "destroy", name, "--yes"], home.env)).code).toBe(0);
    await expectNothingLeft(name);
  });

  it("destroy --keep-data keeps the volumes, and create brings the tenant back with its data", async () => {
    const name = tenant("keep");
    const first = JSON.parse(
      (await atende(["tenant", "create", name, "--admin-email", "a@b.example", "--json"], home.env))
        .stdout,
    ) as {
      url: string;
    };
    const destroyed = await atende(
      ["tenant", "destroy", name, "--yes", "--keep-data", "--json"],
      home.env,
    );
    expect(destroyed.code).toBe(0);
    expect(JSON.parse(destroyed.stdout).keptVolumes).toHaveLength(3);
    expect((await leftovers(name)).filter((item) => item.startsWith("container"))).toEqual([]);
    const archived = JSON.parse(
      (await atende(["tenant", "list", "--json"], home.env)).stdout,
    ) as Array<{ name: string; status: string }>;
    expect(archived.find((entry) => entry.name === name)?.status).toBe("archived");

    const revived = await atende(
      ["tenant", "create", name, "--admin-email", "a@b.example", "--json"],
      home.env,
    );
    expect(revived.code).toBe(0);
    const result = JSON.parse(revived.stdout) as {
      url: string;
      adminEmail: string;
      oneTimePassword: string;
      resumed: boolean;
    };
    expect(result).toMatchObject({ url: first.url, resumed: true });
    // The same admin row survived in the kept database; create issued a new one-time password for it.
    expect((await logIn(result.url, result.adminEmail, result.oneTimePassword)).status).toBe(201);
  });
});
