/**
 * Meta's limits on what a business sends (protocols.md A4/A5), apart from the zod schemas of
 * `outbound-messages.ts` so the browser can check them without bundling zod.
 */
export const OUTBOUND_LIMITS = {
  textBody: 4096,
  caption: 1024,
  filename: 240,
  buttons: { min: 1, max: 3, title: 20, id: 256 },
  header: 60,
  footer: 60,
  interactiveBody: 1024,
  list: {
    button: 20,
    sections: 10,
    rows: 10,
    sectionTitle: 24,
    rowId: 200,
    rowTitle: 24,
    rowDescription: 72,
  },
  template: { name: 512, parameters: 100, text: 1024, buttonValue: 2000 },
  emoji: 16,
} as const;
