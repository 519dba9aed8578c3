import { Argument, Command, InvalidArgumentError, Option } from "commander";
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

const positive = (value: string) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1)
    throw new InvalidArgumentError("must be a whole number of at least 1");
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

  tenant
    .command("backup")
    .description(
      "back up a running tenant: consistent hot database snapshot, media and configuration, encrypted",
    )
    .argument("<name>")
    .option("--prune", "after a successful backup, delete old ones by the retention policy")
    .addOption(
      new Option(
        "--keep-daily <n>",
        "retention: daily backups to keep (default: ATENDE_BACKUP_KEEP_DAILY)",
      ).argParser(count),
    )
    .addOption(
      new Option(
        "--keep-weekly <n>",
        "retention: weekly backups to keep (default: ATENDE_BACKUP_KEEP_WEEKLY)",
      ).argParser(count),
    )
    .addOption(
      new Option(
        "--keep-monthly <n>",
        "retention: monthly backups to keep (default: ATENDE_BACKUP_KEEP_MONTHLY)",
      ).argParser(count),
    )
    .option("--json", "print the result as JSON")
    .action(
      async (
        name: string,
        options: {
          prune?: boolean;
          keepDaily?: number;
          keepWeekly?: number;
          keepMonthly?: number;
          json?: boolean;
        },
      ) => {
        const { tenantBackup } = await import("./commands/tenant/backup/index.js");
        await tenantBackup(io, { name, ...options });
      },
    );

  tenant
    .command("backups")
    .description("list a tenant's backups, newest first, with their verification")
    .argument("<name>")
    .option("--json", "print JSON")
    .action(async (name: string, options: { json?: boolean }) => {
      const { tenantBackups } = await import("./commands/tenant/backups/index.js");
      await tenantBackups(io, { name, ...options });
    });

  tenant
    .command("restore")
    .description(
      "restore a backup over the tenant (after a safety backup) or --as a new tenant (a copy)",
    )
    .argument("<name>", "the tenant the backup belongs to")
    .requiredOption("--from <backup>", "backup id (see `atende tenant backups`) or directory")
    .option("--as <new-name>", "restore into a new tenant instead")
    .option("-y, --yes", "do not ask for confirmation")
    .option("--json", "print JSON")
    .action(
      async (
        name: string,
        options: { from: string; as?: string; yes?: boolean; json?: boolean },
      ) => {
        const { tenantRestore } = await import("./commands/tenant/restore/index.js");
        await tenantRestore(io, { name, ...options });
      },
    );

  tenant
    .command("verify-backup")
    .description("restore a backup into a throw-away tenant, check it and record the result")
    .argument("<name>")
    .option("--backup <id>", "which backup (default: the newest good one)")
    .option("--json", "print JSON")
    .action(async (name: string, options: { backup?: string; json?: boolean }) => {
      const { tenantVerifyBackup } = await import("./commands/tenant/verify-backup/index.js");
      await tenantVerifyBackup(io, { name, ...options });
    });

  tenant
    .command("upgrade")
    .description(
      "upgrade a tenant (or --all, rolling) to a release: backup, migrations, health-gated switch, automatic rollback",
    )
    .argument("[name]", "the tenant (leave out with --all)")
    .requiredOption("--to <version>", "the release to upgrade to (its images must exist locally)")
    .option("--all", "every ready tenant, one after another, stopping at the first failure")
    .addOption(
      new Option("--concurrency <n>", "with --all: tenants upgraded at the same time")
        .argParser(positive)
        .default(1),
    )
    .option("--json", "print JSON")
    .action(
      async (
        name: string | undefined,
        options: { to: string; all?: boolean; concurrency?: number; json?: boolean },
      ) => {
        const { tenantUpgrade } = await import("./commands/tenant/upgrade/index.js");
        await tenantUpgrade(io, { ...options, ...(name === undefined ? {} : { name }) });
      },
    );

  tenant
    .command("config")
    .description(
      "get, set or unset a tenant's settings (time zone, URL, domain, resources, retention, WhatsApp, FILA-IA …); applied at once",
    )
    .argument("<name>", "the tenant")
    .addArgument(new Argument("<action>", "what to do").choices(["get", "set", "unset"]))
    .argument("[key]", "the setting (leave out with get to list them all)")
    .argument("[value]", "the new value (set only)")
    .option("--json", "print JSON")
    .action(
      async (
        name: string,
        action: "get" | "set" | "unset",
        key: string | undefined,
        value: string | undefined,
        options: { json?: boolean },
      ) => {
        const { tenantConfig } = await import("./commands/tenant/config/index.js");
        await tenantConfig(io, {
          name,
          action,
          ...(key === undefined ? {} : { key }),
          ...(value === undefined ? {} : { value }),
          ...options,
        });
      },
    );

  program
    .command("backup")
    .description("scheduled backups of every tenant")
    .command("run-due")
    .description(
      "back up every tenant whose daily backup (ATENDE_BACKUP_SCHEDULE) is due, then apply retention; for cron or systemd timers",
    )
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { backupRunDue } = await import("./commands/backup/run-due/index.js");
      await backupRunDue(io, options);
    });

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

  const controlPlane = program
    .command("control-plane")
    .description("the staff API and dashboard of the control plane");

  controlPlane
    .command("serve")
    .description("serve the staff API, its OpenAPI document and the dashboard")
    .addOption(new Option("--port <port>", "port to listen on").argParser(port).default(8080))
    .option(
      "--host <host>",
      "address to listen on (keep 127.0.0.1 behind a TLS proxy)",
      "127.0.0.1",
    )
    .option("--secure", "served over HTTPS by a proxy: Secure cookies and HSTS")
    .action(async (options: { port?: number; host?: string; secure?: boolean }) => {
      const { controlPlaneServe } = await import("./commands/control-plane/serve/index.js");
      await controlPlaneServe(io, options);
    });

  controlPlane
    .command("create-staff")
    .description("create a staff account and print its one-time password")
    .requiredOption("--email <email>", "the staff member's e-mail")
    .addOption(
      new Option("--role <role>", "what the account may do")
        .choices(["viewer", "operator", "owner"])
        .makeOptionMandatory(),
    )
    .option("--json", "print JSON")
    .action(async (options: { email: string; role: string; json?: boolean }) => {
      const { controlPlaneCreateStaff } = await import(
        "./commands/control-plane/create-staff/index.js"
      );
      await controlPlaneCreateStaff(io, options);
    });

  program
    .command("sandbox")
    .description(
      "run the WhatsApp Cloud API emulator (phone page included); --tenant wires a tenant to it",
    )
    .addOption(new Option("--port <port>", "port to listen on").argParser(port).default(8900))
    .option("--host <host>", "address to listen on", "127.0.0.1")
    .option(
      "--webhook-url <url>",
      "where the emulator posts webhooks (default with --tenant: its own)",
    )
    .option("--tenant <name>", "wire this tenant: its WhatsApp settings and webhook")
    .option("--admin-email <email>", "with --tenant: the admin to sign in as (default: the first)")
    .option("--json", "print the connection details as JSON")
    .action(
      async (options: {
        port?: number;
        host?: string;
        webhookUrl?: string;
        tenant?: string;
        adminEmail?: string;
        json?: boolean;
      }) => {
        const { sandbox } = await import("./commands/sandbox/index.js");
        await sandbox(io, options);
      },
    );

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
