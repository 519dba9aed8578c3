import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import { ActivityLogEntry } from "../models/ActivityLogEntry.js";
import { createTestComponents, type TestComponents } from "../test/support.js";
import { whatsappSettingsCommand } from "./whatsappSettings.js";

let components: TestComponents;
const TOKEN = "EAAG-access-token-0123456789";
const APP_SECRET = "app-secret-abcdef0123456789";

beforeAll(async () => {
  components = await createTestComponents();
});

afterAll(async () => {
  await components?.cleanup();
});

beforeEach(async () => {
  await components.db("whatsapp_settings").delete();
});

async function run(input: unknown, args: string[] = []) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await whatsappSettingsCommand(
    args,
    components,
    typeof input === "string" ? input : JSON.stringify(input),
    { stdout: (line) => stdout.push(line), stderr: (line) => stderr.push(line) },
  );
  return { code, stdout, stderr, printed: JSON.parse(stdout.at(-1) ?? "null") };
}

const stored = () =>
  new WhatsappSettingsStore({
    db: components.db,
    encryptionKey: components.env.ENCRYPTION_KEY,
  }).load();

describe("whatsapp-settings", () => {
  it("saves the fields read from standard input, secrets sealed, and prints them masked", async () => {
    const { code, stdout, stderr, printed } = await run({
      phoneNumberId: "1234567890",
      wabaId: "987654321",
      accessToken: TOKEN,
    });
    expect(code, stderr.join("\n")).toBe(0);
    expect(stdout).toHaveLength(1);
    expect(stdout[0]).not.toContain(TOKEN);
    expect(printed.changed).toEqual(["phoneNumberId", "wabaId", "accessToken"]);
    expect(printed.settings).toMatchObject({
      phoneNumberId: "1234567890",
      wabaId: "987654321",
      graphApiBaseUrl: "https://graph.facebook.com",
      graphApiVersion: "v23.0",
      accessToken: `••••${TOKEN.slice(-4)}`,
      appSecret: null,
    });
    expect(await stored()).toMatchObject({ accessToken: TOKEN, phoneNumberId: "1234567890" });
    const row = await components.db("whatsapp_settings").first();
    expect(JSON.stringify(row)).not.toContain(TOKEN);
    const log = await ActivityLogEntry.query(components.db);
    expect(JSON.stringify(log)).not.toContain(TOKEN);
  });

  it("merges a change with what is stored, keeping the other fields and secrets", async () => {
    await run({ phoneNumberId: "111", wabaId: "222", accessToken: TOKEN, appSecret: APP_SECRET });
    const { code, printed } = await run({ graphApiVersion: "v24.0" });
    expect(code).toBe(0);
    expect(printed.changed).toEqual(["graphApiVersion"]);
    expect(await stored()).toMatchObject({
      phoneNumberId: "111",
      wabaId: "222",
      graphApiVersion: "v24.0",
      accessToken: TOKEN,
      appSecret: APP_SECRET,
    });
  });

  it("clears a secret and returns a URL or version to its default when given null", async () => {
    await run({
      phoneNumberId: "111",
      wabaId: "222",
      graphApiBaseUrl: "http://127.0.0.1:9999",
      accessToken: TOKEN,
      appSecret: APP_SECRET,
    });
    const { code, printed } = await run({ appSecret: null, graphApiBaseUrl: null });
    expect(code).toBe(0);
    expect(printed.changed.sort()).toEqual(["appSecret", "graphApiBaseUrl"]);
    expect(await stored()).toMatchObject({
      graphApiBaseUrl: "https://graph.facebook.com",
      accessToken: TOKEN,
      appSecret: null,
    });
  });

  it("reports nothing changed when the values are already stored", async () => {
    await run({ phoneNumberId: "111", wabaId: "222", accessToken: TOKEN });
    const { code, printed } = await run({ accessToken: TOKEN, phoneNumberId: "111" });
    expect(code).toBe(0);
    expect(printed.changed).toEqual([]);
  });

  it("shows the settings masked with --show, changing nothing", async () => {
    await run({ phoneNumberId: "111", wabaId: "222", verifyToken: "verify-0123456789" });
    const { code, printed, stdout } = await run(undefined, ["--show"]);
    expect(code).toBe(0);
    expect(stdout[0]).not.toContain("verify-0123456789");
    expect(printed).toMatchObject({ changed: [], settings: { verifyToken: "••••6789" } });
  });

  it("exits 2 naming each bad field, without echoing a secret, and saves nothing", async () => {
    await run({ phoneNumberId: "111", wabaId: "222" });
    const { code, printed, stderr } = await run({
      phoneNumberId: "12ab",
      graphApiVersion: "23",
      accessToken: "has spaces in it",
    });
    expect(code).toBe(2);
    expect(printed.errors.map((error: { field: string }) => error.field)).toEqual([
      "phoneNumberId",
      "graphApiVersion",
      "accessToken",
    ]);
    expect(stderr.join("\n")).not.toContain("has spaces");
    expect(await stored()).toMatchObject({ phoneNumberId: "111", accessToken: null });
  });

  it("accepts one field at a time in any order, showing an id not given yet as unset", async () => {
    const first = await run({ accessToken: TOKEN });
    expect(first.code, first.stderr.join("\n")).toBe(0);
    expect(first.printed.settings).toMatchObject({ phoneNumberId: null, wabaId: null });
    expect((await run({ wabaId: "222" })).printed.settings).toMatchObject({
      phoneNumberId: null,
      wabaId: "222",
    });
    expect((await run({ phoneNumberId: "111" })).code).toBe(0);
    expect(await stored()).toMatchObject({
      phoneNumberId: "111",
      wabaId: "222",
      accessToken: TOKEN,
    });
  });

  it("exits 2 for unknown fields, invalid JSON, empty input and removing an id", async () => {
    expect((await run({ colour: "blue" })).printed.errors[0]).toMatchObject({ field: "colour" });
    expect((await run("{not json")).code).toBe(2);
    expect((await run("")).code).toBe(2);
    await run({ phoneNumberId: "111", wabaId: "222" });
    const removed = await run({ wabaId: null });
    expect(removed.code).toBe(2);
    expect(removed.printed.errors[0]).toMatchObject({ field: "wabaId" });
    expect((await run({}, ["--bogus"])).code).toBe(2);
  });
});
