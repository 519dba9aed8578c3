import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";

/**
 * The inbox's first render waits for its one script: keep it small. Contracts that define zod
 * schemas are for the server; the browser imports only their types and the zod-free modules
 * beside them (`conversation-status.ts`, `outbound-limits.ts`, …). One value import of a schema
 * file would bring zod's ~450 KB back.
 */
describe("the inbox bundle", () => {
  it("contains no zod and stays under 350 KB minified", async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("./inbox.ts", import.meta.url))],
      bundle: true,
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      outdir: "out",
      platform: "browser",
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.includes("node_modules/zod/"))).toEqual([]);
    const script = result.outputFiles.find((file) => file.path.endsWith(".js"));
    expect(script?.contents.byteLength).toBeLessThan(350_000);
  });
});
