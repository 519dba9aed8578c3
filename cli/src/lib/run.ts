import { AtendeError } from "@atende/control-plane";
import { execa } from "execa";

/**
 * Runs a program with an argv array (never a shell string) and turns its failure into our
 * error shape. The one place the CLI starts subprocesses; tests replace it.
 */
export async function run(
  file: string,
  args: string[],
  options: { cwd?: string } = {},
): Promise<string> {
  try {
    const result = await execa(file, args, { cwd: options.cwd, all: true });
    return result.all ?? "";
  } catch (error) {
    const failure = error as { exitCode?: number; all?: string; shortMessage?: string };
    const tail = (failure.all ?? failure.shortMessage ?? "").split("\n").slice(-8).join("\n");
    throw new AtendeError(
      "build_failed",
      `${file} ${args.join(" ")} failed (exit code ${failure.exitCode ?? "?"}):\n${tail}`,
      {
        hint: "Fix the problem shown above and run the command again.",
      },
    );
  }
}
