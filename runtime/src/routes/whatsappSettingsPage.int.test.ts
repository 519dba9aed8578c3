import { mkdir, rm } from "node:fs/promises";
import path from "node:path";
import {
  type CloudApiEmulator,
  compressedTimings,
  createCloudApiEmulator,
} from "@atende/whatsapp-cloud-emulator";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildWebAssets, launchChromium, screenshotDir } from "../test/browser.js";
import { buildUser } from "../test/factories.js";
import {
  createTestComponents,
  getTestServer,
  type TestComponents,
  type TestServer,
} from "../test/support.js";
import { startTestWorkers, type TestWorkers } from "../test/workers.js";

// The built inbox in Debian's Chromium against an in-process runtime and the Cloud API emulator:
// an admin configures WhatsApp, never sees a saved secret again, tests the connection, syncs the
// templates and manages them.
const screenshots = screenshotDir;

let webDir: string;
let components: TestComponents;
let server: TestServer;
let emulator: CloudApiEmulator;
let browser: Browser;
let workers: TestWorkers | undefined;
const problems: string[] = [];

const appSecret = "s3tAPPsecretVALUE0000abcd";
const verifyToken = "s3tVERIFYtokenVALUE1111wxyz";

beforeAll(async () => {
  const web = await buildWebAssets("s3t");
  webDir = web.root;
  components = await createTestComponents();
  server = await getTestServer(components, { publicDir: web.publicDir });
  emulator = createCloudApiEmulator({
    webhook: { url: `${server.url}/webhooks/whatsapp`, appSecret, verifyToken },
    settings: { ...compressedTimings, autoStatuses: { intervalMs: 5, sequence: [] } },
  });
  await emulator.start();
  emulator.control.addTemplate(
    {
      name: "s3t_promocao_recusada",
      language: "pt_BR",
      category: "MARKETING",
      components: [
        { type: "BODY", text: "Promoção para {{1}} hoje.", example: { body_text: [["Maria"]] } },
      ],
    },
    "PENDING",
  );
  emulator.control.setTemplateStatus("s3t_promocao_recusada", "REJECTED", {
    reason: "PROMOTIONAL",
  });
  // Workers process Meta's webhooks, so review results reach the open page live.
  workers = startTestWorkers(components, server.queues);
  await mkdir(screenshots, { recursive: true });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await workers?.close();
  await emulator?.stop();
  await server?.close();
  await components?.cleanup();
  if (webDir) await rm(webDir, { recursive: true, force: true });
});

async function signIn(role: "admin" | "agent"): Promise<Page> {
  const { user, password } = await buildUser(components.db, { role, name: `S3T ${role}` });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().includes("status of 4")) {
      problems.push(message.text());
    }
  });
  await page.goto(`${server.url}/login`);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Senha").fill(password);
  await page.getByRole("button", { name: "Entrar" }).click();
  await page.getByRole("heading", { name: "Conversas" }).waitFor();
  return page;
}

/** Everything the page shows, shadow roots and input values included. */
function visibleText(page: Page): Promise<string> {
  // A string, because this file compiles without the DOM library.
  return page.evaluate<string>(`(() => {
    const parts = [];
    const walk = (root) => {
      parts.push(root === document ? root.documentElement.outerHTML : root.innerHTML);
      for (const element of root.querySelectorAll("*")) {
        if ("value" in element && typeof element.value === "string") parts.push(element.value);
        if (element.shadowRoot) walk(element.shadowRoot);
      }
    };
    walk(document);
    return parts.join("\\n");
  })()`);
}

describe("the WhatsApp settings page", () => {
  it("lets an admin save the settings without ever seeing a saved secret, test the connection, sync and manage templates whose reviews appear live", async () => {
    const page = await signIn("admin");
    await page.getByRole("link", { name: "Configurações do WhatsApp" }).click();
    await page.getByRole("heading", { name: "Configurações do WhatsApp", level: 1 }).waitFor();
    await expect.poll(() => page.getByText("Ainda não salvo.").count()).toBe(3);

    await page.getByLabel("ID do número de telefone").fill(emulator.phoneNumberId);
    await page.getByLabel("ID da conta do WhatsApp Business (WABA)").fill(emulator.wabaId);
    await page.getByLabel("URL base da Graph API").fill(emulator.url);
    await page.getByLabel("Versão da Graph API").fill("v24.0");
    await page.getByLabel("Token de acesso").fill(emulator.accessToken);
    await page.getByLabel("Chave secreta do app").fill(appSecret);
    await page.getByLabel("Token de verificação do webhook").fill(verifyToken);
    await page.getByRole("button", { name: "Salvar" }).click();
    await page.getByText("Configurações salvas.").waitFor();

    const ending = (secret: string) => `Salvo, termina em ••••${secret.slice(-4)}`;
    for (const secret of [emulator.accessToken, appSecret, verifyToken]) {
      await page.getByText(ending(secret)).waitFor();
      expect(await visibleText(page)).not.toContain(secret);
    }
    expect(await page.getByLabel("Token de acesso").inputValue()).toBe("");

    await page.getByRole("button", { name: "Testar conexão" }).click();
    await page.getByText("Conexão funcionando:").waitFor();
    await page
      .locator("at-whatsapp-settings")
      .screenshot({ path: path.join(screenshots, "runtime-whatsapp-connection.png") });

    // A fresh load shows the saved settings, and still no secret.
    await page.reload();
    await page.getByText(ending(appSecret)).waitFor();
    expect(await page.getByLabel("ID da conta do WhatsApp Business (WABA)").inputValue()).toBe(
      emulator.wabaId,
    );
    const reloaded = await visibleText(page);
    for (const secret of [emulator.accessToken, appSecret, verifyToken]) {
      expect(reloaded).not.toContain(secret);
    }

    await page.getByRole("button", { name: "Sincronizar com a Meta" }).click();
    await page.getByText(/Sincronizado: \d+ modelos/).waitFor();
    const row = (name: string, language = "pt_BR") =>
      page.locator(`tr[data-template="${name}:${language}"]`);
    await expect
      .poll(() => row("pedido_enviado").locator("[data-status]").textContent())
      .toContain("Aprovado");
    await expect
      .poll(() => row("s3t_promocao_recusada").locator("[data-status]").textContent())
      .toContain("Rejeitado");
    expect(await row("s3t_promocao_recusada").textContent()).toContain("PROMOTIONAL");

    // Create: Meta's rules are explained beside the fields, then the fixed template goes to review.
    await page.getByRole("button", { name: "Novo modelo" }).click();
    const form = page.locator("at-template-form");
    await form.getByLabel("Nome").fill("Aviso de Entrega");
    await form.getByLabel("Corpo da mensagem").fill("Olá {{1}}, seu pedido chega {{2}}.");
    await form.getByLabel("Exemplo para {{1}}").fill("Maria");
    await form.getByRole("button", { name: "Adicionar resposta rápida" }).click();
    await form.getByLabel("Texto do botão 1").fill("Quero remarcar a entrega, por favor");
    await form.getByRole("button", { name: "Enviar para aprovação" }).click();
    await form.getByText("Use só letras minúsculas").waitFor();
    await form.getByText("Dê um valor de exemplo para esta variável.").waitFor();
    await form.getByText("O texto do botão pode ter no máximo 25 caracteres.").waitFor();
    expect(await form.getByLabel("Nome").getAttribute("aria-invalid")).toBe("true");
    await form.screenshot({ path: path.join(screenshots, "runtime-template-form-errors.png") });
    expect(
      await form
        .getByLabel("Nome")
        .evaluate((input) => input === input.getRootNode().activeElement),
    ).toBe(true);

    await form.getByLabel("Nome").fill("s3t_aviso_entrega");
    await form.getByLabel("Exemplo para {{2}}").fill("amanhã");
    await form.getByLabel("Texto do botão 1").fill("Remarcar");
    await form.getByRole("button", { name: "Enviar para aprovação" }).click();
    await form.getByText("Modelo s3t_aviso_entrega enviado para aprovação.").waitFor();
    await expect
      .poll(() => row("s3t_aviso_entrega").locator("[data-status]").textContent())
      .toContain("Em análise");
    expect(emulator.control.templates().find((t) => t.name === "s3t_aviso_entrega")?.status).toBe(
      "PENDING",
    );

    // Meta approves: the webhook is processed and the open page updates without a reload.
    emulator.control.setTemplateStatus("s3t_aviso_entrega", "APPROVED");
    await expect
      .poll(() => row("s3t_aviso_entrega").locator("[data-status]").textContent(), {
        timeout: 10_000,
      })
      .toContain("Aprovado");

    await page.screenshot({
      path: path.join(screenshots, "runtime-whatsapp-settings.png"),
      fullPage: true,
    });

    // Delete asks first; Escape cancels, the confirmation deletes.
    await page
      .getByRole("button", { name: "Excluir o modelo s3t_promocao_recusada (pt_BR)" })
      .click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Excluir o modelo s3t_promocao_recusada (pt_BR)?").waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(
      emulator.control.templates().find((t) => t.name === "s3t_promocao_recusada")?.status,
    ).toBe("REJECTED");
    await page
      .getByRole("button", { name: "Excluir o modelo s3t_promocao_recusada (pt_BR)" })
      .click();
    await dialog.getByRole("button", { name: "Excluir" }).click();
    await expect
      .poll(() => row("s3t_promocao_recusada").locator("[data-status]").textContent())
      .toContain("Excluindo");
    expect(
      emulator.control.templates().find((t) => t.name === "s3t_promocao_recusada")?.status,
    ).toBe("PENDING_DELETION");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("is not offered to an agent, and sends an agent who types its address back to the inbox", async () => {
    const page = await signIn("agent");
    expect(await page.getByRole("link", { name: "Configurações do WhatsApp" }).count()).toBe(0);
    await page.goto(`${server.url}/settings/whatsapp`);
    await page.getByRole("heading", { name: "Conversas" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
    await page.close();
  });

  it("can be shown in English", async () => {
    const page = await signIn("admin");
    await page.goto(`${server.url}/settings/whatsapp?lang=en`);
    await page.getByRole("heading", { name: "WhatsApp settings", level: 1 }).waitFor();
    await page.getByRole("button", { name: "Test connection" }).waitFor();
    await page.getByRole("heading", { name: "Message templates" }).waitFor();
    await page.goto(`${server.url}/settings/whatsapp?lang=pt-BR`);
    await page.getByRole("heading", { name: "Configurações do WhatsApp", level: 1 }).waitFor();
    await page.close();
  });
});
