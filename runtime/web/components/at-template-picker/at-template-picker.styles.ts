import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .picker__fieldset {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      margin: 0;
      padding: 0;
      border: 0;
    }

    .picker__legend {
      padding: 0;
      margin-bottom: calc(var(--at-space) / 2);
      font-weight: 600;
    }

    .picker__label {
      font-size: 0.875rem;
      font-weight: 600;
    }

    select,
    input {
      font: inherit;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-surface);
    }

    .picker__preview {
      margin-top: var(--at-space);
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      border-radius: var(--at-radius);
      background: #dcf8c6;
      max-width: 32rem;
      overflow-wrap: anywhere;
    }

    .picker__preview p {
      margin: 0;
      white-space: pre-wrap;
    }

    .picker__preview-label {
      margin: var(--at-space) 0 0;
      font-size: 0.875rem;
      font-weight: 600;
    }

    .picker__preview-header {
      font-weight: 600;
    }

    .picker__preview-footer,
    .picker__muted {
      color: var(--at-color-muted);
      font-size: 0.875rem;
      margin: 0;
    }

    .picker__status,
    .picker__failure {
      margin: 0;
      font-size: 0.875rem;
    }

    .picker__status:empty,
    .picker__failure:empty {
      display: none;
    }

    .picker__failure {
      color: var(--at-color-danger);
    }

    button {
      align-self: flex-start;
      font: inherit;
      font-weight: 600;
      padding: var(--at-space) calc(var(--at-space) * 2);
      border: 0;
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
      cursor: pointer;
    }

    button:disabled {
      opacity: 0.5;
      cursor: not-allowed;
    }

    select:focus-visible,
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];
