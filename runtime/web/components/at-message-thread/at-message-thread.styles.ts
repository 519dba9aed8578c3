import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
      min-height: 0;
    }

    .thread {
      position: relative;
      display: flex;
      flex-direction: column;
      height: 100%;
    }

    .thread__header {
      display: flex;
      align-items: baseline;
      gap: var(--at-space);
      padding: var(--at-space) calc(var(--at-space) * 2);
      border-bottom: 1px solid var(--at-color-border);
    }

    .thread__title {
      margin: 0;
      font-size: 1.125rem;
    }

    .thread__number,
    .thread__placeholder,
    .thread__edge {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .thread__placeholder {
      padding: calc(var(--at-space) * 4);
      text-align: center;
    }

    .thread__scroller {
      flex: 1;
      min-height: 0;
      overflow-y: auto;
      /* The thread keeps the reader's place itself when older messages go in above. */
      overflow-anchor: none;
      padding: calc(var(--at-space) * 2);
    }

    .thread__edge {
      display: flex;
      flex-direction: column;
      align-items: center;
      gap: calc(var(--at-space) / 2);
      margin: 0 0 var(--at-space);
      text-align: center;
    }

    .thread__messages {
      display: flex;
      flex-direction: column;
      gap: var(--at-space);
      margin: 0;
      padding: 0;
      list-style: none;
    }

    .thread__message {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
    }

    .thread__message--outbound {
      align-items: flex-end;
    }

    button {
      font: inherit;
      cursor: pointer;
    }

    .thread__older {
      padding: calc(var(--at-space) / 2) calc(var(--at-space) * 1.5);
      border: 1px solid var(--at-color-border);
      border-radius: 999px;
      background: var(--at-color-surface);
      color: var(--at-color-text);
    }

    .thread__unseen {
      position: absolute;
      right: calc(var(--at-space) * 3);
      bottom: 9rem;
      padding: calc(var(--at-space) / 2) calc(var(--at-space) * 1.5);
      border: 0;
      border-radius: 999px;
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
      font-weight: 600;
      box-shadow: 0 2px 8px rgb(0 0 0 / 20%);
    }

    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];
