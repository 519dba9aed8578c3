/**
 * `npm run bench:backup`: creates a tenant, fills its `messages` table with about
 * BENCH_BACKUP_MB (default 1000) MB of rows, then measures in one run:
 * - baseline: a plain `mariadb-dump --single-transaction --quick` to a file and a plain
 *   `mariadb < file` import into a scratch database of the same server;
 * - `backupTenant` (physical hot backup with mariadb-backup, zstd in the db container,
 *   AES-256-GCM + sha256 in the control plane, media + config, manifest last);
 * - `restoreTenant --as` into a new tenant (checksums first, extract + prepare on the new db
 *   volume, row counts, media, ready).
 * Prints JSON with MB/s (MB of plain dump per second, the same measure of the data on both
 * sides), the ratios to the baseline and a per-step breakdown of both operations.
 * Everything it creates is destroyed at the end.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import {
  backupTenant,
  destroyTenant,
  dockerNames,
  openControlPlane,
  provisionTenant,
  restoreTenant,
} from "@atende/control-plane";

const run = promisify(execFile);
const TARGET_MB = Number(process.env.BENCH_BACKUP_MB ?? 1000);

const home = await mkdtemp(path.join(tmpdir(), "atende-bench-backup-"));
const cp = await openControlPlane({
  env: {
    ...process.env,
    ATENDE_HOME: home,
    ATENDE_PORT_RANGE: "41200-41300",
    ATENDE_LOG_LEVEL: "warn",
    ATENDE_READY_TIMEOUT_SECONDS: "600",
  },
});
const name = `benchbk-${randomBytes(2).toString("hex")}`;
const copy = `${name}-copy`;
const db = dockerNames.container(name, "db");
const sql = (query: string) =>
  run("docker", ["exec", db, "mariadb", "--batch", "--skip-column-names", "atende", "-e", query], {
    maxBuffer: 64 * 1024 * 1024,
  }).then(({ stdout }) => stdout.trim());
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));
const rate = (bytes: number, ms: number) => Number((bytes / 1e6 / (ms / 1000)).toFixed(1));

try {
  await provisionTenant(cp, { name, adminEmail: `admin@${name}.example` });

  // ~700-byte messages (Portuguese text + a hash, as JSON content and as text), doubled by
  // INSERT … SELECT until the table holds about TARGET_MB.
  // No number: contacts' identifiers are sealed with the tenant's key, which this script lacks.
  await sql(
    "INSERT INTO contacts (name) VALUES ('Cliente Bench');" +
      "INSERT INTO conversations (contact_id) VALUES (LAST_INSERT_ID());",
  );
  const seed =
    "SELECT c.id, 'inbound', CONCAT('wamid.', UUID()), 'text', JSON_OBJECT('type', 'text', 'body', t.body), t.body, NOW(3) " +
    "FROM conversations c, (SELECT CONCAT('Olá! Gostaria de saber o prazo de entrega do pedido ', SHA2(RAND(), 256), '. Obrigado, ', SHA2(RAND(), 224)) AS body) t";
  await sql(
    `INSERT INTO messages (conversation_id, direction, wamid, type, content, text, sent_at) ${seed}`,
  );
  const tableBytes = async () =>
    Number(
      await sql(
        "SELECT DATA_LENGTH + INDEX_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'atende' AND TABLE_NAME = 'messages'",
      ),
    );
  const fillStarted = performance.now();
  while ((await tableBytes()) < TARGET_MB * 1e6) {
    await sql(
      "INSERT INTO messages (conversation_id, direction, wamid, type, content, text, sent_at) " +
        "SELECT conversation_id, direction, CONCAT('wamid.', UUID()), type, JSON_OBJECT('type', 'text', 'body', CONCAT(SHA2(RAND(), 256), SUBSTRING(text, 65))), CONCAT(SHA2(RAND(), 256), SUBSTRING(text, 65)), sent_at FROM messages LIMIT 400000",
    );
    await sql("ANALYZE TABLE messages");
  }
  const fillMs = performance.now() - fillStarted;
  const rows = Number(await sql("SELECT COUNT(*) FROM messages"));

  // Baseline: a plain dump to a file on the host and a plain import of it.
  const dumpFile = path.join(home, "baseline.sql");
  let started = performance.now();
  await run("sh", [
    "-c",
    `docker exec ${db} mariadb-dump --single-transaction --quick atende > ${dumpFile}`,
  ]);
  const baselineDumpMs = performance.now() - started;
  const dumpBytes = (await stat(dumpFile)).size;
  await sql("CREATE DATABASE baseline_import");
  started = performance.now();
  await run("sh", ["-c", `docker exec -i ${db} mariadb baseline_import < ${dumpFile}`]);
  const baselineImportMs = performance.now() - started;
  await sql("DROP DATABASE baseline_import");
  await rm(dumpFile);

  // atende: backup, then restore into a new tenant. Meanwhile one session inserts a row every
  // 50 ms, as a busy tenant would: the longest gap between two inserts is how long writes wait
  // for the backup's read lock.
  await sql("CREATE TABLE bench_writes (at DATETIME(6) NOT NULL)");
  // Settled into a value, so a failing writer cannot crash the process before `finally` cleans up.
  const writer = run("docker", [
    "exec",
    db,
    "mariadb",
    // A compound statement: `;` must not end it.
    "--delimiter=//",
    "atende",
    "-e",
    "BEGIN NOT ATOMIC DECLARE i INT DEFAULT 0; WHILE i < 300 DO INSERT INTO bench_writes VALUES (NOW(6)); DO SLEEP(0.05); SET i = i + 1; END WHILE; END",
  ]).then(
    () => undefined,
    (error: unknown) => error,
  );
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const backupSteps: Record<string, number> = {};
  started = performance.now();
  const backup = await backupTenant(cp, {
    name,
    onProgress: (event) => {
      if (event.durationMs !== undefined) backupSteps[event.step.id] = event.durationMs;
    },
  });
  const backupMs = performance.now() - started;
  const writerFailure = await writer;
  if (writerFailure !== undefined) throw writerFailure;
  const longestWriteWaitMs = Number(
    await sql(
      "SELECT ROUND(MAX(TIMESTAMPDIFF(MICROSECOND, prev, at)) / 1000) FROM (SELECT at, LAG(at) OVER (ORDER BY at) AS prev FROM bench_writes) gaps",
    ),
  );

  const steps: Record<string, number> = {};
  started = performance.now();
  await restoreTenant(cp, {
    name,
    from: backup.id,
    as: copy,
    onProgress: (event) => {
      if (event.durationMs !== undefined) steps[event.step.id] = event.durationMs;
    },
  });
  const restoreMs = performance.now() - started;
  const importMs = (steps["import-db"] ?? 0) + (steps["import-media"] ?? 0);

  console.log(
    JSON.stringify(
      {
        benchmark: "backup",
        database: {
          messagesRows: rows,
          tableMB: Number(((await tableBytes()) / 1e6).toFixed(0)),
          plainDumpMB: Number((dumpBytes / 1e6).toFixed(0)),
          fillSeconds: seconds(fillMs),
        },
        baseline: {
          dumpSeconds: seconds(baselineDumpMs),
          dumpMBps: rate(dumpBytes, baselineDumpMs),
          importSeconds: seconds(baselineImportMs),
          importMBps: rate(dumpBytes, baselineImportMs),
        },
        atende: {
          backupSeconds: seconds(backupMs),
          backupMBps: rate(dumpBytes, backupMs),
          backupStepsMs: backupSteps,
          // Includes the 50 ms between inserts.
          longestWriteWaitMs,
          storedMB: Number((backup.storedBytes / 1e6).toFixed(0)),
          restoreSeconds: seconds(restoreMs),
          restoreMBps: rate(dumpBytes, restoreMs),
          restoreImportSeconds: seconds(importMs),
          restoreImportMBps: rate(dumpBytes, importMs),
          restoreStepsMs: steps,
        },
        ratios: {
          backupVsBaselineDump: Number((baselineDumpMs / backupMs).toFixed(2)),
          restoreVsBaselineImport: Number((baselineImportMs / restoreMs).toFixed(2)),
          restoreImportVsBaselineImport: Number((baselineImportMs / importMs).toFixed(2)),
        },
        goals: { backupVsBaselineDump: 2.5, restoreVsBaselineImport: 10 },
      },
      null,
      2,
    ),
  );
} finally {
  for (const tenant of [copy, name])
    await destroyTenant(cp, { name: tenant }).catch(() => undefined);
  await cp.close();
  await rm(home, { recursive: true, force: true });
}
