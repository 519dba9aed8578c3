/**
 * What a contact tag may be: 1–40 characters, starting with a letter or digit, then letters,
 * digits, spaces, dashes and underscores. Apart from the zod schemas (`contacts.ts`) so the
 * browser checks tags without bundling zod.
 */
export const CONTACT_TAG_MAX_LENGTH = 40;
export const CONTACT_TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _-]*$/u;

/** The tag as it will be stored (trimmed), or undefined when it is not a valid tag. */
export function contactTagOf(input: string): string | undefined {
  const tag = input.trim();
  return tag.length <= CONTACT_TAG_MAX_LENGTH && CONTACT_TAG_PATTERN.test(tag) ? tag : undefined;
}
