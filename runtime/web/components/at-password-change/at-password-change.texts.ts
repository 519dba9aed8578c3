import type { PasswordRule } from "../../../contracts/password-rules.js";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "../../../contracts/password-rules.js";
import { currentLocale } from "../../messages.js";

const texts = {
  "pt-BR": {
    chooseTitle: "Escolha sua senha",
    changeTitle: "Trocar senha",
    requiredHint: `Você entrou com uma senha temporária. Escolha uma senha sua, com pelo menos ${PASSWORD_MIN_LENGTH} caracteres, para continuar.`,
    current: "Senha atual",
    next: "Nova senha",
    confirm: "Repita a nova senha",
    submit: "Salvar nova senha",
    saving: "Salvando…",
    mismatch: "A confirmação não é igual à nova senha.",
    wrongCurrent: "A senha atual está incorreta.",
    weak: "A nova senha não foi aceita:",
    rules: {
      min_length: `Use pelo menos ${PASSWORD_MIN_LENGTH} caracteres.`,
      max_length: `Use no máximo ${PASSWORD_MAX_LENGTH} caracteres.`,
      no_control_characters:
        "Não use quebras de linha, tabulações nem outros caracteres de controle.",
      not_email: "Não use seu e-mail (nem a parte antes do @) na senha.",
      not_repetitive: "Não repita só um ou dois caracteres.",
      not_common: "Essa é uma das senhas mais usadas; escolha outra.",
    } satisfies Record<PasswordRule, string>,
  },
  en: {
    chooseTitle: "Choose your password",
    changeTitle: "Change password",
    requiredHint: `You signed in with a temporary password. Choose your own, with at least ${PASSWORD_MIN_LENGTH} characters, to continue.`,
    current: "Current password",
    next: "New password",
    confirm: "Repeat the new password",
    submit: "Save new password",
    saving: "Saving…",
    mismatch: "The confirmation does not match the new password.",
    wrongCurrent: "The current password is wrong.",
    weak: "The new password was not accepted:",
    rules: {
      min_length: `Use at least ${PASSWORD_MIN_LENGTH} characters.`,
      max_length: `Use at most ${PASSWORD_MAX_LENGTH} characters.`,
      no_control_characters: "Do not use line breaks, tabs or other control characters.",
      not_email: "Do not use your e-mail address (or the part before the @).",
      not_repetitive: "Do not just repeat one or two characters.",
      not_common: "This is one of the most common passwords; pick another.",
    } satisfies Record<PasswordRule, string>,
  },
} as const;

/** The password form's texts in the interface language. */
export const passwordChangeText = () => texts[currentLocale()];

/** The explanation of each unmet rule a `weak_password` failure names (unknown ids skipped). */
export function weakPasswordReasons(rules: unknown): string[] {
  const explained = passwordChangeText().rules as Record<string, string>;
  return Array.isArray(rules)
    ? rules.flatMap((rule) =>
        typeof rule === "string" && Object.hasOwn(explained, rule) ? [explained[rule] ?? ""] : [],
      )
    : [];
}
