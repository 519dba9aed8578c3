import { css } from "lit";

/** Shared host and control styles of every dashboard element. */
export const componentStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--at-font);
    color: var(--at-text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  button {
    font: inherit;
    border: 1px solid var(--at-border);
    background: var(--at-surface);
    border-radius: var(--at-radius);
    padding: 0.3rem 0.7rem;
    cursor: pointer;
  }
  button.primary {
    background: var(--at-accent);
    border-color: var(--at-accent);
    color: #fff;
  }
  button.danger {
    color: var(--at-danger);
    border-color: var(--at-danger);
  }
  button.danger.primary {
    background: var(--at-danger);
    color: #fff;
  }
  button:disabled {
    opacity: 0.5;
    cursor: not-allowed;
  }
  input {
    font: inherit;
    padding: 0.35rem 0.5rem;
    border: 1px solid var(--at-border);
    border-radius: var(--at-radius);
  }
  .error {
    color: var(--at-danger);
    min-height: 1.2em;
  }
  .muted {
    color: var(--at-muted);
  }
  table {
    border-collapse: collapse;
    width: 100%;
    background: var(--at-surface);
  }
  th,
  td {
    text-align: left;
    padding: 0.4rem 0.6rem;
    border-bottom: 1px solid var(--at-border);
    vertical-align: top;
  }
  th {
    font-weight: 600;
    color: var(--at-muted);
    font-size: 0.85rem;
  }
  .badge {
    display: inline-block;
    padding: 0 0.45rem;
    border-radius: 999px;
    font-size: 0.8rem;
    border: 1px solid currentColor;
  }
  .badge--ok {
    color: var(--at-ok);
  }
  .badge--warn {
    color: var(--at-warn);
  }
  .badge--fail {
    color: var(--at-danger);
  }
`;

/** Badge colour of a status word. */
export function badgeClass(value: string): string {
  if (["ready", "running", "healthy", "succeeded", "ok"].includes(value)) return "badge badge--ok";
  if (["failed", "unhealthy", "absent", "exited", "fail"].includes(value))
    return "badge badge--fail";
  return "badge badge--warn";
}

/** The confirmation dialogs (destroy, restore, upgrade) share one look. */
export const confirmDialogStyles = [
  css`
    dialog {
      border: 1px solid var(--at-border);
      border-radius: var(--at-radius);
      max-width: 28rem;
    }
    form {
      display: grid;
      gap: 0.7rem;
    }
    h2 {
      margin: 0;
      font-size: 1.1rem;
      color: var(--at-danger);
    }
    .buttons {
      display: flex;
      gap: 0.5rem;
      justify-content: end;
    }
  `,
];
