import { confirm, input, password } from "@inquirer/prompts";

/**
 * Every question the CLI asks goes through here: the one module tests replace. Each prompt
 * has a flag, and commands ask only on a TTY, without --yes, for what is still missing.
 */
export const prompts = {
  /** Asks for a line of text; `validate` returns an error message or true. */
  text(message: string, validate: (value: string) => true | string): Promise<string> {
    return input({ message, validate });
  },
  /** Asks for a secret without echoing it. */
  secret(message: string): Promise<string> {
    return password({ message, mask: "•" });
  },
  /** Asks yes or no; defaults to no. */
  confirm(message: string): Promise<boolean> {
    return confirm({ message, default: false });
  },
};
