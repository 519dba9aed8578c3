import { writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EXIT_CODES } from "../../../errors.js";
import { prompts } from "../../../lib/prompts.js";
import { runCli, tempHome } from "../../../test/support.js";

vi.mock("../../../lib/prompts.js", () => ({ prompts: { text: vi.fn(), confirm: vi.fn() } }));

// No engine listens here: every test below must end before touching Docker, or report that.
const NO_DOCKER = "unix:///nonexistent/atende-test.sock";
let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;

beforeEach(async () => {
  home = await tempHome();
  env = { ATENDE_HOME: home.home, DOCKER_HOST: NO_DOCKER };
  vi.mocked(prompts.text).mockReset();
  vi.mocked(prompts.confirm).mockReset();
});
afterEach(async () => {
  await home.dispose();
});

describe("atende tenant create", () => {
  it("rejects an invalid name with exit code 2 and says what a valid one looks like", async () => {
    const run = await runCli(
      ["tenant", "create", "Acme_Corp", "--admin-email", "ana@acme.com.br"],
      { env },
    );
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain('Invalid tenant name "Acme_Corp"');
    expect(run.stderr).toContain("→ Use 1–32 lowercase letters");
  });

  it("does not prompt when not on a terminal, and names the missing flag", async () => {
    const run = await runCli(["tenant", "create", "acme"], { env });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("Missing --admin-email");
    expect(prompts.text).not.toHaveBeenCalled();
  });

  it("does not prompt with --yes even on a terminal", async () => {
    const run = await runCli(["tenant", "create", "acme", "--yes"], { env, interactive: true });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(prompts.text).not.toHaveBeenCalled();
  });

  it("prompts on a terminal only for what is missing, validating the answer", async () => {
    vi.mocked(prompts.text).mockResolvedValueOnce(" ana@acme.com.br ");
    const run = await runCli(["tenant", "create", "acme"], { env, interactive: true });
    expect(prompts.text).toHaveBeenCalledTimes(1);
    const [question, validate] = vi.mocked(prompts.text).mock.calls[0] ?? [];
    expect(question).toContain("e-mail");
    expect(validate?.("not-an-email")).toContain("Invalid e-mail");
    expect(validate?.("ana@acme.com.br")).toBe(true);
    // It got as far as Docker, which this test made unreachable.
    expect(run.code).toBe(EXIT_CODES.dockerUnavailable);
  });

  it("reports an unreachable Docker engine with exit code 5 and leaves nothing registered", async () => {
    const run = await runCli(
      ["tenant", "create", "acme", "--admin-email", "ana@acme.com.br", "--json"],
      { env },
    );
    expect(run.code).toBe(EXIT_CODES.dockerUnavailable);
    expect(run.stderr).toContain("The Docker engine cannot be reached");
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: false,
      error: { id: "docker_unavailable" },
    });
    const list = await runCli(["tenant", "list", "--json"], { env });
    expect(JSON.parse(list.stdout)).toEqual([]);
  });

  it("rejects an unknown template, listing the ones that exist", async () => {
    const run = await runCli(
      ["tenant", "create", "acme", "--admin-email", "ana@acme.com.br", "--template", "huge"],
      { env },
    );
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain('There is no template "huge"');
    expect(run.stderr).toContain("default");
  });

  it("rejects invalid template YAML naming the file, field and line, before touching Docker", async () => {
    const file = path.join(home.home, "broken.yaml");
    await writeFile(
      file,
      "schemaVersion: 1\nmetadata: { id: broken, version: 1, description: x }\nservices:\n  app:\n    image: runtime\n",
    );
    const run = await runCli(
      ["tenant", "create", "acme", "--admin-email", "ana@acme.com.br", "--template", file],
      { env },
    );
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain(file);
    expect(run.stderr).toMatch(/services\.app\.resources \(line 5\): is required/);
    expect(run.stderr).toMatch(/services\.app\.healthcheck \(line 5\): is required/);
    expect(run.stderr).not.toContain("Check Docker");
  });

  it("rejects a port outside the allowed range as a usage error", async () => {
    const run = await runCli(
      ["tenant", "create", "acme", "--admin-email", "ana@acme.com.br", "--port", "80"],
      { env },
    );
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("between 1024 and 65535");
  });
});

describe("atende tenant destroy", () => {
  it("refuses without confirmation when nobody can answer", async () => {
    const run = await runCli(["tenant", "destroy", "acme"], { env });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("Add --yes");
  });

  it("asks on a terminal and changes nothing when the answer is no", async () => {
    vi.mocked(prompts.confirm).mockResolvedValueOnce(false);
    const run = await runCli(["tenant", "destroy", "acme"], { env, interactive: true });
    expect(prompts.confirm).toHaveBeenCalledWith(expect.stringContaining("ALL ITS DATA"));
    expect(run.code).toBe(EXIT_CODES.cancelled);
    expect(run.stderr).toContain("Nothing was changed");
  });
});

describe("atende (other commands)", () => {
  it("reports an unknown tenant with exit code 3", async () => {
    const run = await runCli(["tenant", "show", "ghost"], { env });
    expect(run.code).toBe(EXIT_CODES.notFound);
    expect(run.stderr).toContain('There is no tenant named "ghost"');
  });

  it("rejects an unknown log service", async () => {
    const run = await runCli(["tenant", "logs", "acme", "--service", "web"], { env });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("Allowed choices are app, db, redis");
  });

  it("lists no tenants on a fresh machine, as a table and as JSON", async () => {
    expect((await runCli(["tenant", "list"], { env })).stdout).toContain("No tenants yet");
    expect(JSON.parse((await runCli(["tenant", "list", "--json"], { env })).stdout)).toEqual([]);
  });

  it("doctor fails with exit code 9 when Docker is unreachable and says how to start it", async () => {
    const run = await runCli(["doctor"], { env });
    expect(run.code).toBe(EXIT_CODES.doctorFailed);
    expect(run.stdout).toMatch(/✖ docker +The Docker engine cannot be reached/);
  });

  it("rejects an unknown command with exit code 2", async () => {
    const run = await runCli(["tenant", "explode"], { env });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
  });
});
