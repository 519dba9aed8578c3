import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyPassword } from "../auth/passwords.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { User } from "../models/User.js";
import { buildUser } from "../test/factories.js";
import { createTestComponents, type TestComponents } from "../test/support.js";
import { createAdminCommand } from "./createAdmin.js";

let components: TestComponents;

beforeAll(async () => {
  components = await createTestComponents();
});

afterAll(async () => {
  await components?.cleanup();
});

async function run(args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await createAdminCommand(args, components, {
    stdout: (line) => stdout.push(line),
    stderr: (line) => stderr.push(line),
  });
  return { code, stdout, stderr };
}

describe("create-admin", () => {
  it("creates an admin and prints exactly one JSON line with a strong one-time password", async () => {
    const { code, stdout, stderr } = await run([
      "--email",
      "Ana@Acme.com.br",
      "--name",
      "Ana Souza",
    ]);
    expect(code).toBe(0);
    expect(stderr).toEqual([]);
    expect(stdout).toHaveLength(1);
    const printed = JSON.parse(stdout[0] ?? "");
    expect(Object.keys(printed)).toEqual(["email", "password", "created"]);
    expect(printed).toMatchObject({ email: "ana@acme.com.br", created: true });
    expect(printed.password).toMatch(/^[A-Za-z0-9]{16,}$/);

    const user = await User.query(components.db).findOne({ email: "ana@acme.com.br" });
    expect(user).toMatchObject({
      name: "Ana Souza",
      role: "admin",
      mustChangePassword: true,
      disabledAt: null,
    });
    expect(user?.passwordHash).toMatch(/^\$scrypt\$/);
    expect(user?.passwordHash).not.toContain(printed.password);
    expect(await verifyPassword(printed.password, user?.passwordHash ?? "")).toBe(true);

    const entry = await ActivityLogEntry.query(components.db).findOne({ action: "users.create" });
    expect(entry?.data).toMatchObject({ email: "ana@acme.com.br", via: "create-admin" });
    expect(JSON.stringify(entry)).not.toContain(printed.password);
  });

  it("is idempotent: run again, it resets the password instead of failing", async () => {
    const first = JSON.parse((await run(["--email", "bruno@acme.com.br"])).stdout[0] ?? "");
    const second = await run(["--email", "bruno@acme.com.br"]);
    expect(second.code).toBe(0);
    const printed = JSON.parse(second.stdout[0] ?? "");
    expect(printed).toMatchObject({ email: "bruno@acme.com.br", created: false });
    expect(printed.password).not.toEqual(first.password);

    const users = await User.query(components.db).where({ email: "bruno@acme.com.br" });
    expect(users).toHaveLength(1);
    expect(users[0]?.name).toBe("bruno");
    expect(await verifyPassword(first.password, users[0]?.passwordHash ?? "")).toBe(false);
    expect(await verifyPassword(printed.password, users[0]?.passwordHash ?? "")).toBe(true);
  });

  it("turns an existing disabled agent into an enabled admin who must change the password", async () => {
    const { user } = await buildUser(components.db, { role: "agent", disabledAt: new Date() });
    expect((await run(["--email", user.email])).code).toBe(0);
    expect(await User.query(components.db).findById(user.id)).toMatchObject({
      role: "admin",
      disabledAt: null,
      mustChangePassword: true,
      name: user.name,
    });
  });

  it("exits 2 with a clear message for an invalid e-mail, creating nothing", async () => {
    const { code, stdout, stderr } = await run(["--email", "not an email"]);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.join("\n")).toContain('invalid e-mail address "not an email"');
    expect(await User.query(components.db).findOne({ email: "not an email" })).toBeUndefined();
  });

  it("exits 2 when --email is missing or an unknown option is given", async () => {
    expect((await run([])).stderr.join("\n")).toContain("--email is required");
    const unknown = await run(["--email", "x@y.com", "--admin"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.join("\n")).toContain("usage:");
  });
});
