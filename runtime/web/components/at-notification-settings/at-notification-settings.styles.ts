import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .settings {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--at-space) / 2) calc(var(--at-space) * 1.5);
      margin: 0;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      font-size: 0.875rem;
    }

    .settings__legend {
      padding: 0 4px;
      color: var(--at-color-muted);
    }

    .settings__option {
      display: inline-flex;
      align-items: center;
      gap: 4px;
      cursor: pointer;
    }

    .settings__option input:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .settings__problem {
      margin: 0;
      flex-basis: 100%;
      color: var(--at-color-danger);
    }

    .settings__problem:empty {
      display: none;
    }
  `,
];
