#!/usr/bin/env node
// The `atende` command. The CLI runs from its TypeScript sources through tsx, so a checkout
// needs no build step (docs/decisions/0003-node-versions.md).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/index.ts");
process.exitCode = await main(process.argv);
