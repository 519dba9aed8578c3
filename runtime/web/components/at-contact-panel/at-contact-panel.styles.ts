import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .panel {
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      font-size: 0.875rem;
    }

    .panel__heading {
      margin: 0 0 var(--at-space);
      font-size: 1rem;
    }

    .panel__subheading {
      margin: calc(var(--at-space) * 1.5) 0 4px;
      font-size: 0.875rem;
    }

    .panel__facts {
      display: grid;
      grid-template-columns: auto 1fr;
      gap: 2px var(--at-space);
      margin: 0;
    }

    .panel__facts dt {
      color: var(--at-color-muted);
    }

    .panel__facts dd {
      margin: 0;
      overflow-wrap: anywhere;
    }

    .panel__muted {
      margin: 2px 0;
      color: var(--at-color-muted);
    }

    .panel__tags {
      list-style: none;
      display: flex;
      flex-wrap: wrap;
      gap: 4px;
      margin: 0;
      padding: 0;
    }

    .panel__tag {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      padding: 0 4px 0 8px;
      border-radius: 999px;
      background: var(--at-color-background);
      border: 1px solid var(--at-color-border);
    }

    .panel__remove {
      font: inherit;
      line-height: 1;
      padding: 2px 4px;
      border: 0;
      background: transparent;
      cursor: pointer;
    }

    .panel__form {
      margin-top: var(--at-space);
    }

    .panel__label {
      display: block;
      margin-bottom: 2px;
    }

    .panel__row {
      display: flex;
      gap: 4px;
    }

    .panel__input {
      flex: 1;
      min-width: 0;
      font: inherit;
      padding: 4px 6px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .panel__button {
      font: inherit;
      padding: 4px 8px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-surface);
      cursor: pointer;
    }

    .panel__remove:focus-visible,
    .panel__input:focus-visible,
    .panel__button:focus-visible,
    .panel__history summary:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 1px;
    }

    .panel__problem {
      margin: 4px 0 0;
      color: var(--at-color-danger);
    }

    .panel__notice {
      margin: 4px 0 0;
      color: var(--at-color-muted);
    }

    .panel__problem:empty,
    .panel__notice:empty {
      display: none;
    }

    .panel__consent {
      margin: 0;
      font-weight: 600;
    }

    .panel__consent--granted {
      color: var(--at-color-primary);
    }

    .panel__consent--revoked {
      color: var(--at-color-danger);
    }

    .panel__records {
      margin: 4px 0 0;
      padding-inline-start: 1.2em;
    }
  `,
];
