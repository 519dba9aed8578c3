import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { EXIT_CODES } from "../../../errors.js";
import { prompts } from "../../../lib/prompts.js";
import { runCli, tempHome } from "../../../test/support.js";

vi.mock("../../../lib/prompts.js", () => ({
  prompts: { text: vi.fn(), confirm: vi.fn(), secret: vi.fn() },
}));

// No engine listens here: a run that gets past validation stops at Docker with exit code 5.
const NO_DOCKER = "unix:///nonexistent/atende-test.sock";
const SECRET = "fila-key-0123456789abcdef";
let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;

beforeEach(async () => {
  home = await tempHome();
  env = { ATENDE_HOME: home.home, DOCKER_HOST: NO_DOCKER };
  vi.mocked(prompts.secret).mockReset();
});
afterEach(async () => {
  await home.dispose();
});

describe("atende tenant config set KEY -", () => {
  it("reads the value from standard input, so the secret never appears on the command line", async () => {
    const run = await runCli(["tenant", "config", "acme", "set", "fila-ia.api-key", "-"], {
      env,
      stdin: `${SECRET}\n`,
    });
    // Past validation: the value was read and accepted; it stops only because there is no tenant.
    expect([EXIT_CODES.notFound, EXIT_CODES.dockerUnavailable]).toContain(run.code);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    expect(prompts.secret).not.toHaveBeenCalled();
  });

  it("refuses an empty standard input with exit code 2", async () => {
    const run = await runCli(["tenant", "config", "acme", "set", "fila-ia.api-key", "-"], {
      env,
      stdin: "",
    });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("No value for fila-ia.api-key on standard input");
  });

  it("validates a value read from standard input like one given as an argument", async () => {
    const run = await runCli(["tenant", "config", "acme", "set", "timezone", "-"], {
      env,
      stdin: "Mars/Olympus_Mons\n",
    });
    expect(run.code).toBe(EXIT_CODES.invalidInput);
    expect(run.stderr).toContain("IANA time zone");
  });

  it("asks for the value without echoing it on a terminal", async () => {
    vi.mocked(prompts.secret).mockResolvedValueOnce(SECRET);
    const run = await runCli(["tenant", "config", "acme", "set", "fila-ia.api-key", "-"], {
      env,
      interactive: true,
    });
    expect(prompts.secret).toHaveBeenCalledWith("Value for fila-ia.api-key:");
    expect(run.code).not.toBe(EXIT_CODES.invalidInput);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
  });
});
