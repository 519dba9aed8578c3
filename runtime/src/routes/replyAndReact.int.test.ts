import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotDir } from "../test/browser.js";
import {
  type BrowserStack,
  openConversation,
  openSignedInPage,
  startBrowserStack,
} from "../test/browserSession.js";
import { buildUser } from "../test/factories.js";
import type { TestComponents } from "../test/support.js";
import type { WhatsappStack } from "../test/whatsappStack.js";

// Replying to a customer's message with a quote and reacting to it with an emoji, in Debian's
// Chromium against an in-process runtime (web + workers) and the Cloud API emulator: what the
// emulated phone receives is checked, and so is the keyboard path.
let harness: BrowserStack;
let components: TestComponents;
let stack: WhatsappStack;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  harness = await startBrowserStack("reply", { stack: { sendRetryDelayMs: 50 } });
  ({ components, stack, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(): Promise<Page> {
  const { user, password } = await buildUser(components.db, {
    role: "agent",
    name: "Ana Resposta",
  });
  return openSignedInPage(
    browser,
    stack.server.url,
    { email: user.email, password },
    { viewport: { width: 1280, height: 900 }, problems },
  );
}

/** Whether `locator`'s element has the keyboard focus (inside its own shadow root). */
function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => {
    const root = (
      element as unknown as { getRootNode(): { activeElement: unknown } }
    ).getRootNode();
    return root.activeElement === element;
  });
}

/** What the emulated phone received, as the Graph API request body. */
interface SentBody {
  context?: { message_id?: string };
  text?: { body?: string };
  reaction?: { message_id?: string; emoji?: string };
}

describe("replying and reacting from the inbox", () => {
  it("sends a reply quoting the customer's message and a 👍 reaction to it, from the keyboard too", async () => {
    const page = await signIn();
    const { control } = stack.emulator;
    const phone = `55218${String(Date.now() % 1e8).padStart(8, "0")}`;
    const question = control.receive({
      from: phone,
      name: "Lia Resposta",
      type: "text",
      text: "Vocês entregam no sábado?",
    });
    const thread = await openConversation(page, "Lia Resposta");
    const questionBubble = thread
      .locator("at-message-bubble[direction=inbound]")
      .filter({ hasText: "Vocês entregam no sábado?" });
    await questionBubble.waitFor({ timeout: 15_000 });
    const reply = questionBubble.getByRole("button", { name: "Responder", exact: true });
    const quotePreview = thread.getByRole("group", { name: "Respondendo a Lia Resposta" });
    const composer = thread.getByLabel("Mensagem", { exact: true });

    // Keyboard: from the message, Tab reaches "Responder"; Enter quotes it; Escape cancels.
    await questionBubble.locator(".bubble__text").click();
    await page.keyboard.press("Tab");
    expect(await isFocused(reply)).toBe(true);
    await page.keyboard.press("Enter");
    await quotePreview.getByText("Vocês entregam no sábado?").waitFor();
    expect(await isFocused(composer)).toBe(true);
    await page.keyboard.press("Escape");
    await quotePreview.waitFor({ state: "detached" });

    // The reply: quoted above the input while writing, then on the phone with the context.
    await reply.click();
    await quotePreview.getByText("Vocês entregam no sábado?").waitFor();
    await composer.fill("Sim, das 8h às 14h.");
    await page.screenshot({ path: path.join(screenshotDir, "reply-quote-preview.png") });
    await composer.press("Enter");
    await quotePreview.waitFor({ state: "detached" });
    const answer = thread
      .locator("at-message-bubble[direction=outbound]")
      .filter({ hasText: "Sim, das 8h às 14h." });
    await answer.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => answer.locator("blockquote").textContent(), { timeout: 10_000 })
      .toContain("Vocês entregam no sábado?");
    await expect
      .poll(() => control.messages({ to: phone, type: "text" }).length, { timeout: 30_000 })
      .toBe(1);
    const [sentText] = control.messages({ to: phone, type: "text" });
    const textBody = sentText?.body as SentBody;
    expect(textBody.text?.body).toBe("Sim, das 8h às 14h.");
    expect(textBody.context?.message_id).toBe(question.wamid);

    // The reaction: sent at once, shown on the customer's message, and on the phone.
    await questionBubble.getByRole("button", { name: "Reagir", exact: true }).click();
    const choice = questionBubble.getByRole("group", { name: "Escolha uma reação" });
    await choice.getByRole("button", { name: "Reagir com 👍" }).click();
    await questionBubble.getByLabel("Reações: 👍").waitFor({ timeout: 10_000 });
    await expect
      .poll(() => control.messages({ to: phone, type: "reaction" }).length, { timeout: 30_000 })
      .toBe(1);
    const [sentReaction] = control.messages({ to: phone, type: "reaction" });
    const reactionBody = sentReaction?.body as SentBody;
    expect(reactionBody.reaction).toEqual({ message_id: question.wamid, emoji: "👍" });
    // One text and one reaction: nothing was sent twice, nothing else went.
    expect(control.messages({ to: phone }).map((message) => message.type)).toEqual([
      "text",
      "reaction",
    ]);
    await page.screenshot({ path: path.join(screenshotDir, "reply-and-react.png") });

    // A day later the window is closed: only a template may go, so neither action is offered.
    const stored = await components
      .db("messages")
      .where({ wamid: question.wamid })
      .first("conversation_id");
    await components
      .db("conversations")
      .where({ id: stored?.conversation_id })
      .update({ last_inbound_at: new Date(Date.now() - 25 * 3_600_000) });
    await page.reload();
    await page.getByText("Conectado").waitFor();
    const closed = await openConversation(page, "Lia Resposta");
    await closed.getByText(/janela de 24 horas do WhatsApp está fechada/).waitFor();
    expect(await closed.getByLabel("Mensagem", { exact: true }).count()).toBe(0);
    await closed.getByText("Vocês entregam no sábado?").first().waitFor();
    expect(await closed.getByRole("button", { name: "Responder", exact: true }).count()).toBe(0);
    expect(await closed.getByRole("button", { name: "Reagir", exact: true }).count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 120_000);
});
