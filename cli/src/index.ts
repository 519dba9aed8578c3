import { CommanderError } from "commander";
import { EXIT_CODES, exitCodeFor } from "./errors.js";
import { type Io, processIo } from "./lib/io.js";
import { printError } from "./lib/output.js";
import { buildProgram } from "./program.js";

/**
 * Runs `atende` with the given argv and returns the exit code. The only error boundary:
 * everything a command throws is printed here once, with what to do next.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const program = buildProgram(io);
  const json = argv.includes("--json");
  const debug = argv.includes("--debug");
  try {
    await program.parseAsync(argv);
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the problem (or the help/version text).
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.invalidInput;
    }
    const code = exitCodeFor(error);
    if (!(error instanceof Error && error.name === "ExitError"))
      printError(io, error, { json, debug });
    return code;
  }
}
