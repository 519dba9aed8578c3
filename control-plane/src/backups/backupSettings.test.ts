import { describe, expect, it } from "vitest";
import { retentionPolicyOf } from "../commands/backupCreator.js";
import { loadConfig } from "../config.js";
import { scheduleOf } from "./backupSchedule.js";
import { offsiteSettings } from "./offsiteStorage.js";
import { DEFAULT_RETENTION } from "./retention.js";

const s3 = {
  ATENDE_BACKUP_S3_ENDPOINT: "http://127.0.0.1:9000",
  ATENDE_BACKUP_S3_BUCKET: "atende-backups",
  ATENDE_BACKUP_S3_ACCESS_KEY_ID: "AKIDEXAMPLE",
  ATENDE_BACKUP_S3_SECRET_ACCESS_KEY: "do-not-print-me",
};

const problemOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return (error as Error).message;
  }
  return "no problem";
};

describe("backup settings", () => {
  it("has the schedule off, no off-site copy and the default retention unless configured", () => {
    const config = loadConfig({});
    expect(scheduleOf(config)).toBeUndefined();
    expect(offsiteSettings(config)).toBeUndefined();
    expect(retentionPolicyOf(config)).toEqual(DEFAULT_RETENTION);
  });

  it("reads the daily time, its time zone and the retention counts", () => {
    const config = loadConfig({
      ATENDE_BACKUP_SCHEDULE: "03:30",
      ATENDE_BACKUP_TIMEZONE: "America/Sao_Paulo",
      ATENDE_BACKUP_KEEP_DAILY: "3",
      ATENDE_BACKUP_KEEP_WEEKLY: "0",
      ATENDE_BACKUP_KEEP_MONTHLY: "12",
    });
    expect(scheduleOf(config)).toEqual({ time: "03:30", timeZone: "America/Sao_Paulo" });
    expect(retentionPolicyOf(config)).toEqual({ daily: 3, weekly: 0, monthly: 12 });
  });

  it("refuses a bad time, time zone or count, naming each setting", () => {
    const message = problemOf({
      ATENDE_BACKUP_SCHEDULE: "3am",
      ATENDE_BACKUP_TIMEZONE: "Mars/Olympus",
      ATENDE_BACKUP_KEEP_DAILY: "-1",
    });
    expect(message).toContain("ATENDE_BACKUP_SCHEDULE: must be a time of day such as 03:00");
    expect(message).toContain("ATENDE_BACKUP_TIMEZONE: must be an IANA time zone");
    expect(message).toContain("ATENDE_BACKUP_KEEP_DAILY");
  });

  it("turns the off-site copy on with a bucket and both keys, normalising the prefix", () => {
    const config = loadConfig({
      ...s3,
      ATENDE_BACKUP_S3_PREFIX: "/prod/atende/",
      ATENDE_BACKUP_S3_FORCE_PATH_STYLE: "true",
    });
    expect(offsiteSettings(config)).toMatchObject({
      bucket: "atende-backups",
      region: "us-east-1",
      prefix: "prod/atende",
      forcePathStyle: true,
      endpoint: "http://127.0.0.1:9000",
    });
  });

  it("lists every missing or invalid S3 setting at once and never prints the secret", () => {
    const missing = problemOf({
      ATENDE_BACKUP_S3_ENDPOINT: "not a url",
      ATENDE_BACKUP_S3_SECRET_ACCESS_KEY: "do-not-print-me",
      ATENDE_BACKUP_S3_FORCE_PATH_STYLE: "maybe",
    });
    expect(missing).toContain("ATENDE_BACKUP_S3_ENDPOINT");
    expect(missing).toContain("ATENDE_BACKUP_S3_BUCKET: required");
    expect(missing).toContain("ATENDE_BACKUP_S3_ACCESS_KEY_ID: required");
    expect(missing).toContain("ATENDE_BACKUP_S3_FORCE_PATH_STYLE: must be true or false");
    expect(missing).not.toContain("do-not-print-me");
    expect(problemOf({ ...s3, ATENDE_BACKUP_S3_BUCKET: "Not_A_Bucket" })).toContain(
      "ATENDE_BACKUP_S3_BUCKET: must be a valid S3 bucket name",
    );
  });
});
