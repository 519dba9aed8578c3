import { css } from "lit";
import { appBarStyles } from "../../styles/app-bar.styles.js";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  appBarStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100vh;
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

    .inbox__settings {
      color: var(--at-color-primary);
    }

    .inbox__settings:focus-visible,
    .inbox__logout:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .inbox__main {
      flex: 1;
      display: grid;
      grid-template-columns: minmax(260px, 360px) 1fr;
      min-height: 0;
    }

    .inbox__list {
      border-inline-end: 1px solid var(--at-color-border);
      overflow-y: auto;
      padding-top: var(--at-space);
    }

    .inbox__list .inbox__heading {
      padding: 0 calc(var(--at-space) * 1.5);
    }

    .inbox__failure {
      margin: 0;
      padding: 0 calc(var(--at-space) * 1.5);
      color: var(--at-color-danger);
    }

    .inbox__failure:empty {
      display: none;
    }

    .inbox__thread {
      max-height: calc(100vh - 60px);
    }

    .inbox__heading {
      margin: 0 0 var(--at-space);
      font-size: 1.125rem;
    }
  `,
];
