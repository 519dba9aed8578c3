import type { Redis } from "ioredis";
import type { Knex } from "knex";
import type { Socket } from "socket.io";
import { z } from "zod";
import type { Permission } from "../../contracts/permissions.js";
import type {
  AckResult,
  ClientToServerEvents,
  ConversationOpen,
  EventsReplay,
  EventsSince,
  ServerToClientEvents,
  SocketData,
  SocketErrorCode,
  TypingStart,
} from "../../contracts/socket-events.js";
import { type AuthContext, resolveSession } from "../auth/resolveSession.js";
import { SESSION_COOKIE } from "../auth/sessionCookie.js";
import type { SessionStore } from "../auth/sessionStore.js";
import { whatsappReadMarker } from "../commands/whatsappReadMarker.js";
import type { Env } from "../env.js";
import { AppError } from "../errors.js";
import type { WhatsappSettingsStore } from "../integrations/whatsapp/WhatsappSettingsStore.js";
import type { Logger } from "../logger.js";
import { readCookie } from "../utils/cookies.js";
import {
  type ConversationViewerScope,
  conversationScopes,
  maySeeConversationScope,
  queueIdsOf,
} from "./conversationAudience.js";
import { EventJournal, JOURNAL_ID_PATTERN } from "./eventJournal.js";
import { conversationRoom } from "./rooms.js";
import { conversationIdsOf, mayReceive, type TenantEventPublisher } from "./tenantEvents.js";

type AppSocket = Socket<
  ClientToServerEvents,
  ServerToClientEvents,
  Record<never, never>,
  SocketData
>;

/** A conversation id as the database stores it (INT UNSIGNED). */
const conversationId = z.number().int().positive().max(4_294_967_295);

const ConversationOpenSchema = z
  .object({ conversationId: conversationId.nullable() })
  .strict() satisfies z.ZodType<ConversationOpen>;

const TypingStartSchema = z.object({ conversationId }).strict() satisfies z.ZodType<TypingStart>;

const EventsSinceSchema = z
  .object({ lastEventId: z.string().max(30).regex(JOURNAL_ID_PATTERN) })
  .strict() satisfies z.ZodType<EventsSince>;

/** At most one typing signal per socket in this window; WhatsApp's indicator lasts 25 s anyway. */
export const TYPING_INTERVAL_MS = 2_000;

/** How many journal entries `events:since` reads at most, and how many it returns at most. */
const REPLAY_SCAN_LIMIT = 1_000;
export const REPLAY_LIMIT = 500;

/** Commands one socket may send per window before answers turn into `rate_limited`. */
const COMMANDS_PER_WINDOW = 30;
const COMMAND_WINDOW_MS = 10_000;

/** What the command handlers need. */
export interface ClientCommandDeps {
  env: Pick<Env, "REDIS_PREFIX" | "TENANT_ID">;
  db: Knex;
  redis: Redis;
  sessions: SessionStore;
  whatsappSettings: WhatsappSettingsStore;
  events: TenantEventPublisher;
  logger: Logger;
}

/** A refusal answered through the ack. */
class CommandRefused extends Error {
  constructor(readonly code: SocketErrorCode) {
    super(code);
  }
}

/** Who sends a command, checked again for each one. */
interface Caller {
  auth: AuthContext;
  viewer: () => Promise<ConversationViewerScope & { permissions: ReadonlySet<Permission> }>;
}

const requireAny = (caller: Caller, ...anyOf: Permission[]) => {
  if (!anyOf.some((permission) => caller.auth.permissions.has(permission))) {
    throw new CommandRefused("forbidden");
  }
};

/**
 * Answers `not_found` unless the caller may see the conversation now (never `forbidden`: a user
 * learns nothing about conversations they may not see).
 */
async function assertVisible(deps: ClientCommandDeps, caller: Caller, id: number): Promise<void> {
  const scope = (await conversationScopes(deps.db, [id])).get(id);
  if (scope === undefined || !maySeeConversationScope(await caller.viewer(), scope)) {
    throw new CommandRefused("not_found");
  }
}

/**
 * Registers the client commands (`ClientToServerEvents`) on one socket. Each one: payload
 * checked by a strict zod schema (`validation_error`), a per-socket rate limit
 * (`rate_limited`), the session checked again (`unauthorized`, and the socket is closed), then
 * the user's current permissions (`forbidden`) and the conversation's visibility (`not_found`).
 * Rooms are only ever chosen by the server. A missing ack is tolerated; unknown event names
 * have no handler and are ignored.
 */
export function registerClientCommands(socket: AppSocket, deps: ClientCommandDeps): void {
  const journal = new EventJournal(deps);
  const sent: number[] = [];
  let lastTypingAt = 0;

  const command = <P, R>(
    name: keyof ClientToServerEvents,
    schema: z.ZodType<P>,
    handler: (payload: P, caller: Caller) => Promise<R>,
  ) => {
    (socket.on as (event: string, listener: (...args: unknown[]) => void) => void)(
      name,
      (payload: unknown, ack: unknown) => {
        const reply = (result: AckResult<R>) => {
          if (typeof ack === "function") (ack as (result: AckResult<R>) => void)(result);
        };
        void run(name, payload, schema, handler)
          .then((result) => {
            reply(result);
            // After the answer, so the client learns why it is being disconnected.
            if ("error" in result && result.error === "unauthorized") {
              setImmediate(() => socket.disconnect(true));
            }
          })
          .catch((error: unknown) => {
            deps.logger.warn({ err: error, command: name }, "socket command not answered");
          });
      },
    );
  };

  const run = async <P, R>(
    name: string,
    payload: unknown,
    schema: z.ZodType<P>,
    handler: (payload: P, caller: Caller) => Promise<R>,
  ): Promise<AckResult<R>> => {
    const now = Date.now();
    while (sent.length > 0 && (sent[0] ?? 0) <= now - COMMAND_WINDOW_MS) sent.shift();
    if (sent.length >= COMMANDS_PER_WINDOW) return { error: "rate_limited" };
    sent.push(now);
    const parsed = schema.safeParse(payload);
    if (!parsed.success) return { error: "validation_error" };
    try {
      const auth = await resolveSession(
        deps,
        readCookie(socket.handshake.headers.cookie, SESSION_COOKIE),
      );
      if (
        auth === undefined ||
        auth.user.id !== socket.data.userId ||
        auth.session.key !== socket.data.sessionKey ||
        auth.user.mustChangePassword
      ) {
        return { error: "unauthorized" };
      }
      let viewer: Awaited<ReturnType<Caller["viewer"]>> | undefined;
      const caller: Caller = {
        auth,
        viewer: async () => {
          viewer ??= {
            userId: auth.user.id,
            permissions: auth.permissions,
            queueIds: await queueIdsOf(deps.db, auth.user.id),
          };
          return viewer;
        },
      };
      return { data: await handler(parsed.data, caller) };
    } catch (error) {
      if (error instanceof CommandRefused) return { error: error.code };
      if (error instanceof AppError && error.id === "not_found") return { error: "not_found" };
      deps.logger.error(
        { err: error, command: name, userId: socket.data.userId },
        "socket command failed",
      );
      return { error: "internal_error" };
    }
  };

  command("conversation:open", ConversationOpenSchema, async ({ conversationId }, caller) => {
    if (conversationId !== null) {
      requireAny(caller, "conversations.viewAssigned", "conversations.viewAll");
      await assertVisible(deps, caller, conversationId);
    }
    // No await from here on: two opens in a row must not leave the socket in two rooms.
    const previous = socket.data.openConversationId;
    if (previous !== null && previous !== conversationId) {
      void socket.leave(conversationRoom(deps.env.TENANT_ID, previous));
    }
    if (conversationId !== null) {
      void socket.join(conversationRoom(deps.env.TENANT_ID, conversationId));
    }
    socket.data.openConversationId = conversationId;
    return null;
  });

  command("typing:start", TypingStartSchema, async ({ conversationId }, caller) => {
    requireAny(caller, "messages.send");
    if (Date.now() - lastTypingAt < TYPING_INTERVAL_MS) throw new CommandRefused("rate_limited");
    await assertVisible(deps, caller, conversationId);
    lastTypingAt = Date.now();
    await deps.events.publish("agent:typing", {
      conversationId,
      agent: { id: caller.auth.user.id, name: caller.auth.user.name },
    });
    // Best effort: the customer's "typing…" is throttled per conversation and needs WhatsApp
    // configured and a customer message to refer to; none of that concerns the agents.
    whatsappReadMarker({
      db: deps.db,
      redis: deps.redis,
      redisPrefix: deps.env.REDIS_PREFIX,
      settings: deps.whatsappSettings,
      auth: caller.auth,
      conversationId,
      typing: true,
    }).catch((error: unknown) => {
      deps.logger.debug({ err: error, conversationId }, "typing indicator not sent to WhatsApp");
    });
    return null;
  });

  command(
    "events:since",
    EventsSinceSchema,
    async ({ lastEventId }, caller): Promise<EventsReplay> => {
      const read = await journal.readAfter(lastEventId, REPLAY_SCAN_LIMIT);
      if (!read.complete) return { events: [], complete: false };
      const entries = read.entries.map((entry) => ({
        event: entry.event,
        envelope: entry.envelope,
        data: entry.envelope.data,
      }));
      const scopes = await conversationScopes(deps.db, conversationIdsOf(entries));
      const viewer = await caller.viewer();
      const visible = entries.filter((entry) => {
        try {
          return mayReceive(viewer, entry.event, entry.data, scopes);
        } catch {
          return false;
        }
      });
      if (visible.length > REPLAY_LIMIT) return { events: [], complete: false };
      return {
        events: visible.map(
          ({ event, envelope }) =>
            ({ name: event, envelope }) as unknown as EventsReplay["events"][number],
        ),
        complete: true,
      };
    },
  );
}
