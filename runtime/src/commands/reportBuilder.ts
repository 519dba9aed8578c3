import type { Knex } from "knex";
import type {
  DurationStats,
  ReportFigures,
  ReportQuery,
  ReportRow,
  ReportSummaryPayload,
} from "../../contracts/reports.js";
import { csvLine } from "../utils/csv.js";

/**
 * The time zone report days are counted in. Tenants have no time-zone setting yet; atende's
 * customers are Brazilian and São Paulo has had no daylight saving time since 2019.
 */
export const DEFAULT_REPORT_TIME_ZONE = "America/Sao_Paulo";

/** What the general queue (conversations without a queue) is called in reports. */
export const GENERAL_QUEUE_NAME = "Fila geral";

/** One conversation as the report sees it. */
interface ConversationFacts {
  openedAt: Date;
  /** Seconds from opening to the first reply; undefined when nobody replied yet. */
  firstResponseSeconds: number | undefined;
  automatic: boolean;
  /** Seconds from opening to resolution; undefined unless resolved. */
  resolutionSeconds: number | undefined;
  agentId: number | null;
  agentName: string | null;
  queueId: number | null;
  queueName: string | null;
}

interface ConversationFactRow {
  opened_at: Date;
  resolved_at: Date | null;
  status: string;
  first_response_at: Date | null;
  assigned_user_id: number | null;
  agent_name: string | null;
  queue_id: number | null;
  queue_name: string | null;
  reply_at: Date | null;
  reply_origin: string | null;
}

/**
 * The manager report over a period of calendar days in the tenant's time zone.
 *
 * Semantics (shared by the summary and the CSV):
 * - A conversation belongs to the day (in `timeZone`) of its `opened_at`; only conversations
 *   opened in the period count, whatever happened to them later.
 * - First reply: the first outbound message with `origin` `agent` or `automatic` (or, for
 *   messages stored before origins existed, sent by a user) after the customer's first message.
 *   Conversations without a customer message have no first reply.
 * - First response time: `first_response_at - opened_at`, or, when that column is not set, the
 *   first reply's time minus `opened_at`.
 * - Resolution time: `resolved_at - opened_at`, for conversations whose status is `resolved`.
 * - Per agent: by the agent the conversation is assigned to now (`assigned_user_id`); per queue:
 *   by `queue_id`, the general queue ("Fila geral") for none.
 * - Share answered automatically: conversations whose first reply has `origin = 'automatic'`,
 *   divided by the conversations with a first reply.
 * - Durations are in seconds (millisecond precision); averages and percentiles (p50 = median,
 *   p90) interpolate linearly between ranks. Without data: zero counts and null figures.
 */
export async function reportBuilder(props: {
  db: Knex;
  query: ReportQuery;
  timeZone?: string;
}): Promise<ReportSummaryPayload> {
  const timeZone = props.timeZone ?? DEFAULT_REPORT_TIME_ZONE;
  const { from, to, groupBy } = props.query;
  const facts = await readConversationFacts(
    props.db,
    startOfDay(from, timeZone),
    startOfDay(nextDay(to), timeZone),
  );
  const dayOf = dayFormatter(timeZone);

  const groups = new Map<
    string,
    { row: Omit<ReportRow, keyof ReportFigures>; facts: ConversationFacts[] }
  >();
  if (groupBy === "day") {
    for (let day = from; day <= to; day = nextDay(day))
      groups.set(day, { row: { day }, facts: [] });
  }
  for (const fact of facts) {
    const day = dayOf.format(fact.openedAt);
    const agent = { id: fact.agentId, name: fact.agentId === null ? null : fact.agentName };
    const queue = { id: fact.queueId, name: fact.queueName ?? GENERAL_QUEUE_NAME };
    const [key, row] =
      groupBy === "day"
        ? [day, { day }]
        : groupBy === "agent"
          ? [`${fact.agentId}`, { agent }]
          : groupBy === "queue"
            ? [`${fact.queueId}`, { queue }]
            : [`${day}:${fact.agentId}`, { day, agent }];
    let group = groups.get(key);
    if (group === undefined) {
      group = { row, facts: [] };
      groups.set(key, group);
    }
    group.facts.push(fact);
  }

  const rows: ReportRow[] = [...groups.values()].map((group) => ({
    ...group.row,
    ...figuresOf(group.facts),
  }));
  if (groupBy !== "day") {
    const label = (row: ReportRow) => row.agent?.name ?? row.queue?.name ?? "";
    rows.sort(
      (left, right) =>
        (left.day ?? "").localeCompare(right.day ?? "") ||
        right.conversations - left.conversations ||
        label(left).localeCompare(label(right), "pt-BR"),
    );
  }
  return { from, to, timeZone, groupBy, totals: figuresOf(facts), rows };
}

/** The CSV columns of each grouping, then the figures (English snake_case headers). */
const GROUP_COLUMNS = {
  day: ["day"],
  agent: ["agent_id", "agent_name"],
  queue: ["queue_id", "queue_name"],
  day_agent: ["day", "agent_id", "agent_name"],
} as const;

const FIGURE_COLUMNS = [
  "conversations",
  "first_response_count",
  "first_response_avg_seconds",
  "first_response_p50_seconds",
  "first_response_p90_seconds",
  "resolved_count",
  "resolution_avg_seconds",
  "resolution_p50_seconds",
  "resolution_p90_seconds",
  "answered_automatically",
  "automatic_share",
];

/**
 * The report as CSV: a byte-order mark (spreadsheets then read accented names as UTF-8), a
 * header line, one line per row of the summary. Cells go through `csvCell`, which defuses
 * spreadsheet formulas in agent and queue names.
 */
export function reportCsv(report: ReportSummaryPayload): string {
  const groupColumns = GROUP_COLUMNS[report.groupBy];
  const lines = [csvLine([...groupColumns, ...FIGURE_COLUMNS])];
  for (const row of report.rows) {
    const cells: Record<(typeof groupColumns)[number], unknown> = {
      day: row.day,
      agent_id: row.agent?.id,
      agent_name: row.agent?.name,
      queue_id: row.queue?.id,
      queue_name: row.queue?.name,
    };
    const groupCells = groupColumns.map((column) => cells[column]);
    lines.push(
      csvLine([
        ...groupCells,
        row.conversations,
        row.firstResponse.count,
        row.firstResponse.averageSeconds,
        row.firstResponse.p50Seconds,
        row.firstResponse.p90Seconds,
        row.resolution.count,
        row.resolution.averageSeconds,
        row.resolution.p50Seconds,
        row.resolution.p90Seconds,
        row.answeredAutomatically,
        row.automaticShare,
      ]),
    );
  }
  return `\uFEFF${lines.join("")}`;
}

async function readConversationFacts(
  db: Knex,
  fromUtc: Date,
  toUtc: Date,
): Promise<ConversationFacts[]> {
  // One correlated lookup per conversation, both on the (conversation_id, id) index.
  const [rows] = (await db.raw(
    `SELECT c.opened_at, c.resolved_at, c.status, c.first_response_at, c.assigned_user_id,
            u.name AS agent_name, c.queue_id, q.name AS queue_name,
            reply.sent_at AS reply_at, reply.origin AS reply_origin
       FROM (
         SELECT conv.*,
                (SELECT m.id FROM messages m
                  WHERE m.conversation_id = conv.id
                    AND m.direction = 'outbound'
                    AND (m.origin IN ('agent', 'automatic')
                         OR (m.origin IS NULL AND m.sent_by_user_id IS NOT NULL))
                    AND m.id > (SELECT MIN(i.id) FROM messages i
                                 WHERE i.conversation_id = conv.id AND i.direction = 'inbound')
                  ORDER BY m.id LIMIT 1) AS reply_id
           FROM conversations conv
          WHERE conv.opened_at >= ? AND conv.opened_at < ?
       ) c
       LEFT JOIN messages reply ON reply.id = c.reply_id
       LEFT JOIN users u ON u.id = c.assigned_user_id
       LEFT JOIN queues q ON q.id = c.queue_id`,
    [fromUtc, toUtc],
  )) as [ConversationFactRow[]];

  return rows.map((row) => {
    const opened = row.opened_at.getTime();
    const repliedAt = row.first_response_at ?? row.reply_at;
    return {
      openedAt: row.opened_at,
      firstResponseSeconds:
        repliedAt === null ? undefined : Math.max(0, repliedAt.getTime() - opened) / 1000,
      automatic: row.reply_origin === "automatic",
      resolutionSeconds:
        row.status === "resolved" && row.resolved_at !== null
          ? Math.max(0, row.resolved_at.getTime() - opened) / 1000
          : undefined,
      agentId: row.assigned_user_id,
      agentName: row.agent_name,
      queueId: row.queue_id,
      queueName: row.queue_name,
    };
  });
}

function figuresOf(facts: readonly ConversationFacts[]): ReportFigures {
  const responses = facts.flatMap((fact) =>
    fact.firstResponseSeconds === undefined ? [] : [fact.firstResponseSeconds],
  );
  const resolutions = facts.flatMap((fact) =>
    fact.resolutionSeconds === undefined ? [] : [fact.resolutionSeconds],
  );
  const automatic = facts.filter(
    (fact) => fact.firstResponseSeconds !== undefined && fact.automatic,
  ).length;
  return {
    conversations: facts.length,
    firstResponse: durationStats(responses),
    resolution: durationStats(resolutions),
    answeredAutomatically: automatic,
    automaticShare: responses.length === 0 ? null : round(automatic / responses.length, 4),
  };
}

/** Count, average, median and 90th percentile of durations in seconds. */
export function durationStats(samples: readonly number[]): DurationStats {
  if (samples.length === 0)
    return { count: 0, averageSeconds: null, p50Seconds: null, p90Seconds: null };
  const sorted = [...samples].sort((left, right) => left - right);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    averageSeconds: round(sum / sorted.length, 3),
    p50Seconds: round(percentile(sorted, 0.5), 3),
    p90Seconds: round(percentile(sorted, 0.9), 3),
  };
}

/** Percentile of sorted values, interpolating linearly between the two nearest ranks. */
function percentile(sorted: readonly number[], fraction: number): number {
  const position = fraction * (sorted.length - 1);
  const lower = Math.floor(position);
  const low = sorted[lower] ?? 0;
  const high = sorted[Math.ceil(position)] ?? low;
  return low + (high - low) * (position - lower);
}

const round = (value: number, digits: number) => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};

/** `YYYY-MM-DD` of the following calendar day. */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** Formats an instant as its `YYYY-MM-DD` calendar day in `timeZone`. */
function dayFormatter(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
}

/** How far `timeZone`'s wall clock is ahead of UTC at `instant`, in ms. */
function zoneOffsetMs(timeZone: string, instant: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    })
      .formatToParts(new Date(instant))
      .map((part) => [part.type, Number(part.value)]),
  );
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a calendar day starts in `timeZone` (second pass settles DST changes). */
export function startOfDay(day: string, timeZone: string): Date {
  const wallMidnight = Date.parse(`${day}T00:00:00Z`);
  const guess = wallMidnight - zoneOffsetMs(timeZone, wallMidnight);
  return new Date(wallMidnight - zoneOffsetMs(timeZone, guess));
}
