import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, readFile, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateSecret } from "./generateSecret.js";
import { loadMasterKey } from "./masterKey.js";
import { SecretBox } from "./secretBox.js";

const tempHome = () => mkdtemp(path.join(tmpdir(), "atende-key-"));

describe("SecretBox", () => {
  it("opens what it sealed, and only for the same context", () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal("s3cret", "tenant:acme");
    expect(sealed).not.toContain("s3cret");
    expect(box.open(sealed, "tenant:acme")).toBe("s3cret");
    expect(() => box.open(sealed, "tenant:other")).toThrow(/cannot be decrypted/);
  });

  it("refuses to open with another key", () => {
    const sealed = new SecretBox(randomBytes(32)).seal("s3cret", "c");
    expect(() => new SecretBox(randomBytes(32)).open(sealed, "c")).toThrow(/cannot be decrypted/);
  });
});

describe("loadMasterKey", () => {
  it("creates a key file with mode 0600 on first use and reads the same key afterwards", async () => {
    const home = await tempHome();
    const first = await loadMasterKey({ ATENDE_HOME: home, ATENDE_MASTER_KEY: undefined });
    expect(first.source).toMatchObject({ kind: "file", created: true });
    expect((await stat(path.join(home, "master.key"))).mode & 0o777).toBe(0o600);
    const second = await loadMasterKey({ ATENDE_HOME: home, ATENDE_MASTER_KEY: undefined });
    expect(second.key.equals(first.key)).toBe(true);
    expect(second.source).toMatchObject({ created: false });
  });

  it("refuses a key file that other users can read", async () => {
    const home = await tempHome();
    await writeFile(path.join(home, "master.key"), randomBytes(32).toString("base64"));
    await chmod(path.join(home, "master.key"), 0o644);
    await expect(
      loadMasterKey({ ATENDE_HOME: home, ATENDE_MASTER_KEY: undefined }),
    ).rejects.toMatchObject({
      id: "master_key_invalid",
      hint: expect.stringContaining("chmod 600"),
    });
  });

  it("takes the key from ATENDE_MASTER_KEY and validates its length", async () => {
    const home = await tempHome();
    const key = randomBytes(32);
    const loaded = await loadMasterKey({
      ATENDE_HOME: home,
      ATENDE_MASTER_KEY: key.toString("base64"),
    });
    expect(loaded.key.equals(key)).toBe(true);
    await expect(
      loadMasterKey({ ATENDE_HOME: home, ATENDE_MASTER_KEY: "c2hvcnQ=" }),
    ).rejects.toMatchObject({ id: "master_key_invalid" });
    await expect(readFile(path.join(home, "master.key"))).rejects.toThrow();
  });
});

describe("generateSecret", () => {
  it("makes passwords of the asked length from a shell- and SQL-safe alphabet, different each time", () => {
    const a = generateSecret({ generate: "password", length: 32 });
    expect(a).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(generateSecret({ generate: "password", length: 32 })).not.toBe(a);
    expect(Buffer.from(generateSecret({ generate: "base64", bytes: 32 }), "base64")).toHaveLength(
      32,
    );
  });
});
