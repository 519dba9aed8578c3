import { type BuildMode, buildImages, IMAGE_BUILD_STEPS } from "@atende/control-plane";
import { usageError } from "../../../errors.js";
import type { Io } from "../../../lib/io.js";
import { printJson } from "../../../lib/output.js";
import { run } from "../../../lib/run.js";
import { withControlPlane } from "../../../lib/session.js";
import { runWithSteps } from "../../../lib/steps.js";

const BUNDLE_STEP = { id: "bundle", title: "Bundle the runtime (esbuild)" };

/** `atende images build [--mode normal|offline]`: builds the images every tenant runs. */
export async function imagesBuild(
  io: Io,
  options: { mode?: string; json?: boolean; verbose?: boolean; repositoryRoot: string },
): Promise<void> {
  if (options.mode !== undefined && options.mode !== "normal" && options.mode !== "offline") {
    throw usageError(
      `Unknown mode "${options.mode}".`,
      "Use --mode normal (upstream images from a registry) or --mode offline (Debian packages, no registry).",
    );
  }
  const mode = options.mode as BuildMode | undefined;
  const result = await withControlPlane(io, (cp) =>
    runWithSteps(
      io,
      [BUNDLE_STEP, ...IMAGE_BUILD_STEPS],
      { quiet: options.json === true },
      async (onProgress) => {
        const started = Date.now();
        onProgress({ step: BUNDLE_STEP, state: "started" });
        await run("npm", ["run", "build", "--workspace", "@atende/runtime"], {
          cwd: options.repositoryRoot,
        }).catch((error: unknown) => {
          onProgress({ step: BUNDLE_STEP, state: "failed" });
          throw error;
        });
        onProgress({ step: BUNDLE_STEP, state: "succeeded", durationMs: Date.now() - started });
        return buildImages(cp, {
          ...(mode ? { mode } : {}),
          onProgress,
          ...(options.verbose
            ? { onOutput: (line: string) => io.stderr.write(`  ${line}\n`) }
            : {}),
        });
      },
    ),
  );
  if (options.json) return printJson(io, { ok: true, ...result });
  io.stdout.write(`Build mode: ${result.mode}: ${result.modeReason}.\n`);
  for (const image of result.images)
    io.stdout.write(`  ${image.reference.padEnd(28)} ${(image.sizeBytes / 1e6).toFixed(1)} MB\n`);
}
