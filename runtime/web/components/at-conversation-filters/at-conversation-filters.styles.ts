import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .filters {
      display: flex;
      flex-direction: column;
      gap: var(--at-space);
      padding: 0 calc(var(--at-space) * 1.5) var(--at-space);
      border-bottom: 1px solid var(--at-color-border);
    }

    .filters__views {
      display: flex;
      gap: 4px;
    }

    .filters__view {
      flex: 1;
      font: inherit;
      font-size: 0.875rem;
      padding: 4px 6px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: transparent;
      cursor: pointer;
    }

    .filters__view[aria-pressed="true"] {
      background: var(--at-color-primary);
      border-color: var(--at-color-primary);
      color: var(--at-color-primary-text);
    }

    .filters__row {
      display: flex;
      gap: 4px;
    }

    .filters__label--grow {
      flex: 1;
    }

    .filters__status,
    .filters__search {
      font: inherit;
      font-size: 0.875rem;
      width: 100%;
      padding: 4px 6px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-surface);
    }

    .filters__view:focus-visible,
    .filters__status:focus-visible,
    .filters__search:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 1px;
    }

    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
];
