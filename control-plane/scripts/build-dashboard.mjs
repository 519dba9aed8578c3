// Builds the staff dashboard into control-plane/dist/dashboard/ (served by `atende control-plane serve`):
//   index.html                      the one HTML shell (no inline script or style: strict CSP)
//   assets/dashboard-[hash].js      Lit + socket.io-client, minified
//   assets/theme-[hash].css         design tokens
// Usage: npm run build:dashboard -w @atende/control-plane  (or: node scripts/build-dashboard.mjs <out-dir>)
import { mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const dist = process.argv[2] ?? join(root, "dist", "dashboard");
const assets = join(dist, "assets");

await rm(dist, { recursive: true, force: true });
await mkdir(assets, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { dashboard: "dashboard/dashboard.ts", theme: "dashboard/styles/theme.css" },
  outdir: assets,
  entryNames: "[name]-[hash]",
  bundle: true,
  platform: "browser",
  format: "esm",
  target: "es2022",
  tsconfig: "dashboard/tsconfig.json",
  minify: true,
  legalComments: "none",
  metafile: true,
  logLevel: "warning",
});

const outputFor = (entryPoint) => {
  const entry = Object.entries(result.metafile.outputs).find(
    ([, output]) => output.entryPoint === entryPoint,
  );
  if (entry === undefined) throw new Error(`no output for ${entryPoint}`);
  return relative(assets, join(root, entry[0]));
};
const script = outputFor("dashboard/dashboard.ts");
const theme = outputFor("dashboard/styles/theme.css");

await writeFile(
  join(dist, "index.html"),
  `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>atende control plane</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="/assets/${theme}" />
    <script type="module" src="/assets/${script}"></script>
  </head>
  <body>
    <div id="app"></div>
  </body>
</html>
`,
);

for (const file of [script, theme]) {
  const path = join(assets, file);
  const bytes = (await stat(path)).size;
  const gzipped = gzipSync(await readFile(path)).length;
  console.log(
    `${relative(root, join(assets, file)).padEnd(44)} ${(bytes / 1024).toFixed(0)} KiB (${(gzipped / 1024).toFixed(0)} KiB gzipped)`,
  );
}
