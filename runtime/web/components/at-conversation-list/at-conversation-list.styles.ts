import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .list {
      list-style: none;
      margin: 0;
      padding: 0;
    }

    .list__row {
      /* Rows out of view skip layout and paint: thousands of loaded rows stay fast. */
      content-visibility: auto;
      contain-intrinsic-size: auto 84px;
    }

    .list__item {
      display: grid;
      grid-template-columns: 1fr auto;
      gap: 2px var(--at-space);
      width: 100%;
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      font: inherit;
      text-align: start;
      background: transparent;
      border: 0;
      border-bottom: 1px solid var(--at-color-border);
      cursor: pointer;
    }

    .list__item[aria-current="true"] {
      background: var(--at-color-surface);
    }

    .list__item:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: -3px;
    }

    .list__name {
      font-weight: 600;
      overflow-wrap: anywhere;
    }

    .list__time,
    .list__preview {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .list__preview {
      overflow: hidden;
      white-space: nowrap;
      text-overflow: ellipsis;
    }

    .list__unread {
      justify-self: end;
      min-width: 1.5em;
      padding: 0 6px;
      border-radius: 999px;
      text-align: center;
      font-size: 0.8rem;
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
    }

    .list__meta {
      grid-column: 1 / -1;
      display: flex;
      gap: var(--at-space);
      font-size: 0.75rem;
      color: var(--at-color-muted);
    }

    .list__status {
      padding: 0 6px;
      border-radius: 999px;
      border: 1px solid var(--at-color-border);
    }

    .list__status--open {
      border-color: var(--at-color-primary);
      color: var(--at-color-primary);
    }

    .list__status--pending {
      border-color: #b54708;
      color: #b54708;
    }

    .list__end {
      padding: var(--at-space);
      text-align: center;
    }

    .list__more {
      font: inherit;
      font-size: 0.875rem;
      padding: 4px 12px;
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: transparent;
      cursor: pointer;
    }

    .list__more:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .list__empty {
      margin: 0;
      padding: calc(var(--at-space) * 4);
      text-align: center;
      color: var(--at-color-muted);
    }
  `,
];
