import { AtendeError, categoryOf } from "@atende/control-plane";

/**
 * Exit codes of `atende`, documented in the README. Scripts can rely on them: they are part of
 * the CLI's interface.
 */
export const EXIT_CODES = {
  ok: 0,
  internal: 1,
  invalidInput: 2,
  notFound: 3,
  conflict: 4,
  dockerUnavailable: 5,
  unhealthy: 6,
  resources: 7,
  setup: 8,
  doctorFailed: 9,
  cancelled: 130,
} as const;

/** The message has been printed already; exit with this code. */
export class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
    this.name = "ExitError";
  }
}

/** A usage problem found by the CLI itself (missing option on a non-interactive run, …). */
export const usageError = (message: string, hint?: string) =>
  new AtendeError("invalid_option", message, hint === undefined ? {} : { hint });

/** The exit code for any error a command ends with. */
export function exitCodeFor(error: unknown): number {
  if (error instanceof ExitError) return error.exitCode;
  if (!(error instanceof AtendeError)) return EXIT_CODES.internal;
  switch (categoryOf(error.id)) {
    case "invalid_input":
      return EXIT_CODES.invalidInput;
    case "not_found":
      return EXIT_CODES.notFound;
    case "conflict":
      return EXIT_CODES.conflict;
    case "unavailable":
      return EXIT_CODES.dockerUnavailable;
    case "unhealthy":
      return EXIT_CODES.unhealthy;
    case "resources":
      return EXIT_CODES.resources;
    case "setup":
      return EXIT_CODES.setup;
    case "cancelled":
      return EXIT_CODES.cancelled;
    default:
      return EXIT_CODES.internal;
  }
}
