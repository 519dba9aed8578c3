import { io, type Socket } from "socket.io-client";
import type { MePayload } from "../contracts/accounts.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../contracts/socket-events.js";
import { ApiError, deleteSession, fetchMe } from "./api/client.js";
import "./components/at-inbox-shell/at-inbox-shell.js";
import "./components/at-login-form/at-login-form.js";
import "./components/at-audit-log/at-audit-log.js";
import "./components/at-password-change/at-password-change.js";
import "./components/at-settings-page/at-settings-page.js";
import "./components/at-user-admin/at-user-admin.js";
import { userAdminText } from "./components/at-user-admin/at-user-admin.texts.js";
import "./components/at-whatsapp-settings-page/at-whatsapp-settings-page.js";
import { currentLocale, whatsappSettingsText } from "./messages.js";

/**
 * The page script behind the one HTML shell: `/login` shows the sign-in form, `/` the inbox.
 * The server already redirects by session; this handles sessions that end while a page is open.
 */

function showLogin(root: HTMLElement): void {
  document.title = "Entrar · atende";
  const form = document.createElement("at-login-form");
  form.addEventListener("at-login-success", () => window.location.assign("/"));
  root.replaceChildren(form);
}

async function showInbox(root: HTMLElement): Promise<void> {
  document.title = "Conversas · atende";
  let user: Awaited<ReturnType<typeof fetchMe>>;
  try {
    user = await fetchMe();
  } catch (error) {
    if (error instanceof ApiError && error.id === "authentication_required") {
      window.location.replace("/login");
      return;
    }
    throw error;
  }

  if (user.mustChangePassword) {
    // The server refuses everything else until then (403 password_change_required).
    document.title = "Escolha sua senha · atende";
    const form = document.createElement("at-password-change");
    form.required = true;
    form.addEventListener("at-password-changed", () => window.location.reload());
    root.replaceChildren(form);
    return;
  }

  const shell = document.createElement("at-inbox-shell");
  shell.user = user;
  root.replaceChildren(shell);

  // Same origin, session cookie sent automatically; the server authenticates the handshake.
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();
  let connectedBefore = false;
  socket.on("connect", () => {
    shell.connection = "connected";
    // After a drop, reload what the lists show: events sent meanwhile are not replayed.
    if (connectedBefore) void shell.refresh();
    connectedBefore = true;
  });
  socket.on("message:created", (event) => shell.applyMessageCreated(event.data));
  socket.on("message:statusChanged", (event) => shell.applyStatusChanged(event.data));
  socket.on("disconnect", (reason) => {
    shell.connection = "disconnected";
    // The server disconnects a session's sockets when it ends (e.g. signed out in another tab).
    if (reason === "io server disconnect") window.location.replace("/login");
  });
  socket.on("connect_error", (error) => {
    shell.connection = "disconnected";
    if (error.message === "unauthorized") window.location.replace("/login");
  });

  shell.addEventListener("at-logout-request", async () => {
    socket.disconnect();
    try {
      await deleteSession();
    } finally {
      window.location.assign("/login");
    }
  });
}

/** `/settings/whatsapp`: admins only (the server redirects others; this covers a role change). */
async function showWhatsappSettings(root: HTMLElement): Promise<void> {
  document.title = `${whatsappSettingsText().pageTitle} · atende`;
  let user: Awaited<ReturnType<typeof fetchMe>>;
  try {
    user = await fetchMe();
  } catch (error) {
    if (error instanceof ApiError && error.id === "authentication_required") {
      window.location.replace("/login");
      return;
    }
    throw error;
  }
  if (!user.permissions.includes("settings.whatsapp")) {
    window.location.replace("/");
    return;
  }
  const page = document.createElement("at-whatsapp-settings-page");
  page.manageTemplates = user.permissions.includes("templates.manage");
  root.replaceChildren(page);
  // Review results arrive while the page is open: Meta's webhook, another admin's sync.
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io();
  socket.on("template:statusChanged", (event) => page.applyTemplate(event.data.template));
  socket.on("disconnect", (reason) => {
    if (reason === "io server disconnect") window.location.replace("/login");
  });
  socket.on("connect_error", (error) => {
    if (error.message === "unauthorized") window.location.replace("/login");
  });
}

/** `/settings/users`: user management (permission `users.manage`). */
async function showUserAdmin(root: HTMLElement): Promise<void> {
  document.title = "Usuários · atende";
  const user = await signedInUser();
  if (user === undefined) return;
  if (!user.permissions.includes("users.manage")) {
    window.location.replace("/");
    return;
  }
  const page = document.createElement("at-settings-page");
  page.heading = userAdminText().title;
  page.append(document.createElement("at-user-admin"));
  root.replaceChildren(page);
}

/** The signed-in user, or undefined after sending a signed-out visitor to `/login`. */
async function signedInUser(): Promise<MePayload | undefined> {
  try {
    return await fetchMe();
  } catch (error) {
    if (error instanceof ApiError && error.id === "authentication_required") {
      window.location.replace("/login");
      return undefined;
    }
    throw error;
  }
}

// The shell says pt-BR; screen readers must know when the interface is in English.
document.documentElement.lang = currentLocale();
/** `/settings/audit`: the activity log (permission `audit.view`). */
async function showAuditLog(root: HTMLElement): Promise<void> {
  document.title = "Registro de atividades · atende";
  const user = await signedInUser();
  if (user === undefined) return;
  if (!user.permissions.includes("audit.view")) {
    window.location.replace("/");
    return;
  }
  const page = document.createElement("at-settings-page");
  page.heading = "Registro de atividades";
  page.append(document.createElement("at-audit-log"));
  root.replaceChildren(page);
}

const root = document.getElementById("app");
if (root !== null) {
  if (window.location.pathname === "/login") showLogin(root);
  else if (window.location.pathname === "/settings/whatsapp") void showWhatsappSettings(root);
  else if (window.location.pathname === "/settings/users") void showUserAdmin(root);
  else if (window.location.pathname === "/settings/audit") void showAuditLog(root);
  else void showInbox(root);
}
