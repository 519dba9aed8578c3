// Builds the runtime into a self-contained dist/ (the image copies only dist/ to /app):
//   dist/main.js, dist/healthcheck.js  the server bundles (ESM, node22, minified)
//   dist/package.json                  {"type":"module"} so `node /app/main.js` loads ESM
//   dist/public/index.html + assets/   the inbox (Lit), fingerprinted
// Usage: npm run build -w @atende/runtime
//        node scripts/build.mjs --web-only <dir>   only the inbox, into <dir> (browser tests)
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const webOnly = process.argv[2] === "--web-only";
if (webOnly && process.argv[3] === undefined) throw new Error("usage: build.mjs --web-only <dir>");
const dist = webOnly ? resolve(process.argv[3]) : join(root, "dist");
const assets = join(dist, "public", "assets");

// knex loads every dialect's driver lazily; only mysql2 is used. Native add-ons and optional
// accelerators are loaded in try/catch by their users (ws, msgpackr) and are not shipped.
const unusedOptionalModules = [
  "pg",
  "pg-query-stream",
  "pg-native",
  "sqlite3",
  "better-sqlite3",
  "tedious",
  "oracledb",
  "mysql",
  "mariadb",
  "bufferutil",
  "utf-8-validate",
  "msgpackr-extract",
  "@node-rs/xxhash",
  "@valkey/valkey-glide",
];

// Bundled CommonJS dependencies call require(), __filename and __dirname, which ESM lacks.
const nodeBanner = [
  'import { createRequire as __atendeCreateRequire } from "node:module";',
  'import { fileURLToPath as __atendeFileURLToPath } from "node:url";',
  'import { dirname as __atendeDirname } from "node:path";',
  "const require = __atendeCreateRequire(import.meta.url);",
  "const __filename = __atendeFileURLToPath(import.meta.url);",
  "const __dirname = __atendeDirname(__filename);",
].join("\n");

await rm(dist, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const server = webOnly
  ? undefined
  : await build({
      absWorkingDir: root,
      entryPoints: { main: "src/main.ts", healthcheck: "src/healthcheck.ts" },
      outdir: dist,
      bundle: true,
      platform: "node",
      target: "node22",
      format: "esm",
      minify: true,
      // BullMQ job names are task class names (queues/tasks/base/BaseTask.ts).
      keepNames: true,
      legalComments: "none",
      external: unusedOptionalModules,
      banner: { js: nodeBanner },
      metafile: true,
      logLevel: "warning",
    });
if (!webOnly) {
  await writeFile(join(dist, "package.json"), `${JSON.stringify({ type: "module" }, null, 2)}\n`);
}

const web = await build({
  absWorkingDir: root,
  entryPoints: { app: "web/inbox.ts", theme: "web/styles/theme.css" },
  outdir: assets,
  entryNames: "[name]-[hash]",
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  tsconfig: "web/tsconfig.json",
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

/** Output file (relative to the assets dir) built from an entry point. */
function outputFor(metafile, entryPoint) {
  const entry = Object.entries(metafile.outputs).find(([, out]) => out.entryPoint === entryPoint);
  if (entry === undefined) throw new Error(`no output for ${entryPoint}`);
  return relative(assets, join(root, entry[0]));
}

const appScript = outputFor(web.metafile, "web/inbox.ts");
const themeStyles = outputFor(web.metafile, "web/styles/theme.css");
// The one HTML shell for /login and /: no inline script or style (strict CSP).
const shell = `<!doctype html>
<html lang="pt-BR">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>atende</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/assets/${themeStyles}" />
    <script type="module" src="/assets/${appScript}"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`;
await writeFile(join(dist, "public", "index.html"), shell);

async function sizeOf(file) {
  const bytes = (await stat(file)).size;
  const gzipped = gzipSync(await readFile(file)).length;
  return `${(bytes / 1024).toFixed(0)} KiB (${(gzipped / 1024).toFixed(0)} KiB gzipped)`;
}
if (webOnly) process.exit(0);
const report = [
  ["dist/main.js", join(dist, "main.js")],
  ["dist/healthcheck.js", join(dist, "healthcheck.js")],
  [`dist/public/assets/${appScript}`, join(assets, appScript)],
  [`dist/public/assets/${themeStyles}`, join(assets, themeStyles)],
];
for (const [name, file] of report) console.log(`${name.padEnd(44)} ${await sizeOf(file)}`);

// The biggest packages in the server bundle, to keep an eye on what the image carries.
const byPackage = new Map();
for (const [file, { bytesInOutput }] of Object.entries(
  server.metafile.outputs["dist/main.js"].inputs,
)) {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  const name = match?.[1] ?? "(runtime)";
  byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
}
const top = [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 8);
console.log(
  `largest in main.js: ${top.map(([name, bytes]) => `${name} ${(bytes / 1024).toFixed(0)} KiB`).join(", ")}`,
);
