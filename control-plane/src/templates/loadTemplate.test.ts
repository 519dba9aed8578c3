import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repositoryRoot } from "../config.js";
import { AtendeError } from "../errors.js";
import { loadTemplate, parseTemplate } from "./loadTemplate.js";

const config = { ATENDE_TEMPLATES_DIR: path.join(repositoryRoot, "templates") };
const defaultText = () => readFile(path.join(repositoryRoot, "templates/default.yaml"), "utf8");

function problemsOf(action: () => unknown): { id: string; message: string } {
  try {
    action();
  } catch (error) {
    if (error instanceof AtendeError) return { id: error.id, message: error.message };
    throw error;
  }
  throw new Error("expected the template to be rejected");
}

describe("loadTemplate", () => {
  it("loads the default template with app, db and redis, each with a health check and limits", async () => {
    const { template } = await loadTemplate("default", config);
    expect(Object.keys(template.services).sort()).toEqual(["app", "db", "redis"]);
    for (const service of Object.values(template.services)) {
      expect(service.healthcheck.test[0]).toMatch(/^CMD/);
      expect(service.resources.memory).toBeGreaterThan(0);
    }
    expect(template.services.db?.healthcheck.test.join(" ")).toContain("SELECT");
    expect(template.services.app?.resources.memory).toBe(192 * 1024 * 1024);
  });

  it("names the available templates when the name is unknown", async () => {
    await expect(loadTemplate("nope", config)).rejects.toMatchObject({
      id: "template_not_found",
      hint: expect.stringContaining("default"),
    });
  });

  it("refuses a template name that could escape the templates directory", async () => {
    await expect(loadTemplate("..", config)).rejects.toMatchObject({ id: "template_not_found" });
  });
});

describe("parseTemplate", () => {
  it("reports YAML syntax errors with the file and line", () => {
    const { id, message } = problemsOf(() =>
      parseTemplate("schemaVersion: 1\nservices: [unclosed\n", "/x/broken.yaml"),
    );
    expect(id).toBe("template_invalid");
    expect(message).toContain("/x/broken.yaml");
    expect(message).toMatch(/line \d+/);
  });

  it("names the field, its line and the problem for a missing health check", async () => {
    const text = (await defaultText()).replace(
      /( {2}redis:\n(?:.*\n)*?) {4}healthcheck:\n(?: {6}.*\n)+/,
      "$1",
    );
    const { message } = problemsOf(() => parseTemplate(text, "t.yaml"));
    expect(message).toMatch(/services\.redis\.healthcheck \(line \d+\): /);
  });

  it("rejects a reference to a secret that is not declared", async () => {
    const text = (await defaultText()).replace(
      "${secrets.redisPassword}\n    mounts",
      "${secrets.nothing}\n    mounts",
    );
    const { message } = problemsOf(() => parseTemplate(text, "t.yaml"));
    expect(message).toContain("services.redis.env.REDIS_PASSWORD");
    expect(message).toContain("unknown reference ${secrets.nothing}");
  });

  it("rejects publishing the database on the host", async () => {
    const text = (await defaultText()).replace(
      "    image: mariadb\n",
      "    image: mariadb\n    publish: { containerPort: 3306 }\n",
    );
    expect(problemsOf(() => parseTemplate(text, "t.yaml")).message).toContain(
      "services.db.publish",
    );
  });

  it("rejects a mount of an undeclared volume and a bad memory size", async () => {
    const text = (await defaultText())
      .replace("{ volume: media, target: /app/media }", "{ volume: uploads, target: /app/media }")
      .replace("memory: 64m", "memory: lots");
    const { message } = problemsOf(() => parseTemplate(text, "t.yaml"));
    expect(message).toContain("services.redis.resources.memory");
    expect(message).toContain("must be a size such as 256m or 1g");
  });

  it("rejects unknown fields instead of ignoring typos", async () => {
    const text = (await defaultText()).replace(
      "    image: redis\n",
      "    image: redis\n    enviroment: {}\n",
    );
    expect(problemsOf(() => parseTemplate(text, "t.yaml")).message).toMatch(
      /services\.redis.*enviroment/,
    );
  });

  it("rejects a dependency cycle", async () => {
    const text = (await defaultText()).replace(
      "    image: mariadb\n",
      "    image: mariadb\n    dependsOn: [app]\n",
    );
    expect(problemsOf(() => parseTemplate(text, "t.yaml")).message).toContain("dependency cycle");
  });
});
