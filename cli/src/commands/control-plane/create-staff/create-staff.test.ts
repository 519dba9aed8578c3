import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli, tempHome } from "../../../test/support.js";

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.dispose();
});

describe("atende control-plane create-staff", () => {
  it("creates the first owner and prints a one-time password once", async () => {
    const env = { ATENDE_HOME: home.home };
    const run = await runCli(
      ["control-plane", "create-staff", "--email", "Ana@Example.com", "--role", "owner", "--json"],
      { env },
    );
    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as Record<string, string>;
    expect(printed).toMatchObject({ ok: true, email: "ana@example.com", role: "owner" });
    expect(printed.oneTimePassword).toMatch(/^[A-Za-z2-9]{20}$/);

    const again = await runCli(
      ["control-plane", "create-staff", "--email", "ana@example.com", "--role", "viewer"],
      { env },
    );
    expect(again.code).toBe(4);
    expect(again.stderr).toContain("already exists");
  });

  it("refuses an unknown role or a bad e-mail before touching anything", async () => {
    const env = { ATENDE_HOME: home.home };
    const role = await runCli(
      ["control-plane", "create-staff", "--email", "ana@example.com", "--role", "admin"],
      { env },
    );
    expect(role.code).not.toBe(0);
    expect(role.stderr).toContain("viewer, operator, owner");
    const email = await runCli(
      ["control-plane", "create-staff", "--email", "not-an-email", "--role", "viewer"],
      { env },
    );
    expect(email.code).not.toBe(0);
    expect(email.stderr).toContain("Invalid e-mail");
  });
});
