import { defineConfig } from "vitest/config";

/**
 * Three suites, one command each (see README):
 * - unit: pure code, no network, seconds;
 * - integration: the runtime and the control plane against the real MariaDB and Redis;
 * - e2e: real Docker engine and real tenant container sets (slow, run serially).
 */
export default defineConfig({
  test: {
    globals: false,
    projects: [
      {
        test: {
          name: "unit",
          include: ["{runtime,control-plane,cli,emulators,scripts}/**/*.test.ts"],
          exclude: ["**/node_modules/**", "**/*.int.test.ts", "**/*.e2e.test.ts"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["{runtime,control-plane,cli,emulators}/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["{runtime,control-plane,cli,emulators}/**/*.e2e.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
