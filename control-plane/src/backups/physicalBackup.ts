import type { Readable, Writable } from "node:stream";
import type Docker from "dockerode";
import { execStreaming } from "../orchestration/containerStreams.js";
import { execInContainer, inspectContainer } from "../orchestration/dockerClient.js";
import { LABEL } from "../orchestration/labels.js";
import { removeContainer } from "../orchestration/tenantResources.js";
import { SqlSession, sqlIdentifier, sqlString } from "./sqlSession.js";

/** Where the tenant image keeps its datadir (docker/mariadb/atende.cnf). */
const DATADIR = "/var/lib/mysql";

/**
 * The hot backup, run by `docker exec` in the db container as OS user mysql (no credentials:
 * mysql@localhost over the unix socket). mariadb-backup streams the datadir as mbstream; zstd
 * compresses it next to the data, so only ~1/3 of the bytes cross into the control plane. Its
 * chatty log goes to a temporary file, printed (the tail) only when it fails. A fixed script:
 * nothing is interpolated into it.
 */
const BACKUP_SCRIPT = [
  "set -eu",
  'log=$(mktemp); target=$(mktemp -d); trap \'rm -rf "$log" "$target"\' EXIT',
  "mariadb-backup --defaults-file=/etc/atende/mariadb.cnf --socket=/run/mysqld/mysqld.sock" +
    ' --user=mysql --backup --stream=mbstream --target-dir="$target" 2>"$log"' +
    ' | zstd -1 -q -c || { status=$?; tail -n 20 "$log" >&2; exit "$status"; }',
].join("\n");

/**
 * The restore, run in a one-off container of the db image on the tenant's db volume while the
 * db container is stopped, in three fixed scripts (nothing is interpolated into them):
 * empty the datadir and extract the stream into `.restore/`; apply the redo log
 * (`--prepare`); move the prepared files into place with the system schema (`mysql/`) last:
 * the image's entrypoint treats a datadir without `mysql/` as empty, so an interrupted restore
 * never starts on half a datadir.
 */
const RESTORE_SCRIPTS = {
  extract: [
    "set -eu",
    `cd ${DATADIR}`,
    "find . -mindepth 1 -maxdepth 1 -exec rm -rf -- {} +",
    "mkdir .restore",
    "zstd -d -q -c | mbstream -x -C .restore",
  ].join("\n"),
  prepare: [
    "set -eu",
    `cd ${DATADIR}`,
    "log=$(mktemp); trap 'rm -f \"$log\"' EXIT",
    'mariadb-backup --prepare --target-dir=.restore --use-memory=512M >"$log" 2>&1' +
      ' || { status=$?; tail -n 20 "$log" >&2; exit "$status"; }',
  ].join("\n"),
  move: [
    "set -eu",
    `cd ${DATADIR}`,
    "rm -f .restore/backup-my.cnf .restore/xtrabackup_* .restore/mariadb_backup_*",
    'for entry in .restore/*; do [ "$entry" = .restore/mysql ] || mv -- "$entry" .; done',
    "mv .restore/mysql ./mysql",
    "rmdir .restore",
  ].join("\n"),
} as const;

/** Whether the db container's image has mariadb-backup (images built before it do not). */
export async function canBackUpPhysically(docker: Docker, container: string): Promise<boolean> {
  const probe = await execStreaming(docker, container, ["mariadb-backup", "--version"]).catch(
    () => ({ exitCode: -1 }),
  );
  return probe.exitCode === 0;
}

export interface PhysicalBackupResult {
  /** Rows per table of the tenant's database, as of the backup's consistent point. */
  tables: Record<string, number>;
  /** `mariadb-backup --version`. */
  tool: string;
  /** Milliseconds spent in the stream and in counting rows (for the benchmark's breakdown). */
  timings: { lockMs: number; streamMs: number; countMs: number };
}

/**
 * Streams a physical hot backup of the db container's server into `sink` (zstd-compressed
 * mbstream) and counts the rows of `dbName` as of the same instant.
 *
 * Consistency of the counts: a second session takes FLUSH TABLES WITH READ LOCK and opens a
 * consistent-snapshot transaction before mariadb-backup starts, and keeps the lock until
 * mariadb-backup has finished (its own BACKUP STAGE locks are compatible with it). No commit
 * can land between the snapshot and the backup's end LSN, so the counts describe exactly the
 * data in the backup. Reads go on; writes wait for the copy (seconds per GB; ADR 0004).
 */
export async function streamPhysicalBackup(
  docker: Docker,
  container: string,
  dbName: string,
  sink: Writable,
): Promise<PhysicalBackupResult> {
  const version = await execStreaming(docker, container, ["mariadb-backup", "--version"]);
  if (version.exitCode !== 0)
    throw new Error(
      "the db image has no mariadb-backup (rebuild the images: `atende images build`)",
    );
  const tool =
    `${version.stderr}`
      .split("\n")
      .find((line) => line.includes("mariadb-backup"))
      ?.trim() ?? "mariadb-backup";
  const session = SqlSession.open(docker, container);
  try {
    let started = Date.now();
    await session
      .query(
        "SET SESSION lock_wait_timeout = 10; SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ;" +
          " FLUSH TABLES WITH READ LOCK; START TRANSACTION WITH CONSISTENT SNAPSHOT",
      )
      .catch((error: unknown) => {
        throw new Error(
          `could not take the read lock for a consistent snapshot within 10 s (a long-running query or DDL?): ${(error as Error).message}`,
        );
      });
    const lockMs = Date.now() - started;
    const tableNames = (
      await session.query(
        `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${sqlString(dbName)} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME`,
      )
    ).map(([table]) => table as string);
    started = Date.now();
    // The counts read the snapshot while mariadb-backup copies (reads are not blocked).
    const counting = countInSession(session, dbName, tableNames).then((counts) => ({
      counts,
      countMs: Date.now() - started,
    }));
    counting.catch(() => undefined);
    const stream = await execStreaming(
      docker,
      container,
      ["bash", "-o", "pipefail", "-c", BACKUP_SCRIPT],
      {
        stdout: sink,
      },
    );
    const streamMs = Date.now() - started;
    if (stream.exitCode !== 0)
      throw new Error(
        `mariadb-backup exited with code ${stream.exitCode}: ${stream.stderr.trim().slice(-1500) || "no message"}`,
      );
    const { counts, countMs } = await counting;
    await session.query("UNLOCK TABLES; COMMIT");
    return { tables: counts, tool, timings: { lockMs, streamMs, countMs } };
  } finally {
    // Ending the session releases the read lock whatever happened.
    await session.close();
  }
}

async function countInSession(
  session: SqlSession,
  dbName: string,
  tables: string[],
): Promise<Record<string, number>> {
  if (tables.length === 0) return {};
  const rows = await session.query(
    tables
      .map(
        (table) =>
          `SELECT ${sqlString(table)}, COUNT(*) FROM ${sqlIdentifier(dbName)}.${sqlIdentifier(table)}`,
      )
      .join(" UNION ALL "),
  );
  const counts: Record<string, number> = {};
  for (const [table, count] of rows) if (table !== undefined) counts[table] = Number(count);
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Replaces the datadir of a tenant's db container with a physical backup (`input`: the
 * decrypted, still zstd-compressed mbstream), then starts the container and waits until the
 * application user can query its schema. The container's entrypoint rewrites the application
 * user's password from its own environment on every start, so a copy restored `--as` another
 * tenant logs in with the new tenant's secret, not the old one's.
 */
export async function restorePhysicalBackup(
  docker: Docker,
  container: string,
  input: Readable,
  options: { timeoutMs: number },
): Promise<PhysicalRestoreTimings> {
  const info = await inspectContainer(docker, container);
  if (!info) throw new Error(`the database container ${container} does not exist`);
  const volume = info.Mounts.find((mount) => mount.Destination === DATADIR);
  if (!volume?.Name || volume.Type !== "volume")
    throw new Error(`the database container ${container} has no data volume at ${DATADIR}`);
  const stopStarted = Date.now();
  if (info.State.Running) await docker.getContainer(container).stop({ t: 30 });
  const stopMs = Date.now() - stopStarted;

  const helper = `${container}-restore`;
  await removeContainer(docker, helper);
  await docker.createContainer({
    name: helper,
    Image: info.Image,
    User: "mysql",
    Entrypoint: ["sleep", "infinity"],
    Cmd: [],
    Labels: { ...info.Config.Labels, [LABEL.role]: "db-restore" },
    HostConfig: {
      Mounts: [{ Type: "volume", Source: volume.Name, Target: DATADIR }],
      NetworkMode: "none",
      RestartPolicy: { Name: "no" },
    },
  });
  const timings: PhysicalRestoreTimings = {
    stopMs,
    extractMs: 0,
    prepareMs: 0,
    moveMs: 0,
    startMs: 0,
  };
  try {
    await docker.getContainer(helper).start();
    for (const stage of ["extract", "prepare", "move"] as const) {
      const stageStarted = Date.now();
      const result = await execStreaming(
        docker,
        helper,
        ["bash", "-o", "pipefail", "-c", RESTORE_SCRIPTS[stage]],
        stage === "extract" ? { stdin: input } : {},
      );
      if (result.exitCode !== 0)
        throw new Error(
          `the ${stage} stage of the physical restore failed (exit code ${result.exitCode}): ${result.stderr.trim().slice(-1500) || "no message"}`,
        );
      timings[`${stage}Ms`] = Date.now() - stageStarted;
    }
  } finally {
    await removeContainer(docker, helper);
  }
  const started = Date.now();
  await docker.getContainer(container).start();
  await waitForDatabaseHealth(docker, container, options.timeoutMs);
  timings.startMs = Date.now() - started;
  return timings;
}

/** Where a physical restore spent its time (logged; the benchmark prints it). */
export interface PhysicalRestoreTimings {
  stopMs: number;
  extractMs: number;
  prepareMs: number;
  moveMs: number;
  startMs: number;
}

/** Polls the image's own readiness check (a query as the application user over TCP). */
async function waitForDatabaseHealth(docker: Docker, container: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    const info = await inspectContainer(docker, container);
    if (info && !info.State.Running && !info.State.Restarting)
      throw new Error(
        `the database container stopped after the restore (exit code ${info.State.ExitCode}); see \`docker logs ${container}\``,
      );
    const probe = await execInContainer(docker, container, ["atende-healthcheck"], {
      timeoutMs: 10_000,
    }).catch((error: unknown) => ({ exitCode: -1, stdout: "", stderr: String(error) }));
    if (probe.exitCode === 0) return;
    last = probe.stderr.trim();
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(
    `the restored database did not become ready within ${Math.round(timeoutMs / 1000)} s${last ? ` (${last.slice(0, 300)})` : ""}`,
  );
}
