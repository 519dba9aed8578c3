import { randomBytes, randomInt } from "node:crypto";

/** How a template asks for a secret to be generated. */
export type SecretGenerator =
  | { generate: "password"; length: number }
  | { generate: "base64"; bytes: number };

// No quotes, backslashes or `$`: generated passwords pass through env files, SQL and shells
// unescaped without surprises.
const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

/** A fresh random value for one template secret. */
export function generateSecret(generator: SecretGenerator): string {
  if (generator.generate === "base64") return randomBytes(generator.bytes).toString("base64");
  let password = "";
  for (let i = 0; i < generator.length; i++)
    password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}
