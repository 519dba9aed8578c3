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

    .inbox__connection,
    .inbox__presence {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }

    .inbox__presence {
      color: var(--at-color-muted);
      font-size: 0.875rem;
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

    .inbox__alerts {
      position: relative;
      font-size: 0.875rem;
    }

    .inbox__alerts summary {
      cursor: pointer;
      color: var(--at-color-primary);
    }

    .inbox__alerts summary:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .inbox__alerts-panel {
      position: absolute;
      z-index: 2;
      inset-inline-end: 0;
      top: calc(100% + 4px);
      width: max-content;
      background: var(--at-color-surface);
    }

    .inbox__main {
      flex: 1;
      display: grid;
      grid-template-columns: minmax(260px, 360px) 1fr;
      min-height: 0;
      height: calc(100vh - 60px);
    }

    .inbox__main--open {
      grid-template-columns: minmax(260px, 340px) 1fr minmax(220px, 300px);
    }

    .inbox__open {
      display: flex;
      flex-direction: column;
      min-height: 0;
      min-width: 0;
    }

    .inbox__open .inbox__thread {
      flex: 1;
      min-height: 0;
    }

    .inbox__notice {
      margin: 0;
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      background: #fef3f2;
      color: var(--at-color-danger);
      font-weight: 600;
    }

    .inbox__notice:empty {
      display: none;
    }

    .inbox__typing {
      margin: 0;
      padding: 2px calc(var(--at-space) * 1.5);
      min-height: 1.5em;
      font-size: 0.875rem;
      font-style: italic;
      color: var(--at-color-muted);
    }

    .inbox__placeholder {
      align-self: center;
      justify-self: center;
      color: var(--at-color-muted);
    }

    .inbox__side {
      border-inline-start: 1px solid var(--at-color-border);
      overflow-y: auto;
      background: var(--at-color-surface);
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


    .inbox__heading {
      margin: 0 0 var(--at-space);
      font-size: 1.125rem;
    }
  `,
];
