import path from "node:path";
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { screenshotDir } from "../test/browser.js";
import {
  type BrowserServer,
  openSignedInPage,
  startBrowserServer,
} from "../test/browserSession.js";
import { buildUser } from "../test/factories.js";
import type { TestComponents, TestServer } from "../test/support.js";

// The queue settings screen in Debian's Chromium: an admin (users.manage) creates a queue with two agents,
// renames it and changes its members, is told a duplicate name is taken, and deletes it after a
// confirmation; an agent is kept out.
let harness: BrowserServer;
let components: TestComponents;
let server: TestServer;
let browser: Browser;
const problems: string[] = [];

beforeAll(async () => {
  harness = await startBrowserServer("queues");
  ({ components, server, browser } = harness);
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

async function signIn(email: string, password: string): Promise<Page> {
  return openSignedInPage(
    browser,
    server.url,
    { email, password },
    {
      viewport: { width: 1280, height: 900 },
      until: "home",
      problems,
    },
  );
}

/** The members stored for the queue named `name` (ids, ascending), or undefined without it. */
async function storedQueue(name: string): Promise<number[] | undefined> {
  const queue = await components.db("queues").where({ name }).first("id");
  if (queue === undefined) return undefined;
  const rows = (await components
    .db("queue_members")
    .where({ queue_id: queue.id })
    .orderBy("user_id")
    .select("user_id")) as Array<{ user_id: number }>;
  return rows.map((row) => row.user_id);
}

const tick = (form: Locator, name: string) => form.getByRole("checkbox", { name }).check();

describe("the queue settings screen in a real browser", () => {
  it("creates a queue with two agents, renames it, refuses a duplicate name and deletes it", async () => {
    const ana = await buildUser(components.db, { role: "agent", name: "Ana Lima" });
    const bruno = await buildUser(components.db, { role: "agent", name: "Bruno <b>Reis</b>" });
    const carla = await buildUser(components.db, { role: "agent", name: "Carla Dias" });
    const admin = await buildUser(components.db, { role: "admin", name: "Marta Admin" });
    await components.db("queues").insert({ name: "Suporte" });

    const page = await signIn(admin.user.email, admin.password);
    await page.getByRole("link", { name: "Filas" }).click();
    await page.waitForURL((url) => url.pathname === "/settings/queues");
    await page.getByRole("heading", { name: "Filas", level: 1 }).waitFor();
    await page.getByRole("cell", { name: "Suporte", exact: true }).waitFor();

    // Create, with two of the three agents (a name with markup is shown as text).
    const create = page.getByRole("form", { name: "Nova fila" });
    await create.getByLabel("Nome").fill("Vendas");
    await tick(create, "Ana Lima");
    await tick(create, "Bruno <b>Reis</b>");
    await create.getByRole("button", { name: "Criar fila" }).click();
    await page.getByRole("status").filter({ hasText: "Fila Vendas criada." }).waitFor();
    const row = page.getByRole("row", { name: /Vendas/ });
    await row.getByText("Ana Lima, Bruno <b>Reis</b>").waitFor();
    expect(await storedQueue("Vendas")).toEqual([ana.user.id, bruno.user.id]);
    expect(await create.getByLabel("Nome").inputValue()).toBe("");
    expect(await page.locator("b").count()).toBe(0);

    // Rename, and swap Bruno for Carla.
    await page.getByRole("button", { name: "Editar a fila Vendas" }).click();
    const edit = page.getByRole("form", { name: "Editar a fila Vendas" });
    expect(await edit.getByRole("checkbox", { name: "Ana Lima" }).isChecked()).toBe(true);
    expect(await edit.getByRole("checkbox", { name: "Carla Dias" }).isChecked()).toBe(false);
    await edit.getByLabel("Nome").fill("Vendas Sul");
    await edit.getByRole("checkbox", { name: "Bruno <b>Reis</b>" }).uncheck();
    await tick(edit, "Carla Dias");
    await edit.getByRole("button", { name: "Salvar" }).click();
    await page.getByRole("status").filter({ hasText: "Fila Vendas Sul salva." }).waitFor();
    await page
      .getByRole("row", { name: /Vendas Sul/ })
      .getByText("Ana Lima, Carla Dias")
      .waitFor();
    expect(await storedQueue("Vendas")).toBeUndefined();
    expect(await storedQueue("Vendas Sul")).toEqual([ana.user.id, carla.user.id]);
    await page.screenshot({ path: path.join(screenshotDir, "queue-admin.png"), fullPage: true });

    // Renaming to a name in use (whatever its case) is refused, and nothing changes.
    await page.getByRole("button", { name: "Editar a fila Vendas Sul" }).click();
    const again = page.getByRole("form", { name: "Editar a fila Vendas Sul" });
    await again.getByLabel("Nome").fill("suporte");
    await again.getByRole("button", { name: "Salvar" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Já existe uma fila com este nome. Escolha outro." })
      .waitFor();
    await again.getByRole("button", { name: "Cancelar" }).click();
    expect(await storedQueue("Vendas Sul")).toEqual([ana.user.id, carla.user.id]);
    // Creating one with a taken name is refused the same way.
    await create.getByLabel("Nome").fill("Suporte");
    await create.getByRole("button", { name: "Criar fila" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "Já existe uma fila com este nome. Escolha outro." })
      .waitFor();
    expect(await components.db("queues").count({ n: "*" })).toEqual([{ n: 2 }]);

    // Delete, only after confirming.
    await page.getByRole("button", { name: "Excluir a fila Vendas Sul" }).click();
    const confirmation = page
      .getByRole("alert")
      .filter({ hasText: "Excluir a fila Vendas Sul? As conversas que esperam nela voltam" });
    await confirmation.getByRole("button", { name: "Cancelar" }).click();
    expect(await storedQueue("Vendas Sul")).toBeDefined();
    await page.getByRole("button", { name: "Excluir a fila Vendas Sul" }).click();
    await confirmation.getByRole("button", { name: "Excluir" }).click();
    await page.getByRole("status").filter({ hasText: "Fila Vendas Sul excluída." }).waitFor();
    await page.getByRole("row", { name: /Vendas Sul/ }).waitFor({ state: "detached" });
    expect(await storedQueue("Vendas Sul")).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it("speaks English with ?lang=en, and keeps managers and agents out", async () => {
    const admin = await buildUser(components.db, { role: "admin" });
    const page = await signIn(admin.user.email, admin.password);
    await page.goto(`${server.url}/settings/queues?lang=en`);
    await page.getByRole("heading", { name: "Queues", level: 1 }).waitFor();
    const create = page.getByRole("form", { name: "New queue" });
    await create.getByLabel("Name").fill("Suporte");
    await create.getByRole("button", { name: "Create queue" }).click();
    await page
      .getByRole("alert")
      .filter({ hasText: "A queue with this name already exists. Pick another one." })
      .waitFor();
    await page.close();

    for (const role of ["manager", "agent"]) {
      const someone = await buildUser(components.db, { role });
      const other = await signIn(someone.user.email, someone.password);
      await other.getByRole("heading", { name: "Conversas" }).first().waitFor();
      expect(await other.getByRole("link", { name: "Filas" }).count(), role).toBe(0);
      await other.goto(`${server.url}/settings/queues`);
      expect(new URL(other.url()).pathname, role).toBe("/");
      await other.close();
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
