import { Command, InvalidArgumentError, Option } from "commander";
import type { Io } from "./lib/io.js";
import { repositoryRoot } from "./paths.js";

/** Global flags every command understands. */
export interface GlobalOptions {
  debug?: boolean;
}

const port = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1024 || parsed > 65535)
    throw new InvalidArgumentError("must be a port number between 1024 and 65535");
  return parsed;
};

const count = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0)
    throw new InvalidArgumentError("must be a whole number");
  return parsed;
};

/**
 * The `atende` command tree. Each action lazily imports its command module, so `atende --help`
 * stays fast and a command's dependencies load only when it runs.
 */
export function buildProgram(io: Io): Command {
  const program = new Command("atende")
    .description(
      "Provision and operate atende tenants: one isolated WhatsApp inbox per customer company.",
    )
    .option("--debug", "print stack traces of unexpected errors")
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  const tenant = program.command("tenant").description("create, inspect and remove tenants");

  tenant
    .command("create")
    .description("create a tenant's container set and its first admin")
    .argument("[name]", "tenant name: a DNS label such as acme or loja-centro")
    .option("--admin-email <email>", "e-mail of the first admin")
    .option("--template <template>", "template name or path to a .yaml file", "default")
    .addOption(
      new Option("--port <port>", "host port for the inbox (default: a free one)").argParser(port),
    )
    .option("--json", "print the result as JSON")
    .option("-y, --yes", "never prompt; fail on anything missing")
    .action(
      async (
        name: string | undefined,
        options: {
          adminEmail?: string;
          template?: string;
          port?: number;
          json?: boolean;
          yes?: boolean;
        },
      ) => {
        const { tenantCreate } = await import("./commands/tenant/create/index.js");
        await tenantCreate(io, { ...options, ...(name === undefined ? {} : { name }) });
      },
    );

  tenant
    .command("list")
    .description("list tenants with their status")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { tenantList } = await import("./commands/tenant/list/index.js");
      await tenantList(io, options);
    });

  tenant
    .command("show")
    .description("show one tenant in detail")
    .argument("<name>")
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const { tenantShow } = await import("./commands/tenant/show/index.js");
      await tenantShow(io, { name, ...options });
    });

  tenant
    .command("logs")
    .description("print a service's logs")
    .argument("<name>")
    .option("-f, --follow", "keep printing new lines")
    .addOption(
      new Option("--service <service>", "which service")
        .choices(["app", "db", "redis"])
        .default("app"),
    )
    .addOption(new Option("--tail <lines>", "lines to start with").argParser(count).default(200))
    .action(
      async (name: string, options: { follow?: boolean; service?: string; tail?: number }) => {
        const { tenantLogs } = await import("./commands/tenant/logs/index.js");
        await tenantLogs(io, { name, ...options });
      },
    );

  for (const action of ["stop", "start"] as const) {
    tenant
      .command(action)
      .description(
        action === "stop"
          ? "stop a tenant's containers (data stays)"
          : "start a stopped tenant and wait until it is ready",
      )
      .argument("<name>")
      .option("--json", "print JSON")
      .action(async (name: string, options: { json?: boolean }) => {
        const { tenantPower } = await import("./commands/tenant/power/index.js");
        await tenantPower(io, { name, action, ...options });
      });
  }

  tenant
    .command("destroy")
    .description("remove a tenant: containers, networks and (unless --keep-data) volumes")
    .argument("<name>")
    .option("--keep-data", "keep the volumes so the data survives")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--json", "print JSON")
    .action(
      async (name: string, options: { keepData?: boolean; yes?: boolean; json?: boolean }) => {
        const { tenantDestroy } = await import("./commands/tenant/destroy/index.js");
        await tenantDestroy(io, { name, ...options });
      },
    );

  program
    .command("images")
    .description("container images")
    .command("build")
    .description("build the runtime, database and Redis images (offline when no registry answers)")
    .addOption(
      new Option(
        "--mode <mode>",
        "normal: upstream images from a registry; offline: Debian packages only",
      ).choices(["normal", "offline"]),
    )
    .option("--verbose", "show the build output")
    .option("--json", "print JSON")
    .action(async (options: { mode?: string; verbose?: boolean; json?: boolean }) => {
      const { imagesBuild } = await import("./commands/images/build/index.js");
      await imagesBuild(io, { ...options, repositoryRoot });
    });

  program
    .command("doctor")
    .description("check Docker, images, disk, master key and registry/Docker drift")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { doctor } = await import("./commands/doctor/index.js");
      await doctor(io, options);
    });

  return program;
}
