import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotDir } from "../test/browser.js";
import { type BrowserStack, openSignedInPage, startBrowserStack } from "../test/browserSession.js";
import { buildUser } from "../test/factories.js";
import type { TestComponents } from "../test/support.js";
import type { WhatsappStack } from "../test/whatsappStack.js";

// The inbox in Debian's Chromium against an in-process runtime (web + workers) and the Cloud
// API emulator: a customer's message appears live, the agent opens it and answers, the phone
// receives the answer and the ticks advance; HTML in a message stays text.
let harness: BrowserStack;
let components: TestComponents;
let stack: WhatsappStack;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  harness = await startBrowserStack("inbox");
  ({ components, stack, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(): Promise<Page> {
  const { user, password } = await buildUser(components.db, { role: "agent", name: "Ana Agente" });
  return openSignedInPage(
    browser,
    stack.server.url,
    { email: user.email, password },
    {
      viewport: { width: 1280, height: 800 },
      problems,
    },
  );
}

describe("the inbox in a real browser", () => {
  it("shows a customer's message live, sends the agent's answer to the phone, and advances its ticks", async () => {
    const page = await signIn();
    const { control } = stack.emulator;
    control.receive({
      from: "5511933334444",
      name: "Joana Cliente",
      type: "text",
      text: "Meu pedido <b>não</b> chegou <img src=x onerror=alert(1)>",
    });
    const item = page.getByRole("button", { name: /Joana Cliente/ });
    await item.waitFor({ timeout: 15_000 });
    await expect.poll(() => item.textContent()).toContain("1");
    await page.screenshot({ path: path.join(screenshotDir, "inbox-new-message.png") });

    await item.click();
    const thread = page.getByRole("region", { name: /Conversa com Joana Cliente/ });
    // Markup in a customer's text is shown as text, never run.
    await thread.getByText("Meu pedido <b>não</b> chegou <img src=x onerror=alert(1)>").waitFor();
    expect(await page.locator("at-message-thread img").count()).toBe(0);

    await page.getByLabel("Mensagem").pressSequentially("Olá");
    // The customer's phone shows the agent typing.
    await expect
      .poll(() => control.conversation("5511933334444").typing, { timeout: 10_000 })
      .toBe(true);
    await page.getByLabel("Mensagem").fill("Olá Joana! Vou verificar agora.");
    await page.getByLabel("Mensagem").press("Enter");
    await thread.getByText("Olá Joana! Vou verificar agora.").waitFor();
    // The customer's phone (the emulator) received it.
    await expect
      .poll(() => control.messages({ to: "5511933334444", type: "text" }).length, {
        timeout: 10_000,
      })
      .toBe(1);

    // The phone reads it: Meta's statuses arrive and the ticks follow.
    await expect
      .poll(
        async () =>
          (
            await components
              .db("messages")
              .where({ direction: "outbound" })
              .whereNotNull("wamid")
              .first("wamid")
          )?.wamid ?? null,
        { timeout: 10_000 },
      )
      .not.toBeNull();
    const sent = await components
      .db("messages")
      .where({ direction: "outbound" })
      .whereNotNull("wamid")
      .first("wamid");
    control.reportStatuses(sent.wamid, { statuses: ["sent", "delivered", "read"] });
    await thread.getByLabel("Lida").waitFor({ timeout: 10_000 });
    await page.screenshot({ path: path.join(screenshotDir, "inbox-thread-read.png") });
    expect(problems).toEqual([]);
  });
});
