import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * The runtime image must stay lean (style §4): orchestration belongs to the control plane and
 * interaction to the CLI, and the runtime depends on no other workspace.
 */
const forbidden = [
  /^dockerode$/,
  /^inquirer$/,
  /^@inquirer\//,
  /^listr2$/,
  /^execa$/,
  /^commander$/,
  /^@atende\//,
];

describe("runtime/package.json", () => {
  it("depends on nothing that belongs to the control plane, the CLI or another workspace", () => {
    const manifest = JSON.parse(
      readFileSync(new URL("../package.json", import.meta.url), "utf8"),
    ) as {
      dependencies?: Record<string, string>;
    };
    const offending = Object.keys(manifest.dependencies ?? {}).filter((name) =>
      forbidden.some((pattern) => pattern.test(name)),
    );
    expect(offending).toEqual([]);
  });
});
