import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { whatsappTemplateSyncer } from "../commands/whatsappTemplateSyncer.js";
import { TenantEventPublisher } from "../sockets/tenantEvents.js";
import { screenshotDir } from "../test/browser.js";
import {
  type BrowserStack,
  openConversation,
  openSignedInPage,
  rgbPng,
  startBrowserStack,
} from "../test/browserSession.js";
import { buildUser, insertContact, phoneHash } from "../test/factories.js";
import type { TestComponents } from "../test/support.js";
import type { WhatsappStack } from "../test/whatsappStack.js";

// The open conversation in Debian's Chromium against an in-process runtime (web + workers) and
// the Cloud API emulator: every kind of customer message rendered (media through the
// visibility-checked media route), files sent with progress, refused files explained, the
// template picker when the window is closed, markup inert, and history paged back in place.
let harness: BrowserStack;
let mediaDir: string;
let components: TestComponents;
let stack: WhatsappStack;
let browser: Browser;
const problems: string[] = [];
let customerSeq = 0;

beforeAll(async () => {
  harness = await startBrowserStack("thread", {
    mediaDir: true,
    stack: { mediaRetryDelayMs: 50, sendRetryDelayMs: 50 },
  });
  ({ components, stack, browser } = harness);
  mediaDir = harness.mediaDir as string;
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

function newWaId(): string {
  customerSeq += 1;
  return `55219${String(Date.now() % 1e4).padStart(4, "0")}${String(customerSeq).padStart(4, "0")}`;
}

async function signIn(): Promise<Page> {
  const { user, password } = await buildUser(components.db, { role: "agent", name: "Ana Agente" });
  return openSignedInPage(
    browser,
    stack.server.url,
    { email: user.email, password },
    {
      viewport: { width: 1280, height: 900 },
      problems,
    },
  );
}

async function conversationOf(waId: string): Promise<number> {
  let id: number | undefined;
  await expect
    .poll(
      async () => {
        const row = await components
          .db("conversations as c")
          .join("contacts as ct", "ct.id", "c.contact_id")
          .where("ct.wa_id_hash", phoneHash(components.env, waId))
          .first("c.id");
        id = row?.id;
        return id;
      },
      { timeout: 15_000 },
    )
    .toBeDefined();
  return id as number;
}

/** Waits until every media file of the conversation is downloaded (or given up). */
async function mediaSettled(conversationId: number, count: number): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          await components
            .db("message_media as mm")
            .join("messages as m", "m.id", "mm.message_id")
            .where("m.conversation_id", conversationId)
            .whereIn("mm.status", ["ready", "failed"])
            .count({ n: "*" })
        )[0]?.n,
      { timeout: 20_000 },
    )
    .toBe(count);
}

/** A real RGB PNG of noise (incompressible, so big enough to watch the upload progress). */
const noisePng = (width: number, height: number): Buffer =>
  rgbPng(width, height, () => randomBytes(width * 3));

async function chooseFile(
  page: Page,
  thread: Locator,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  const chooser = page.waitForEvent("filechooser");
  await thread.getByRole("button", { name: "Anexar arquivo" }).click();
  await (await chooser).setFiles(file);
}

describe("the message thread in a real browser", () => {
  it("renders every kind of customer message, with media through the media route", async () => {
    const page = await signIn();
    const { control } = stack.emulator;
    const from = newWaId();
    const customer = { from, name: "Rita Cliente" };
    const question = control.receive({
      ...customer,
      type: "text",
      text: "Qual o horário de hoje?",
    });
    control.receive({ ...customer, type: "image", image: { caption: "Foto do produto" } });
    control.receive({ ...customer, type: "audio", audio: { voice: true } });
    control.receive({ ...customer, type: "video", video: { caption: "Vídeo da entrega" } });
    control.receive({ ...customer, type: "sticker", sticker: {} });
    control.receive({
      ...customer,
      type: "document",
      document: { filename: "nota-fiscal.pdf", caption: "Segue a nota" },
    });
    control.receive({
      ...customer,
      type: "location",
      location: {
        latitude: -23.55052,
        longitude: -46.633308,
        name: "Loja Centro",
        address: "Praça da Sé, São Paulo",
        url: "javascript:window.__pwned = 4",
      },
    });
    control.receive({
      ...customer,
      type: "contacts",
      contacts: [
        {
          name: { formatted_name: "Carlos Souza", first_name: "Carlos" },
          phones: [{ phone: "+55 11 98888-7777", wa_id: "5511988887777", type: "CELL" }],
          emails: [{ email: "carlos@example.com", type: "WORK" }],
        },
      ],
    });
    control.receive({
      ...customer,
      type: "interactive",
      interactive: {
        type: "button_reply",
        button_reply: { id: "confirm", title: "Sim, confirmar" },
      },
    });
    control.receive({
      ...customer,
      type: "reaction",
      reaction: { message_id: question.wamid, emoji: "👍" },
    });
    control.receive({
      ...customer,
      type: "text",
      text: "Isso mesmo, até as 18h?",
      context: { id: question.wamid },
    });
    control.receive({
      ...customer,
      type: "text",
      text: '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">',
    });
    const conversationId = await conversationOf(from);
    await mediaSettled(conversationId, 5);
    await expect
      .poll(
        async () =>
          (
            await components
              .db("messages")
              .where({ conversation_id: conversationId })
              .count({ n: "*" })
          )[0]?.n,
        { timeout: 15_000 },
      )
      .toBe(12);

    const thread = await openConversation(page, "Rita Cliente");
    // Image: a lazy preview loaded through the media route, opening full size.
    const image = thread.getByRole("img", { name: "Foto: Foto do produto" });
    await image.waitFor();
    await expect
      .poll(() =>
        image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1);
    expect(await image.getAttribute("loading")).toBe("lazy");
    const imageLink = thread.getByRole("link", {
      name: "Abrir em tamanho real: Foto: Foto do produto",
    });
    expect(await imageLink.getAttribute("href")).toMatch(
      new RegExp(`^/api/conversations/${conversationId}/messages/\\d+/media$`),
    );
    // Full size in a tab of its own, where the sandboxing headers still let the image show.
    const popup = page.waitForEvent("popup");
    await imageLink.click();
    const full = await popup;
    await full.waitForLoadState();
    await expect
      .poll(() =>
        full
          .locator("img")
          .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(1);
    await full.close();
    // Audio player and document download, both from the media route.
    const audio = thread.locator("audio");
    expect(await audio.getAttribute("src")).toMatch(/\/media$/);
    expect(
      await audio.evaluate((element) => (element as unknown as { controls: boolean }).controls),
    ).toBe(true);
    const video = thread.locator("video");
    expect(await video.getAttribute("src")).toMatch(/\/media$/);
    expect(await video.getAttribute("aria-label")).toBe("Vídeo da entrega");
    await thread.getByRole("img", { name: "Figurinha" }).waitFor();
    const documentLink = thread.getByRole("link", { name: /nota-fiscal\.pdf/ });
    const documentHref = (await documentLink.getAttribute("href")) ?? "";
    expect(
      await page.evaluate(async (url) => {
        const response = await fetch(url);
        return [response.status, response.headers.get("content-disposition")];
      }, documentHref),
    ).toEqual([200, expect.stringMatching(/^attachment; filename="nota-fiscal\.pdf"/)]);
    await thread.getByText("Segue a nota").waitFor();
    // Location: names as text and a map link with the coordinates.
    await thread.getByText("Loja Centro").waitFor();
    await thread.getByText("Praça da Sé, São Paulo").waitFor();
    const map = thread.getByRole("link", { name: /Abrir no mapa/ });
    expect(await map.getAttribute("href")).toBe(
      "https://www.openstreetmap.org/?mlat=-23.55052&mlon=-46.633308#map=16/-23.55052/-46.633308",
    );
    // Contacts, the tapped button, the quote and the reaction on the message it refers to.
    await thread.getByText("Carlos Souza").waitFor();
    await thread.getByText("+55 11 98888-7777").waitFor();
    await thread.getByText("carlos@example.com").waitFor();
    await thread.getByText("Sim, confirmar").waitFor();
    const quote = thread.locator("blockquote");
    await expect.poll(() => quote.textContent()).toContain("Qual o horário de hoje?");
    const questionBubble = thread
      .locator("at-message-bubble")
      .filter({ has: page.locator(".bubble__text", { hasText: /^Qual o horário de hoje\?$/ }) });
    await questionBubble.getByLabel("Reações: 👍").waitFor();
    expect(await thread.getByText("Reagiu com 👍").count()).toBe(0);
    // Markup stays text and never runs.
    await thread
      .getByText('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">')
      .waitFor();
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await thread.locator("script").count()).toBe(0);
    // Only http(s) addresses become links.
    const hrefs = await thread
      .locator("a")
      .evaluateAll((links) => links.map((link) => link.getAttribute("href") ?? ""));
    expect(hrefs.length).toBeGreaterThan(3);
    for (const href of hrefs) expect(href).toMatch(/^(https:\/\/|\/api\/conversations\/)/);
    // Tall enough to show every kind at once.
    await page.setViewportSize({ width: 1280, height: 2200 });
    await thread
      .getByText("Qual o horário de hoje?", { exact: true })
      .first()
      .scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotDir, "thread-media.png") });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("sends a photo with the attach button, showing progress, and explains refused files", async () => {
    const page = await signIn();
    const { control } = stack.emulator;
    const from = newWaId();
    control.receive({ from, name: "Bruno Cliente", type: "text", text: "Pode mandar a foto?" });
    const conversationId = await conversationOf(from);
    const thread = await openConversation(page, "Bruno Cliente");
    await thread.getByText(/^Janela fecha em 23 h 5\d min$/).waitFor();
    const uploadsBefore = Number(
      (await components.db("outbound_media").count({ n: "*" }))[0]?.n ?? 0,
    );

    // A type WhatsApp does not carry and a photo over 5 MB never leave the browser.
    await chooseFile(page, thread, {
      name: "programa.exe",
      mimeType: "application/x-msdownload",
      buffer: Buffer.from("MZ"),
    });
    await thread
      .getByRole("alert")
      .getByText(/O WhatsApp não aceita o arquivo programa\.exe/)
      .waitFor();
    await chooseFile(page, thread, {
      name: "enorme.png",
      mimeType: "image/png",
      buffer: Buffer.alloc(5 * 1024 * 1024 + 1),
    });
    await thread
      .getByRole("alert")
      .getByText(/enorme\.png é grande demais: o limite .* 5 MB/)
      .waitFor();
    expect(Number((await components.db("outbound_media").count({ n: "*" }))[0]?.n)).toBe(
      uploadsBefore,
    );
    // A file whose bytes are not what its type says is refused by the server, and the reason shown.
    await chooseFile(page, thread, {
      name: "falsa.png",
      mimeType: "image/png",
      buffer: Buffer.from("<html><script>alert(1)</script></html>"),
    });
    await thread
      .getByRole("alert")
      .getByText(/Não foi possível enviar o arquivo: .*not image\/png/)
      .waitFor();

    // A real photo, uploaded slowly enough to watch the progress bar.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 300 * 1024,
    });
    const photo = noisePng(420, 420);
    await chooseFile(page, thread, { name: "produto.png", mimeType: "image/png", buffer: photo });
    const progress = thread.getByRole("progressbar", { name: "Progresso do envio de produto.png" });
    await progress.waitFor({ timeout: 5_000 });
    await thread.getByText("Enviando produto.png…").waitFor();
    await page.screenshot({ path: path.join(screenshotDir, "thread-upload.png") });
    const sendFile = thread.getByRole("button", { name: "Enviar arquivo" });
    // Nothing goes to the customer before the file is stored and the agent confirms.
    expect(await sendFile.isDisabled()).toBe(true);
    await thread.getByText("produto.png pronto para enviar.").waitFor({ timeout: 20_000 });
    await progress.waitFor({ state: "detached" });
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    expect(control.messages({ to: from, type: "image" })).toHaveLength(0);
    await thread.getByLabel("Legenda (opcional)").fill("Seu pedido <i>novo</i>");
    await sendFile.click();
    const sent = thread.locator("at-message-bubble[direction=outbound] img");
    await sent.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => sent.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(420);
    await thread.getByText("Seu pedido <i>novo</i>").waitFor();
    await expect
      .poll(() => control.messages({ to: from, type: "image" }).length, { timeout: 10_000 })
      .toBe(1);
    expect(JSON.stringify(control.messages({ to: from, type: "image" })[0])).toContain(
      "Seu pedido <i>novo</i>",
    );
    const stored = await components
      .db("outbound_media")
      .where({ conversation_id: conversationId })
      .first("size_bytes");
    expect(Number(stored?.size_bytes)).toBe(photo.length);
    // A file attached by mistake can be discarded: the customer never gets it.
    await chooseFile(page, thread, { name: "errada.png", mimeType: "image/png", buffer: photo });
    await thread.getByText("errada.png pronto para enviar.").waitFor();
    await thread.getByRole("button", { name: "Descartar" }).click();
    await thread.getByText("errada.png pronto para enviar.").waitFor({ state: "detached" });
    expect(
      await components
        .db("messages")
        .where({ conversation_id: conversationId, type: "image" })
        .count({ n: "*" }),
    ).toEqual([{ n: 1 }]);

    // Text: capped at WhatsApp's 4096 characters with a counter; markup stays text.
    const composer = thread.getByLabel("Mensagem", { exact: true });
    await composer.fill("x".repeat(5000));
    expect((await composer.inputValue()).length).toBe(4096);
    await thread.getByText("4096/4096 caracteres").waitFor();
    await composer.fill("<b>oi</b><script>window.__pwned = 3</script>");
    await composer.press("Enter");
    await thread.getByText("<b>oi</b><script>window.__pwned = 3</script>").waitFor();
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("offers quick replies after / and fills the composer with the chosen one", async () => {
    await components.db("quick_replies").insert([
      { shortcut: "horario", title: "Horário", body: "Abrimos das 8h às 18h." },
      { shortcut: "pix", title: "Chave Pix", body: "Nossa chave Pix é <b>loja@example.com</b>." },
    ]);
    const page = await signIn();
    const from = newWaId();
    stack.emulator.control.receive({ from, name: "Clara Cliente", type: "text", text: "Oi" });
    const thread = await openConversation(page, "Clara Cliente");
    const composer = thread.getByLabel("Mensagem", { exact: true });
    await composer.pressSequentially("/p");
    const menu = thread.getByRole("listbox", { name: "Respostas rápidas" });
    await menu.getByRole("option", { name: /\/pix/ }).waitFor();
    expect(await menu.getByRole("option").count()).toBe(1);
    await composer.press("Enter");
    expect(await composer.inputValue()).toBe("Nossa chave Pix é <b>loja@example.com</b>.");
    await menu.waitFor({ state: "detached" });
    await composer.press("Enter");
    await thread.getByText("Nossa chave Pix é <b>loja@example.com</b>.").waitFor();
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("replaces free text with the template picker when the window is closed, and sends the template", async () => {
    const { control } = stack.emulator;
    control.addTemplate(
      {
        name: "pedido_pronto",
        language: "pt_BR",
        category: "UTILITY",
        components: [
          {
            type: "BODY",
            text: "Olá {{1}}, seu pedido {{2}} está pronto para retirada.",
            example: { body_text: [["Ana", "123"]] },
          },
          { type: "FOOTER", text: "Loja Exemplo" },
        ],
      },
      "APPROVED",
    );
    control.addTemplate(
      {
        name: "promo_rascunho",
        language: "pt_BR",
        category: "MARKETING",
        components: [{ type: "BODY", text: "Promoção em análise" }],
      },
      "PENDING",
    );
    await whatsappTemplateSyncer({
      db: components.db,
      store: stack.server.whatsappSettings,
      actorUserId: null,
    });
    const from = newWaId();
    control.receive({ from, name: "Davi Cliente", type: "text", text: "Oi, tudo bem?" });
    const conversationId = await conversationOf(from);
    await components
      .db("conversations")
      .where({ id: conversationId })
      .update({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) });

    const page = await signIn();
    const thread = await openConversation(page, "Davi Cliente");
    expect(await thread.getByLabel("Mensagem", { exact: true }).count()).toBe(0);
    const select = thread.getByLabel("Modelo", { exact: true });
    // Only approved templates are offered (the emulator's WABA has a few of its own).
    const offered = (await select.locator("option").allTextContents()).map((text) => text.trim());
    expect(offered).toContain("pedido_pronto (pt_BR)");
    expect(offered.join()).not.toContain("promo_rascunho");
    await select.selectOption({ label: "pedido_pronto (pt_BR)" });
    const send = thread.getByRole("button", { name: "Enviar modelo" });
    expect(await send.isDisabled()).toBe(true);
    await thread.getByLabel("Variável {{1}} do corpo").fill("Davi");
    expect(await send.isDisabled()).toBe(true);
    await thread.getByLabel("Variável {{2}} do corpo").fill("<b>4521</b>");
    const preview = thread.getByRole("region", { name: "Prévia" });
    await expect
      .poll(() => preview.textContent())
      .toContain("Olá Davi, seu pedido <b>4521</b> está pronto para retirada.");
    expect(await send.isDisabled()).toBe(false);
    await page.screenshot({ path: path.join(screenshotDir, "thread-template-picker.png") });
    await send.click();
    await thread.getByText("Modelo pedido_pronto enviado.").waitFor();
    await expect
      .poll(() => control.messages({ to: from, type: "template" }).length, { timeout: 10_000 })
      .toBe(1);
    const [sent] = control.messages({ to: from, type: "template" });
    expect(JSON.stringify(sent)).toContain("<b>4521</b>");
    await thread.getByText("Modelo pedido_pronto", { exact: true }).waitFor();
    // The bubble reads as the customer's phone does: the filled text (markup shown as text).
    const bubble = thread.locator("at-message-bubble").filter({ hasText: "Modelo pedido_pronto" });
    await bubble.getByText("Olá Davi, seu pedido <b>4521</b> está pronto para retirada.").waitFor();
    await bubble.getByText("Loja Exemplo").waitFor();
    expect(await bubble.locator("b").count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("shows media still downloading, a download that failed and a failed send with its reason, in both languages", async () => {
    const waId = newWaId();
    const { db } = components;
    const contactId = await insertContact(db, components.env, { waId, name: "Elisa Estados" });
    const now = Date.now();
    const [conversationId] = await db("conversations").insert({
      contact_id: contactId,
      status: "open",
      opened_at: new Date(now - 600_000),
      last_message_at: new Date(now - 60_000),
      last_inbound_at: new Date(now - 120_000),
    });
    const media = async (kind: string, status: "pending" | "failed", at: number) => {
      const [messageId] = await db("messages").insert({
        conversation_id: conversationId,
        direction: "inbound",
        wamid: `wamid.state.${waId}.${kind}`,
        type: kind,
        content: JSON.stringify({
          type: kind,
          caption: null,
          mimeType: null,
          filename: kind === "document" ? "contrato.pdf" : null,
          voice: false,
          animated: false,
        }),
        text: "",
        sent_at: new Date(at),
      });
      await db("message_media").insert({
        message_id: messageId,
        whatsapp_media_id: `media-${waId}-${kind}`,
        kind,
        status,
        error: status === "failed" ? "media_not_found" : null,
      });
    };
    await media("image", "pending", now - 300_000);
    await media("document", "failed", now - 240_000);
    await db("messages").insert({
      conversation_id: conversationId,
      direction: "outbound",
      wamid: null,
      type: "text",
      content: JSON.stringify({ type: "text", body: "Vou verificar." }),
      text: "Vou verificar.",
      status: "failed",
      failure_reason: "window_closed",
      sent_at: new Date(now - 60_000),
    });

    const page = await signIn();
    let thread = await openConversation(page, "Elisa Estados");
    await thread.getByText("Baixando…").waitFor();
    await thread.getByText("Não foi possível baixar o arquivo (media_not_found).").waitFor();
    await thread.getByLabel("Falhou").waitFor();
    await thread.getByText(/Já se passaram mais de 24 horas/).waitFor();
    // A file not downloaded yet is never requested.
    expect(await thread.locator("img, audio, video").count()).toBe(0);

    await page.goto(`${stack.server.url}/?lang=en`);
    await page.getByRole("button", { name: /Elisa Estados/ }).click();
    thread = page.getByRole("region", { name: "Conversation with Elisa Estados" });
    await thread.getByText("Downloading…").waitFor();
    await thread.getByText("The file could not be downloaded (media_not_found).").waitFor();
    await thread.getByLabel("Failed").waitFor();
    await thread.getByText(/More than 24 hours have passed/).waitFor();
    await thread.getByText(/^Window closes in 2[23] h \d+ min$/).waitFor();
    await thread.getByLabel("Message", { exact: true }).waitFor();

    // The download finishes while the thread is open: the worker announces it, and the photo
    // replaces "Downloading…" with no reload (the thread does not ask the server again).
    const png = noisePng(2, 2);
    await mkdir(path.join(mediaDir, "inbound"), { recursive: true });
    await writeFile(path.join(mediaDir, "inbound", `${waId}.png`), png);
    await db("message_media")
      .where({ whatsapp_media_id: `media-${waId}-image` })
      .update({
        status: "ready",
        path: path.join("inbound", `${waId}.png`),
        mime_type: "image/png",
        size_bytes: png.length,
      });
    const ready = await db("message_media")
      .where({ whatsapp_media_id: `media-${waId}-image` })
      .first("message_id");
    await new TenantEventPublisher({ redis: components.redis, env: components.env }).publish(
      "message:mediaChanged",
      {
        messageId: Number(ready.message_id),
        conversationId: Number(conversationId),
        media: { status: "ready", mimeType: "image/png", sizeBytes: png.length, error: null },
      },
    );
    const photo = thread.getByRole("img", { name: "Photo sent" });
    await photo.waitFor({ timeout: 10_000 });
    await expect
      .poll(() =>
        photo.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
      )
      .toBe(2);
    await thread.getByText("Downloading…").waitFor({ state: "detached" });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);

  it("pages back through history in place and does not jump when a message arrives meanwhile", async () => {
    const waId = newWaId();
    const { db } = components;
    const contactId = await insertContact(db, components.env, { waId, name: "Paulo Histórico" });
    const now = Date.now();
    const [conversationId] = await db("conversations").insert({
      contact_id: contactId,
      status: "open",
      opened_at: new Date(now - 3_600_000),
      last_message_at: new Date(now - 60_000),
      last_inbound_at: new Date(now - 60_000),
    });
    await db("messages").insert(
      Array.from({ length: 70 }, (_, index) => ({
        conversation_id: conversationId,
        direction: "inbound",
        wamid: `wamid.history.${waId}.${index + 1}`,
        type: "text",
        content: JSON.stringify({ type: "text", body: `Histórico ${index + 1}` }),
        text: `Histórico ${index + 1}`,
        sent_at: new Date(now - 3_600_000 + index * 1000),
      })),
    );
    const page = await signIn();
    const thread = await openConversation(page, "Paulo Histórico");
    await thread.getByText("Histórico 70", { exact: true }).waitFor();
    expect(await thread.getByText("Histórico 1", { exact: true }).count()).toBe(0);
    const scroller = thread.locator(".thread__scroller");
    // At the bottom when opened.
    expect(
      await scroller.evaluate((element) =>
        Math.round(element.scrollHeight - element.scrollTop - element.clientHeight),
      ),
    ).toBeLessThan(5);

    const anchor = thread.getByText("Histórico 21", { exact: true });
    await scroller.evaluate((element) => {
      element.scrollTop = 0;
    });
    await thread.getByText("Histórico 1", { exact: true }).waitFor();
    // The reader still sees what they saw before the earlier page went in above.
    const anchorTop = await anchor.evaluate((element) => element.getBoundingClientRect().top);
    const scrollerTop = await scroller.evaluate((element) => element.getBoundingClientRect().top);
    expect(anchorTop - scrollerTop).toBeGreaterThanOrEqual(0);
    expect(anchorTop - scrollerTop).toBeLessThan(200);
    await scroller.evaluate((element) => {
      element.scrollTop = 0;
    });
    await thread.getByText("Início da conversa").waitFor();

    // A new message while reading old ones: a button, no jump.
    const topBefore = await scroller.evaluate((element) => element.scrollTop);
    stack.emulator.control.receive({
      from: waId,
      name: "Paulo Histórico",
      type: "text",
      text: "Ainda está aí?",
    });
    const unseen = thread.getByRole("button", { name: "1 nova mensagem ↓" });
    await unseen.waitFor({ timeout: 15_000 });
    expect(await scroller.evaluate((element) => element.scrollTop)).toBe(topBefore);
    await unseen.click();
    await thread.getByText("Ainda está aí?").waitFor();
    await expect
      .poll(() =>
        scroller.evaluate((element) =>
          Math.round(element.scrollHeight - element.scrollTop - element.clientHeight),
        ),
      )
      .toBeLessThan(5);
    await unseen.waitFor({ state: "detached" });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
});
