import type { Redis } from "ioredis";
import type { Env } from "../env.js";

/** How many events the journal keeps (approximately: Redis trims whole nodes). */
export const JOURNAL_MAX_LENGTH = 10_000;

/**
 * How long the journal keeps an event: enough for a network drop or a laptop lid closed for a
 * while (longer absences reload), and short enough that a message's text does not linger in
 * Redis long after a contact is erased.
 */
export const JOURNAL_MAX_AGE_MS = 2 * 60 * 60_000;

/** A journal entry id (`<ms>-<seq>`, Redis stream ids): ordered, so "since" is a range. */
export const JOURNAL_ID_PATTERN = /^[0-9]{1,16}-[0-9]{1,10}$/;

/**
 * Appends to the stream and publishes in one round trip, so the event's id is the entry id the
 * journal holds and live events and a replay agree on order. The envelope's JSON is split around
 * its `id` value (ARGV[2] .. id .. ARGV[3]); the stream keeps it with an empty id, filled in when
 * read.
 */
const APPEND_AND_PUBLISH = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2] .. ARGV[3])
redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[4])
redis.call('PUBLISH', KEYS[2], ARGV[2] .. id .. ARGV[3])
return id
`;

/** One event read back from the journal. */
export interface JournalEntry {
  event: string;
  envelope: { id: string; data: unknown } & Record<string, unknown>;
}

/** What `EventJournal.readAfter` found. */
export interface JournalRead {
  /** Entries after the id, oldest first (at most `limit`). */
  entries: JournalEntry[];
  /** False when the id is not in the journal (never was, or trimmed) or more than `limit` followed. */
  complete: boolean;
}

/**
 * The tenant's recent events, a Redis stream (`<prefix>:tenant-events:journal`) trimmed to about
 * `JOURNAL_MAX_LENGTH` entries and `JOURNAL_MAX_AGE_MS`, so a browser back from a network drop can ask what it missed.
 * It holds what sockets receive, nothing more (no secrets, only what the inbox shows).
 */
export class EventJournal {
  private readonly redis: Redis;
  private readonly key: string;

  constructor(options: { redis: Redis; env: Pick<Env, "REDIS_PREFIX"> }) {
    this.redis = options.redis;
    this.key = `${options.env.REDIS_PREFIX}:tenant-events:journal`;
  }

  /**
   * Journals `{ event, envelope }` and publishes it on `channel` with the entry id as
   * `envelope.id`.
   * @param head the JSON up to the id's opening quote; `tail` the rest from its closing quote
   * @returns the id
   */
  async appendAndPublish(channel: string, head: string, tail: string): Promise<string> {
    return (await this.redis.eval(
      APPEND_AND_PUBLISH,
      2,
      this.key,
      channel,
      JOURNAL_MAX_LENGTH,
      head,
      tail,
      String(Date.now() - JOURNAL_MAX_AGE_MS),
    )) as string;
  }

  /**
   * The entries after `lastId`, oldest first. Reads `limit + 1` to tell "exactly `limit`" from
   * "more"; an id the journal does not hold (any more) makes the read incomplete.
   */
  async readAfter(lastId: string, limit: number): Promise<JournalRead> {
    if (!JOURNAL_ID_PATTERN.test(lastId)) return { entries: [], complete: false };
    const [known, after] = (await this.redis
      .multi()
      .xrange(this.key, lastId, lastId, "COUNT", 1)
      .xrange(this.key, `(${lastId}`, "+", "COUNT", limit + 1)
      .exec()) as [
      [Error | null, Array<[string, string[]]>],
      [Error | null, Array<[string, string[]]>],
    ];
    if (known[0] !== null) throw known[0];
    if (after[0] !== null) throw after[0];
    if (known[1].length === 0 || after[1].length > limit) return { entries: [], complete: false };
    const entries: JournalEntry[] = [];
    for (const [id, fields] of after[1]) {
      const text = fields[1];
      if (fields[0] !== "m" || text === undefined) continue;
      const entry = JSON.parse(text) as JournalEntry;
      entry.envelope.id = id;
      entries.push(entry);
    }
    return { entries, complete: true };
  }

  /**
   * Deletes every entry about the given conversations (an erasure, LGPD: the journal holds
   * message texts and contact names for up to `JOURNAL_MAX_AGE_MS`). `conversationOf` says which
   * conversation an entry is about (undefined for none). The journal is bounded, so is this scan.
   * @returns how many entries were deleted
   */
  async forgetConversations(
    conversationIds: readonly number[],
    conversationOf: (entry: JournalEntry) => number | undefined,
  ): Promise<number> {
    if (conversationIds.length === 0) return 0;
    const wanted = new Set(conversationIds);
    let removed = 0;
    let start = "-";
    for (;;) {
      const page = (await this.redis.xrange(this.key, start, "+", "COUNT", 1_000)) as Array<
        [string, string[]]
      >;
      const doomed: string[] = [];
      for (const [id, fields] of page) {
        const text = fields[1];
        if (fields[0] !== "m" || text === undefined) continue;
        try {
          const conversationId = conversationOf(JSON.parse(text) as JournalEntry);
          if (conversationId !== undefined && wanted.has(conversationId)) doomed.push(id);
        } catch {
          // An entry that does not parse names nobody the relay could show.
        }
      }
      if (doomed.length > 0) removed += await this.redis.xdel(this.key, ...doomed);
      const last = page.at(-1);
      if (page.length < 1_000 || last === undefined) return removed;
      start = `(${last[0]}`;
    }
  }
}
