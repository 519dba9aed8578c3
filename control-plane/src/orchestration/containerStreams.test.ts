import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { ExecDemuxer } from "./containerStreams.js";

const frame = (stream: 1 | 2, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

async function demux(chunks: Buffer[]): Promise<{ stdout: string; stderr: string }> {
  const demuxer = new ExecDemuxer();
  const out: Buffer[] = [];
  await pipeline(Readable.from(chunks), demuxer, async (source) => {
    for await (const chunk of source) out.push(chunk as Buffer);
  });
  return { stdout: Buffer.concat(out).toString(), stderr: demuxer.stderr };
}

describe("ExecDemuxer", () => {
  it("splits Docker's framed exec stream into stdout (passed on) and stderr (kept)", async () => {
    const bytes = Buffer.concat([
      frame(1, "INSERT 1;\n"),
      frame(2, "warning\n"),
      frame(1, "INSERT 2;\n"),
    ]);
    expect(await demux([bytes])).toEqual({ stdout: "INSERT 1;\nINSERT 2;\n", stderr: "warning\n" });
  });

  it("gives the same result when headers and payloads are cut anywhere", async () => {
    const bytes = Buffer.concat([frame(1, "héllo "), frame(2, "oops"), frame(1, "world")]);
    const oneByteChunks = [...bytes].map((byte) => Buffer.from([byte]));
    expect(await demux(oneByteChunks)).toEqual({ stdout: "héllo world", stderr: "oops" });
  });
});
