import path from "node:path";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { UserRole } from "../../contracts/api.js";
import { whatsappTemplateSyncer } from "../commands/whatsappTemplateSyncer.js";
import type { User } from "../models/User.js";
import { signIn as signInApi } from "../test/api.js";
import { screenshotDir } from "../test/browser.js";
import {
  type BrowserStack,
  rgbPng,
  signInOnPage,
  startBrowserStack,
} from "../test/browserSession.js";
import { type CuttableProxy, startCuttableProxy } from "../test/cuttableProxy.js";
import { buildUser } from "../test/factories.js";
import type { TestComponents } from "../test/support.js";
import type { WhatsappStack } from "../test/whatsappStack.js";

// Issue 4's story in one go, in Debian's Chromium against a runtime (web + workers) on the real
// MariaDB and Redis and the Cloud API emulator: a customer writes, agent A answers with text, a
// photo and (once the 24-hour window closed) a template, the phone receives them and reads them,
// agent B sees A take the conversation live, and a dropped connection loses nothing.
let harness: BrowserStack;
let components: TestComponents;
let stack: WhatsappStack;
let proxy: CuttableProxy;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];

beforeAll(async () => {
  harness = await startBrowserStack("journey", {
    mediaDir: true,
    stack: { mediaRetryDelayMs: 50, sendRetryDelayMs: 50 },
  });
  ({ components, stack, browser } = harness);
  proxy = await startCuttableProxy(stack.server.url);
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await proxy?.close();
  await harness?.close();
});

/** Signs in through the cuttable proxy, in a browser context of its own. */
async function signIn(role: UserRole, name: string): Promise<{ page: Page; user: User }> {
  const { user, password } = await buildUser(components.db, { role, name });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`${name}: ${error.message}`));
  await signInOnPage(page, proxy.url, { email: user.email, password });
  return { page, user };
}

/** A session cookie for API calls made beside the browsers. */
async function apiSession(role: UserRole, name: string): Promise<string> {
  return (await signInApi(stack.server.url, components.db, { role, name })).cookie;
}

/** The conversation a customer message was stored in (found by its wamid). */
async function conversationOfMessage(wamid: string): Promise<number> {
  let id: number | undefined;
  await expect
    .poll(
      async () => {
        id = (await components.db("messages").where({ wamid }).first("conversation_id"))
          ?.conversation_id;
        return id;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  return Number(id);
}

/** The browser's `getComputedStyle`, typed here (the runtime's TypeScript has no DOM library). */
interface Styled {
  getComputedStyle(element: unknown): { color: string };
}

const row = (page: Page, name: string) => page.getByRole("button", { name: new RegExp(name) });
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotDir, `journey-${name}.png`) });

async function openConversation(page: Page, name: string): Promise<Locator> {
  await row(page, name).waitFor({ timeout: 15_000 });
  await row(page, name).click();
  const thread = page.getByRole("region", { name: `Conversa com ${name}` });
  await thread.waitFor();
  return thread;
}

/** A small, valid RGB PNG (a flat colour). */
const smallPng = (width: number, height: number): Buffer =>
  rgbPng(width, height, () => Buffer.alloc(width * 3, 0x3c));

describe("the inbox journey of issue 4", () => {
  it("takes a customer from first message to template and through a dropped connection without losing anything", async () => {
    const { control } = stack.emulator;
    control.addTemplate(
      {
        name: "jornada_retomada",
        language: "pt_BR",
        category: "UTILITY",
        components: [{ type: "BODY", text: "Olá! Podemos continuar seu atendimento?" }],
      },
      "APPROVED",
    );
    await whatsappTemplateSyncer({
      db: components.db,
      store: stack.server.whatsappSettings,
      actorUserId: null,
    });
    const ana = await signIn("agent", "Ana Jornada");
    const bruno = await signIn("agent", "Bruno Jornada");
    const phone = `55219${String(Date.now() % 1e8).padStart(8, "0")}`;
    const customer = { from: phone, name: "Carla Jornada" };

    // 1. The customer writes: the conversation appears in both agents' lists, live.
    const first = control.receive({ ...customer, type: "text", text: "Oi, meu pedido não chegou" });
    const conversationId = await conversationOfMessage(first.wamid);
    await row(ana.page, "Carla Jornada").waitFor({ timeout: 15_000 });
    await row(bruno.page, "Carla Jornada").waitFor({ timeout: 15_000 });
    await expect.poll(() => row(ana.page, "Carla Jornada").textContent()).toContain("Na fila");
    const brunoThread = await openConversation(bruno.page, "Carla Jornada");
    await brunoThread.getByText("Oi, meu pedido não chegou").waitFor();
    const thread = await openConversation(ana.page, "Carla Jornada");
    await thread.getByText("Oi, meu pedido não chegou").waitFor();
    await shot(ana.page, "1-new-message");

    // 2. Ana takes it; Bruno, who had it open, is told live and it leaves his list.
    await ana.page.getByRole("button", { name: "Assumir", exact: true }).click();
    await ana.page.locator("at-conversation-actions").getByText("Com você").waitFor();
    await bruno.page.getByText("Ana Jornada assumiu esta conversa.").waitFor({ timeout: 10_000 });
    await expect.poll(() => row(bruno.page, "Carla Jornada").count(), { timeout: 10_000 }).toBe(0);
    await shot(bruno.page, "4-assigned-live");

    // 3. Ana answers with text and a photo; the phone receives both.
    const composer = thread.getByLabel("Mensagem", { exact: true });
    await composer.fill("Oi Carla! Vou verificar agora.");
    await composer.press("Enter");
    await thread.getByText("Oi Carla! Vou verificar agora.").waitFor();
    const photo = smallPng(64, 48);
    const chooser = ana.page.waitForEvent("filechooser");
    await thread.getByRole("button", { name: "Anexar arquivo" }).click();
    await (await chooser).setFiles({
      name: "comprovante.png",
      mimeType: "image/png",
      buffer: photo,
    });
    await thread.getByText("comprovante.png pronto para enviar.").waitFor({ timeout: 15_000 });
    await thread.getByLabel("Legenda (opcional)").fill("Comprovante de envio");
    await thread.getByRole("button", { name: "Enviar arquivo" }).click();
    const sentPhoto = thread.locator("at-message-bubble[direction=outbound] img");
    await sentPhoto.waitFor({ timeout: 10_000 });
    await expect
      .poll(() =>
        sentPhoto.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(64);
    await expect
      .poll(() => control.messages({ to: phone }).map((message) => message.type), {
        timeout: 30_000,
      })
      .toEqual(["text", "image"]);
    const [text, image] = control.messages({ to: phone });
    expect(JSON.stringify(text)).toContain("Oi Carla! Vou verificar agora.");
    expect(JSON.stringify(image)).toContain("Comprovante de envio");
    await shot(ana.page, "2-answered");

    // 4. The phone reports sent, then delivered, then read: the ticks follow, read in blue.
    const outbound = thread.locator("at-message-bubble[direction=outbound]");
    const ticksOf = (bubble: Locator) => bubble.locator(".bubble__ticks");
    const textBubble = outbound.filter({ hasText: "Oi Carla! Vou verificar agora." });
    const photoBubble = outbound.filter({ hasText: "Comprovante de envio" });
    for (const sent of [text, image]) {
      control.reportStatuses(String(sent?.wamid), { statuses: ["sent"] });
    }
    await expect
      .poll(
        async () =>
          (
            await components
              .db("messages")
              .whereIn("wamid", [String(text?.wamid), String(image?.wamid)])
              .pluck("status")
          ).join(),
        { timeout: 10_000 },
      )
      .toBe("sent,sent");
    expect(await ticksOf(textBubble).getAttribute("aria-label")).toBe("Enviada");
    expect(await ticksOf(textBubble).textContent()).toBe("✓");
    for (const sent of [text, image]) {
      control.reportStatuses(String(sent?.wamid), { statuses: ["delivered"] });
    }
    for (const bubble of [textBubble, photoBubble]) {
      await expect
        .poll(() => ticksOf(bubble).getAttribute("aria-label"), { timeout: 10_000 })
        .toBe("Entregue");
      expect(await ticksOf(bubble).textContent()).toBe("✓✓");
    }
    const grey = await ticksOf(textBubble).evaluate(
      (element) => (globalThis as unknown as Styled).getComputedStyle(element).color,
    );
    expect(control.readAll(phone).read).toHaveLength(2);
    for (const bubble of [textBubble, photoBubble]) {
      await expect
        .poll(() => ticksOf(bubble).getAttribute("aria-label"), { timeout: 10_000 })
        .toBe("Lida");
      await expect
        .poll(() =>
          ticksOf(bubble).evaluate(
            (element) => (globalThis as unknown as Styled).getComputedStyle(element).color,
          ),
        )
        .toBe("rgb(52, 183, 241)");
    }
    expect(grey).not.toBe("rgb(52, 183, 241)");
    await shot(ana.page, "3-read-ticks");

    // 5. A day passes without the customer writing: the composer becomes the template picker.
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) });
    await ana.page.reload();
    await ana.page.getByText("Conectado").waitFor();
    const closed = await openConversation(ana.page, "Carla Jornada");
    const select = closed.getByLabel("Modelo", { exact: true });
    await select.waitFor();
    expect(await closed.getByLabel("Mensagem", { exact: true }).count()).toBe(0);
    await select.selectOption({ label: "jornada_retomada (pt_BR)" });
    await closed
      .getByRole("region", { name: "Prévia" })
      .getByText("Olá! Podemos continuar seu atendimento?")
      .waitFor();
    await shot(ana.page, "5-template-composer");
    await closed.getByRole("button", { name: "Enviar modelo" }).click();
    await closed.getByText("Modelo jornada_retomada enviado.").waitFor();
    await expect
      .poll(() => control.messages({ to: phone, type: "template" }).length, { timeout: 10_000 })
      .toBe(1);
    expect(JSON.stringify(control.messages({ to: phone, type: "template" })[0])).toContain(
      "jornada_retomada",
    );
    await closed.getByText("Modelo jornada_retomada", { exact: true }).waitFor();

    // 6. Ana's network drops; meanwhile the customer writes twice and a manager leaves a note.
    await ana.page.evaluate(() => {
      (globalThis as unknown as { __marker: number }).__marker = 1;
    });
    proxy.cut();
    await ana.page.getByText("Sem conexão").waitFor({ timeout: 10_000 });
    const later = [
      control.receive({ ...customer, type: "text", text: "Recebi o modelo, pode falar" }),
      control.receive({ ...customer, type: "text", text: "Estou disponível até as 18h" }),
    ];
    for (const message of later) {
      expect(await conversationOfMessage(message.wamid)).toBe(conversationId);
    }
    const managerCookie = await apiSession("manager", "Gina Jornada");
    const note = await fetch(`${stack.server.url}/api/conversations/${conversationId}/notes`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: managerCookie },
      body: JSON.stringify({ body: "Cliente prioritária: pedido 4521" }),
    });
    expect(note.status).toBe(201);
    expect(await closed.getByText("Recebi o modelo, pode falar").count()).toBe(0);

    // The connection comes back by itself: everything missed is there, with no page load.
    proxy.restore();
    await ana.page.getByText("Conectado").waitFor({ timeout: 20_000 });
    await closed.getByText("Recebi o modelo, pode falar").waitFor({ timeout: 10_000 });
    await closed.getByText("Estou disponível até as 18h").waitFor({ timeout: 10_000 });
    await ana.page
      .locator("at-conversation-notes")
      .getByText("Cliente prioritária: pedido 4521")
      .waitFor({ timeout: 10_000 });
    expect(
      await ana.page.evaluate(() => (globalThis as unknown as { __marker?: number }).__marker),
    ).toBe(1);
    // Each message once, none doubled by the replay.
    expect(await closed.getByText("Estou disponível até as 18h").count()).toBe(1);
    // The customer wrote: the window is open again and so is the free-text composer.
    await closed.getByLabel("Mensagem", { exact: true }).waitFor({ timeout: 10_000 });
    await shot(ana.page, "6-after-reconnect");
    expect(problems).toEqual([]);
  }, 150_000);
});
