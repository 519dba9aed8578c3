import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../config.js";
import { buildRecipe, OFFLINE_BASE_IMAGE } from "./imageBuilder.js";
import { IMAGE_NAMES } from "./imageCatalog.js";

describe("buildRecipe", () => {
  it.each(["normal", "offline"] as const)(
    "passes, in %s mode, only build args each Dockerfile declares, from paths that exist",
    async (mode) => {
      for (const name of IMAGE_NAMES) {
        const recipe = buildRecipe(name, mode, "atende/node-dist:22.0.0");
        const dockerfile = await readFile(path.join(repositoryRoot, recipe.dockerfile), "utf8");
        for (const arg of Object.keys(recipe.buildArgs))
          expect(dockerfile).toMatch(new RegExp(`^ARG ${arg}(=|$)`, "m"));
        for (const entry of recipe.context.filter((entry) => !entry.startsWith("runtime/dist"))) {
          await expect(stat(path.join(repositoryRoot, entry))).resolves.toBeTruthy();
        }
      }
    },
  );

  it("uses upstream images in normal mode and nothing from a registry offline", () => {
    const normal = IMAGE_NAMES.flatMap((name) =>
      Object.values(buildRecipe(name, "normal", "node:22-bookworm-slim").buildArgs),
    );
    expect(normal).toEqual(
      expect.arrayContaining([
        "debian:bookworm-slim",
        "node:22-bookworm-slim",
        "redis:7.2-bookworm",
      ]),
    );
    const offline = IMAGE_NAMES.flatMap((name) =>
      Object.entries(buildRecipe(name, "offline", "atende/node-dist:22.0.0").buildArgs),
    );
    for (const [arg, value] of offline) {
      if (arg !== "VERSION") expect(value.startsWith("atende/")).toBe(true);
    }
    expect(offline).toContainEqual(["BASE", OFFLINE_BASE_IMAGE]);
  });
});
