import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
    }

    .inbox__header {
      display: flex;
      align-items: center;
      gap: calc(var(--at-space) * 2);
      padding: var(--at-space) calc(var(--at-space) * 2);
      background: var(--at-color-surface);
      border-bottom: 1px solid var(--at-color-border);
    }

    .inbox__brand {
      margin: 0;
      font-size: 1.25rem;
      margin-inline-end: auto;
    }

    .inbox__user {
      display: flex;
      flex-direction: column;
      align-items: flex-end;
      line-height: 1.2;
    }

    .inbox__role,
    .inbox__connection {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .inbox__logout {
      font: inherit;
      padding: calc(var(--at-space) / 2) calc(var(--at-space) * 1.5);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: transparent;
      cursor: pointer;
    }

    .inbox__logout:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .inbox__main {
      flex: 1;
      padding: calc(var(--at-space) * 2);
    }

    .inbox__heading {
      margin: 0 0 var(--at-space);
      font-size: 1.125rem;
    }

    .inbox__empty {
      margin: 0;
      padding: calc(var(--at-space) * 4);
      text-align: center;
      color: var(--at-color-muted);
      background: var(--at-color-surface);
      border: 1px dashed var(--at-color-border);
      border-radius: var(--at-radius);
    }
  `,
];
