/**
 * Every failure the control plane reports on purpose. Each error has a stable snake_case `id`
 * (the CLI maps it to an exit code, the API to an HTTP status), a message that says what
 * happened, and a `hint` that says what to do. Messages never carry secret values.
 */
export class AtendeError extends Error {
  /** Stable identifier, e.g. `tenant_exists`. */
  readonly id: string;
  /** What the operator should do next. */
  readonly hint: string | undefined;
  /** Machine-readable details (never secrets). */
  readonly data: Record<string, unknown> | undefined;

  constructor(
    id: string,
    message: string,
    options: { hint?: string; data?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AtendeError";
    this.id = id;
    this.hint = options.hint;
    this.data = options.data;
  }
}

/** The kinds of failure, grouped the way callers react to them. */
export const errorCategories = {
  invalid_input: [
    "invalid_tenant_name",
    "invalid_email",
    "invalid_option",
    "template_invalid",
    "template_not_found",
    "invalid_port",
    "backup_corrupt",
  ],
  not_found: [
    "tenant_not_found",
    "image_not_found",
    "backup_not_found",
    "operation_not_found",
    "staff_not_found",
  ],
  conflict: [
    "tenant_exists",
    "tenant_busy",
    "port_conflict",
    "tenant_not_ready",
    "staff_exists",
    "domain_taken",
  ],
  unavailable: ["docker_unavailable", "registry_unavailable", "store_unavailable"],
  unhealthy: [
    "tenant_unhealthy",
    "tenant_start_timeout",
    "backup_failed",
    "offsite_copy_failed",
    "scheduled_backups_failed",
    "restore_failed",
    "backup_verify_failed",
    "upgrade_rolled_back",
    "upgrade_failed",
  ],
  resources: ["insufficient_disk"],
  setup: ["master_key_invalid", "store_corrupt", "build_failed", "host_tool_missing"],
  cancelled: ["operation_cancelled"],
} as const;

export type ErrorCategory = keyof typeof errorCategories;

/** The category of an error id, or `internal` when the id is unknown. */
export function categoryOf(id: string): ErrorCategory | "internal" {
  for (const [category, ids] of Object.entries(errorCategories)) {
    if ((ids as readonly string[]).includes(id)) return category as ErrorCategory;
  }
  return "internal";
}

export const invalidTenantName = (name: string, problem: string) =>
  new AtendeError("invalid_tenant_name", `Invalid tenant name "${name}": ${problem}.`, {
    hint: "Use 1–32 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. acme, loja-centro).",
    data: { name },
  });

export const invalidEmail = (email: string) =>
  new AtendeError("invalid_email", `Invalid e-mail address "${email}".`, {
    hint: "Give the first admin's address, e.g. --admin-email ana@acme.com.br.",
  });

export const invalidOption = (message: string, hint?: string) =>
  new AtendeError("invalid_option", message, hint === undefined ? {} : { hint });

export const tenantExists = (name: string, status: string) =>
  new AtendeError("tenant_exists", `A tenant named "${name}" already exists (status: ${status}).`, {
    hint: `Choose another name, or see it with \`atende tenant show ${name}\`.`,
    data: { name, status },
  });

export const tenantNotFound = (name: string) =>
  new AtendeError("tenant_not_found", `There is no tenant named "${name}".`, {
    hint: "List tenants with `atende tenant list`.",
    data: { name },
  });

export const tenantBusy = (name: string, operation: string, owner: string, since: Date) =>
  new AtendeError(
    "tenant_busy",
    `Tenant "${name}" is busy: ${operation} started at ${since.toISOString()} by ${owner} is still running.`,
    {
      hint: "Wait for it to finish and try again. A lock left by a crashed process expires by itself within a minute.",
      data: { name, operation, owner },
    },
  );

export const tenantNotReady = (name: string, status: string, action: string) =>
  new AtendeError(
    "tenant_not_ready",
    `Cannot ${action} tenant "${name}": its status is ${status}.`,
    {
      hint: `Finish or undo the pending operation first (\`atende tenant create ${name}\` resumes a create, \`atende tenant destroy ${name}\` removes it).`,
      data: { name, status },
    },
  );

export const portConflict = (port: number, detail: string) =>
  new AtendeError("port_conflict", `Port ${port} is not available: ${detail}.`, {
    hint: "Free the port or choose another with --port, or leave --port out to pick a free one.",
    data: { port },
  });

export const dockerUnavailable = (detail: string, cause?: unknown) =>
  new AtendeError("docker_unavailable", `The Docker engine cannot be reached: ${detail}.`, {
    hint: "Start it (e.g. `sudo systemctl start docker`, or `dockerd &`) or set DOCKER_HOST, then run `atende doctor`.",
    cause,
  });

export const imageNotFound = (images: string[]) =>
  new AtendeError("image_not_found", `Missing image(s): ${images.join(", ")}.`, {
    hint: "Build them with `atende images build` (it works without a registry too).",
    data: { images },
  });

export const insufficientDisk = (path: string, freeMb: number, neededMb: number) =>
  new AtendeError(
    "insufficient_disk",
    `Not enough free disk space for a new tenant: ${freeMb} MB free under ${path}, ${neededMb} MB needed.`,
    {
      hint: "Free space (e.g. `docker system prune` of unused images) or lower ATENDE_MIN_FREE_DISK_MB if you know better.",
      data: { path, freeMb, neededMb },
    },
  );

export const tenantUnhealthy = (name: string, service: string, detail: string) =>
  new AtendeError(
    "tenant_unhealthy",
    `Tenant "${name}" did not become ready: the ${service} container ${detail}.`,
    {
      hint: `Look at \`atende tenant logs ${name} --service ${service}\` (nothing was left behind; fix the cause and run create again).`,
      data: { name, service },
    },
  );

export const operationCancelled = (what: string) =>
  new AtendeError("operation_cancelled", `${what} was cancelled.`, {
    hint: "Run the same command again to converge.",
  });

export const backupNotFound = (tenant: string, reference: string) =>
  new AtendeError("backup_not_found", `There is no backup "${reference}" of tenant "${tenant}".`, {
    hint: `List them with \`atende tenant backups ${tenant}\`, or give the path of a backup directory.`,
    data: { tenant, reference },
  });

export const backupFailed = (tenant: string, detail: string, cause?: unknown) =>
  new AtendeError("backup_failed", `The backup of "${tenant}" failed: ${detail}.`, {
    hint: `Nothing usable was kept; it is recorded as failed in \`atende tenant backups ${tenant}\`. Look at \`atende tenant logs ${tenant} --service db\` and run the backup again.`,
    data: { tenant },
    cause,
  });

export const operationNotFound = (id: string) =>
  new AtendeError("operation_not_found", `There is no operation "${id}".`, {
    hint: "Operation ids are in a tenant's history (`GET /api/tenants/<name>`).",
    data: { id },
  });

export const staffExists = (email: string) =>
  new AtendeError("staff_exists", `A staff account for ${email} already exists.`, {
    hint: "Choose another e-mail, or disable the existing account first.",
    data: { email },
  });

export const staffNotFound = (email: string) =>
  new AtendeError("staff_not_found", `There is no staff account for ${email}.`, {
    hint: "Create it with `atende control-plane create-staff --email <e> --role <role>`.",
    data: { email },
  });
