import { io, type Socket } from "socket.io-client";
import type { MePayload } from "../contracts/accounts.js";
import type { Permission } from "../contracts/permissions.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../contracts/socket-events.js";
import { ApiError, deleteSession, fetchMe } from "./api/client.js";
import "./components/at-inbox-shell/at-inbox-shell.js";
import { inboxShellText } from "./components/at-inbox-shell/at-inbox-shell.texts.js";
import { connectInbox } from "./components/at-inbox-shell/liveInbox.js";
import "./components/at-login-form/at-login-form.js";
import "./components/at-audit-log/at-audit-log.js";
import "./components/at-password-change/at-password-change.js";
import "./components/at-queue-admin/at-queue-admin.js";
import { queueAdminText } from "./components/at-queue-admin/at-queue-admin.texts.js";
import "./components/at-reports/at-reports.js";
import { reportsText } from "./components/at-reports/at-reports.texts.js";
import "./components/at-role-editor/at-role-editor.js";
import { roleEditorText } from "./components/at-role-editor/at-role-editor.texts.js";
import "./components/at-settings-page/at-settings-page.js";
import "./components/at-user-admin/at-user-admin.js";
import { userAdminText } from "./components/at-user-admin/at-user-admin.texts.js";
import "./components/at-whatsapp-settings-page/at-whatsapp-settings-page.js";
import { currentLocale, whatsappSettingsText } from "./messages.js";

/**
 * The page script behind the one HTML shell: `/login` shows the sign-in form, `/` the inbox,
 * `/settings/*` the settings pages. The server already redirects by session and permission; this
 * handles sessions that end, and one-time passwords, while a page is open.
 */

type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function showLogin(root: HTMLElement): void {
  document.title = "Entrar · atende";
  const form = document.createElement("at-login-form");
  form.addEventListener("at-login-success", () => window.location.assign("/"));
  root.replaceChildren(form);
}

/**
 * The signed-in user, ready to use the page. Otherwise undefined, after sending a signed-out
 * visitor to `/login`, a user without `permission` to the inbox, or showing a user who still has
 * a one-time password the form to choose their own (the server refuses everything else).
 */
async function signedInUser(
  root: HTMLElement,
  permission?: Permission,
): Promise<MePayload | undefined> {
  let user: MePayload;
  try {
    user = await fetchMe();
  } catch (error) {
    if (error instanceof ApiError && error.id === "authentication_required") {
      window.location.replace("/login");
      return undefined;
    }
    throw error;
  }
  if (user.mustChangePassword) {
    document.title = "Escolha sua senha · atende";
    const form = document.createElement("at-password-change");
    form.required = true;
    form.addEventListener("at-password-changed", () => window.location.reload());
    root.replaceChildren(form);
    return undefined;
  }
  if (permission !== undefined && !user.permissions.includes(permission)) {
    window.location.replace("/");
    return undefined;
  }
  return user;
}

/**
 * The page's Socket.IO connection (same origin, session cookie; the server authenticates the
 * handshake). A session that ends — signed out in another tab, disabled — goes to `/login`.
 */
function openSocket(onConnection?: (connected: boolean) => void): AppSocket {
  const socket: AppSocket = io();
  socket.on("connect", () => onConnection?.(true));
  socket.on("disconnect", (reason) => {
    onConnection?.(false);
    if (reason === "io server disconnect") window.location.replace("/login");
  });
  socket.on("connect_error", (error) => {
    onConnection?.(false);
    if (error.message === "unauthorized") window.location.replace("/login");
  });
  return socket;
}

async function showInbox(root: HTMLElement): Promise<void> {
  document.title = `${inboxShellText().heading} · atende`;
  const user = await signedInUser(root);
  if (user === undefined) return;

  const shell = document.createElement("at-inbox-shell");
  shell.user = user;
  root.replaceChildren(shell);

  let live: ReturnType<typeof connectInbox> | undefined;
  const socket = openSocket((connected) => {
    shell.connection = connected ? "connected" : "disconnected";
    // After a drop, the server replays what was missed (or the shell reloads).
    if (connected) live?.connected();
  });
  live = connectInbox(shell, socket);

  shell.addEventListener("at-logout-request", async () => {
    socket.disconnect();
    try {
      await deleteSession();
    } finally {
      window.location.assign("/login");
    }
  });
}

/** `/settings/whatsapp` (permission `settings.whatsapp`). */
async function showWhatsappSettings(root: HTMLElement): Promise<void> {
  document.title = `${whatsappSettingsText().pageTitle} · atende`;
  const user = await signedInUser(root, "settings.whatsapp");
  if (user === undefined) return;
  const page = document.createElement("at-whatsapp-settings-page");
  page.manageTemplates = user.permissions.includes("templates.manage");
  root.replaceChildren(page);
  // Review results arrive while the page is open: Meta's webhook, another admin's sync.
  followAccess(openSocket()).on("template:statusChanged", (event) =>
    page.applyTemplate(event.data.template),
  );
}

/**
 * A settings page shows what the user's permissions allowed when it loaded: when an
 * administrator changes them, load it again (without the permission it goes to `/`; a disabled
 * user's socket is closed, which goes to `/login`).
 */
function followAccess(socket: AppSocket): AppSocket {
  socket.on("access:changed", () => window.location.reload());
  return socket;
}

/** A settings page that is one element in the common frame. */
async function showSettingsSection(
  root: HTMLElement,
  permission: Permission,
  title: string,
  element: "at-user-admin" | "at-queue-admin" | "at-audit-log" | "at-reports" | "at-role-editor",
): Promise<void> {
  document.title = `${title} · atende`;
  if ((await signedInUser(root, permission)) === undefined) return;
  const page = document.createElement("at-settings-page");
  page.heading = title;
  page.append(document.createElement(element));
  root.replaceChildren(page);
  followAccess(openSocket());
}

// The shell says pt-BR; screen readers must know when the interface is in English.
document.documentElement.lang = currentLocale();

const root = document.getElementById("app");
if (root !== null) {
  const path = window.location.pathname;
  if (path === "/login") showLogin(root);
  else if (path === "/settings/whatsapp") void showWhatsappSettings(root);
  else if (path === "/settings/users")
    void showSettingsSection(root, "users.manage", userAdminText().title, "at-user-admin");
  else if (path === "/settings/queues")
    void showSettingsSection(root, "users.manage", queueAdminText().title, "at-queue-admin");
  else if (path === "/settings/audit")
    void showSettingsSection(root, "audit.view", "Registro de atividades", "at-audit-log");
  else if (path === "/settings/reports")
    void showSettingsSection(root, "reports.view", reportsText().title, "at-reports");
  else if (path === "/settings/roles")
    void showSettingsSection(root, "roles.manage", roleEditorText().title, "at-role-editor");
  else void showInbox(root);
}
