import { execFile } from "node:child_process";
import { AtendeError } from "../errors.js";

/**
 * Runs a program on the control plane's host with an argv array (never a shell string), for
 * the few build steps Docker cannot do: mmdebstrap, npm pack, tar.
 */
export function runHostCommand(
  file: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(
            new AtendeError("host_tool_missing", `${file} is not installed on this machine.`, {
              hint:
                file === "mmdebstrap"
                  ? "Install it (`apt-get install mmdebstrap`) or build with a registry (--mode normal)."
                  : `Install ${file}.`,
            }),
          );
        }
        reject(
          new AtendeError(
            "build_failed",
            `${file} ${args.join(" ")} failed: ${stderr.trim().split("\n").slice(-5).join(" | ") || error.message}`,
            { cause: error },
          ),
        );
      },
    );
  });
}
