import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .notes {
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      background: #fffbeb;
      border-top: 3px solid #f79009;
    }

    .notes__heading {
      margin: 0;
      font-size: 1rem;
    }

    .notes__badge {
      display: inline-block;
      padding: 0 6px;
      margin-inline-end: 4px;
      border-radius: 999px;
      background: #f79009;
      color: #1d2330;
      font-size: 0.75rem;
      text-transform: uppercase;
      vertical-align: middle;
    }

    .notes__hint,
    .notes__empty,
    .notes__meta {
      margin: 2px 0 var(--at-space);
      color: var(--at-color-muted);
      font-size: 0.8rem;
    }

    .notes__list {
      list-style: none;
      margin: 0 0 var(--at-space);
      padding: 0;
      display: flex;
      flex-direction: column;
      gap: var(--at-space);
    }

    .notes__note {
      padding: 6px 8px;
      border: 1px dashed #f79009;
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-surface);
    }

    .notes__body {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    .notes__meta {
      margin: 2px 0 0;
    }

    .notes__form {
      display: flex;
      flex-direction: column;
      gap: 4px;
    }

    .notes__label {
      font-size: 0.875rem;
      font-weight: 600;
    }

    .notes__input {
      font: inherit;
      resize: vertical;
      padding: 4px 6px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .notes__add {
      align-self: flex-end;
      font: inherit;
      padding: 4px 12px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-surface);
      cursor: pointer;
    }

    .notes__input:focus-visible,
    .notes__add:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 1px;
    }

    .notes__problem {
      margin: 0;
      color: var(--at-color-danger);
    }

    .notes__problem:empty {
      display: none;
    }
  `,
];
