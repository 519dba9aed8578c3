import { describe, expect, it } from "vitest";
import { AtendeError } from "../errors.js";
import {
  imagesAfterUpgrade,
  planServiceChanges,
  runRolling,
  validateReleaseVersion,
} from "./upgradePlan.js";

const roles = [
  { role: "db", image: "mariadb" },
  { role: "redis", image: "redis" },
  { role: "app", image: "runtime" },
];
const current = {
  runtime: "atende/runtime:0.1.0",
  mariadb: "atende/mariadb:0.1.0",
  redis: "atende/redis:0.1.0",
};
const target = {
  runtime: "atende/runtime:0.2.0",
  mariadb: "atende/mariadb:0.2.0",
  redis: "atende/redis:0.2.0",
};

describe("validateReleaseVersion", () => {
  it("accepts image tags and refuses anything else before touching Docker", () => {
    for (const version of ["0.2.0", "0.2.0-rc.1", "1.0.0_build7"])
      expect(() => validateReleaseVersion(version)).not.toThrow();
    for (const version of ["", "-1", "0.2.0 ", "../0.2.0", "a:b", "x".repeat(129)]) {
      expect(() => validateReleaseVersion(version)).toThrow(AtendeError);
    }
  });
});

describe("planServiceChanges", () => {
  it("re-creates only the services whose new tag is a different image", () => {
    const changes = planServiceChanges(roles, current, target, {
      [current.runtime]: "sha256:r1",
      [target.runtime]: "sha256:r2",
      [current.mariadb]: "sha256:m1",
      [target.mariadb]: "sha256:m1",
      [current.redis]: "sha256:x1",
      [target.redis]: "sha256:x2",
    });
    expect(changes.map((change) => [change.role, change.recreate])).toEqual([
      ["db", false],
      ["redis", true],
      ["app", true],
    ]);
  });

  it("treats an image it cannot resolve as different, and an unchanged tag as no change", () => {
    const changes = planServiceChanges(roles, current, { ...current, runtime: target.runtime }, {});
    expect(changes).toEqual([
      { role: "app", image: "runtime", from: current.runtime, to: target.runtime, recreate: true },
    ]);
  });
});

describe("imagesAfterUpgrade", () => {
  it("records the new app image always and a data service's only when it was re-created", () => {
    const changes = planServiceChanges(roles, current, target, {
      [current.mariadb]: "sha256:m1",
      [target.mariadb]: "sha256:m1",
    });
    expect(imagesAfterUpgrade(current, target, changes, "runtime")).toEqual({
      runtime: target.runtime,
      mariadb: current.mariadb,
      redis: target.redis,
    });
  });
});

describe("runRolling", () => {
  it("keeps to the concurrency limit and starts nothing after the first failure", async () => {
    let running = 0;
    let peak = 0;
    const outcomes = await runRolling(["a", "b", "c", "d"], 1, async (item) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running--;
      if (item === "b") throw new Error("b broke");
      return item.toUpperCase();
    });
    expect(peak).toBe(1);
    expect(outcomes.map((outcome) => [outcome.item, outcome.started, outcome.result])).toEqual([
      ["a", true, "A"],
      ["b", true, undefined],
      ["c", false, undefined],
      ["d", false, undefined],
    ]);
    expect(outcomes[1]?.error?.message).toBe("b broke");
  });

  it("runs up to N at once and lets running items finish after a failure", async () => {
    let running = 0;
    let peak = 0;
    const outcomes = await runRolling(["a", "b", "c", "d", "e"], 2, async (item) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, item === "a" ? 5 : 20));
      running--;
      if (item === "a") throw new Error("a broke");
      return item;
    });
    expect(peak).toBe(2);
    expect(outcomes.filter((outcome) => outcome.started).map((outcome) => outcome.item)).toEqual([
      "a",
      "b",
    ]);
    expect(outcomes[1]?.result).toBe("b");
  });

  it("refuses a concurrency below 1", async () => {
    await expect(runRolling(["a"], 0, async () => 1)).rejects.toThrow(AtendeError);
  });
});
