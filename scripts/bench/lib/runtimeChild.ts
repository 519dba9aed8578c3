/**
 * Entry of a runtime child process forked by the benchmarks: the production bundle, configured
 * by env (`ROLE`, database, Redis prefix…), with the webhook ack probe of `serveRuntime`.
 */
import { serveRuntime } from "./runtimeProcess.js";

await serveRuntime();
