import { parseArgs } from "node:util";
import type { Knex } from "knex";
import { EmailSchema } from "../../contracts/api.js";
import { adminCreator } from "../commands/adminCreator.js";

/** Where a one-off command writes: stdout carries only its result. */
export interface CommandOutput {
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** Exit status for bad usage or input, distinct from 1 (something failed while running). */
export const EXIT_USAGE = 2;

const USAGE = "usage: node /app/main.js create-admin --email <email> [--name <name>]";

/** Arguments of `create-admin`, validated. */
export interface CreateAdminArgs {
  email: string;
  name: string | undefined;
}

/**
 * Parses and validates `create-admin`'s arguments without touching the database, so bad input
 * fails at once with exit status 2.
 * @returns the arguments, or the message to print on stderr
 */
export function parseCreateAdminArgs(
  args: readonly string[],
): { ok: true; args: CreateAdminArgs } | { ok: false; message: string } {
  let values: { email?: string | undefined; name?: string | undefined };
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: { email: { type: "string" }, name: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    return { ok: false, message: `create-admin: ${(error as Error).message}\n${USAGE}` };
  }
  if (values.email === undefined) {
    return { ok: false, message: `create-admin: --email is required\n${USAGE}` };
  }
  const email = EmailSchema.safeParse(values.email);
  if (!email.success) {
    return {
      ok: false,
      message: `create-admin: invalid e-mail address ${JSON.stringify(values.email)}`,
    };
  }
  const name = values.name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 120)) {
    return { ok: false, message: "create-admin: --name must be 1 to 120 characters" };
  }
  return { ok: true, args: { email: email.data, name } };
}

/**
 * `create-admin`, run by the control plane with `docker exec` (never reachable over HTTP).
 * Creates the admin, or resets an existing account to admin with a new one-time password, and
 * prints exactly one JSON line: `{"email","password","created"}`. Prints the password nowhere else.
 * Expects a migrated database.
 * @returns the exit status (0, or 2 for invalid arguments); other failures throw
 */
export async function createAdminCommand(
  args: readonly string[],
  deps: { db: Knex },
  output: CommandOutput,
): Promise<number> {
  const parsed = parseCreateAdminArgs(args);
  if (!parsed.ok) {
    output.stderr(parsed.message);
    return EXIT_USAGE;
  }
  const result = await adminCreator({ db: deps.db, ...parsed.args });
  output.stdout(
    JSON.stringify({ email: result.email, password: result.password, created: result.created }),
  );
  return 0;
}
