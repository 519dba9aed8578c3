import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { countTuples, DumpRowCounter } from "./dumpRowCounter.js";

async function count(dump: string, chunkSize = dump.length): Promise<Record<string, number>> {
  const bytes = Buffer.from(dump);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize)
    chunks.push(bytes.subarray(at, at + chunkSize));
  const counter = new DumpRowCounter();
  const passed: Buffer[] = [];
  await pipeline(Readable.from(chunks), counter, async (source) => {
    for await (const chunk of source) passed.push(chunk as Buffer);
  });
  expect(Buffer.concat(passed).equals(bytes)).toBe(true);
  return Object.fromEntries(counter.rows);
}

// The shape MariaDB 10.11's mariadb-dump writes: one tuple per line.
const modern = [
  "CREATE TABLE `users` (",
  "  `id` int NOT NULL,",
  "  PRIMARY KEY (`id`)",
  ") ENGINE=InnoDB;",
  "CREATE TABLE `empty` (`id` int);",
  "INSERT INTO `users` VALUES",
  "(1,'ana','(not a row); nor this'),",
  "(2,'it\\'s (tricky)\\\\',NULL),",
  "(3,0x28293B,'x');",
  "INSERT INTO `users` VALUES",
  "(4,'b','c');",
  "",
].join("\n");

describe("DumpRowCounter", () => {
  it("counts rows per table, including tables with none, ignoring ( and ; inside strings", async () => {
    expect(await count(modern)).toEqual({ users: 4, empty: 0 });
  });

  it("gives the same counts however the stream is cut into chunks", async () => {
    for (const size of [1, 2, 7, 64])
      expect(await count(modern, size)).toEqual({ users: 4, empty: 0 });
  });

  it("counts the older one-line extended INSERT form", async () => {
    const dump =
      "CREATE TABLE `m` (`a` text);\nINSERT INTO `m` VALUES (1,'a'),(2,'(b)'),(3,'c;');\n";
    expect(await count(dump)).toEqual({ m: 3 });
  });

  it("countTuples stops at the statement's end and carries the quote state", () => {
    const line = Buffer.from("(1,'a'),(2,'b');(3)");
    expect(countTuples(line, 0)).toEqual({ count: 2, ended: true, quoted: false });
    expect(countTuples(Buffer.from("x')(1"), 0, true)).toEqual({
      count: 1,
      ended: false,
      quoted: false,
    });
  });
});
