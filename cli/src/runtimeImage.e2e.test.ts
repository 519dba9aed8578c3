import { PassThrough } from "node:stream";
import { ATENDE_VERSION } from "@atende/control-plane";
import { describe, expect, it } from "vitest";
import { docker } from "./test/e2e.js";

const image = `atende/runtime:${ATENDE_VERSION}`;

/** Runs `cmd` in a throwaway container of the runtime image, as its own user, without network. */
async function runInImage(
  cmd: string[],
  env: string[] = [],
): Promise<{ statusCode: number; output: string }> {
  const chunks: Buffer[] = [];
  const output = new PassThrough();
  output.on("data", (chunk: Buffer) => chunks.push(chunk));
  const [result, container] = (await docker.run(image, cmd, output, {
    Env: env,
    Tty: true,
    HostConfig: { NetworkMode: "none", AutoRemove: false },
  })) as [{ StatusCode: number }, { remove(options: { force: boolean }): Promise<unknown> }];
  await container.remove({ force: true });
  return { statusCode: result.StatusCode, output: Buffer.concat(chunks).toString("utf8") };
}

describe("the runtime image", () => {
  it("starts from the compiled code it was built with, which its user cannot change", async () => {
    // An upgrade's switch waits for the new app to boot: the bundle's compiled code is in the
    // image (docker/runtime.Dockerfile), so a start does not parse and compile it again.
    const start = await runInImage(["node", "/app/main.js"], ["NODE_DEBUG_NATIVE=COMPILE_CACHE"]);
    expect(start.output).toContain("cache for file:///app/main.js was accepted");
    // No environment: the app refuses to start, naming what is missing.
    expect(start.output).toContain("TENANT_ID");
    expect(start.statusCode).not.toBe(0);

    const tamper = await runInImage([
      "node",
      "-e",
      [
        "const fs = require('node:fs');",
        "const dir = '/app/.compile-cache';",
        "const entries = fs.readdirSync(dir, { recursive: true }).map((name) => `${dir}/${name}`);",
        "const file = entries.find((entry) => fs.statSync(entry).isFile());",
        "for (const attempt of [() => fs.writeFileSync(file, 'x'), () => fs.writeFileSync(`${dir}/new`, 'x'), () => fs.writeFileSync('/app/main.js', 'x')]) {",
        "  try { attempt(); console.log('WRITABLE'); } catch (error) { console.log(error.code); }",
        "}",
        "console.log('uid ' + process.getuid());",
      ].join("\n"),
    ]);
    expect(tamper.output.match(/EACCES/g)).toHaveLength(3);
    expect(tamper.output).not.toContain("WRITABLE");
    expect(tamper.output).toContain("uid 65534");
  });
});
