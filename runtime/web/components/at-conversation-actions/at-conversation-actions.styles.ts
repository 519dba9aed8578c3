import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: var(--at-space) calc(var(--at-space) * 1.5);
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      border-bottom: 1px solid var(--at-color-border);
      background: var(--at-color-surface);
      font-size: 0.875rem;
    }

    .actions__assignee {
      display: inline-flex;
      align-items: center;
      gap: 6px;
      font-weight: 600;
    }

    .actions__transfer,
    .actions__statuses {
      display: inline-flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 4px;
    }

    .actions__label {
      display: inline-flex;
      align-items: center;
      gap: 4px;
    }

    .actions__select,
    .actions__button {
      font: inherit;
      padding: 4px 10px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-surface);
    }

    .actions__button {
      cursor: pointer;
    }

    .actions__button--primary {
      background: var(--at-color-primary);
      border-color: var(--at-color-primary);
      color: var(--at-color-primary-text);
    }

    .actions__button:disabled {
      cursor: default;
      opacity: 0.6;
    }

    .actions__select:focus-visible,
    .actions__button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .dot {
      display: inline-block;
      width: 10px;
      height: 10px;
      border-radius: 50%;
      background: var(--at-color-border);
    }

    .dot--online {
      background: #12b76a;
    }
  `,
];
