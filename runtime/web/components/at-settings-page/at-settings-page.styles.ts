import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
      min-height: 100vh;
    }

    .page__header {
      display: flex;
      align-items: center;
      gap: calc(var(--at-space) * 2);
      padding: var(--at-space) calc(var(--at-space) * 2);
      background: var(--at-color-surface);
      border-bottom: 1px solid var(--at-color-border);
    }

    .page__brand {
      margin: 0;
      font-size: 1.25rem;
      margin-inline-end: auto;
    }

    .page__back {
      color: var(--at-color-primary);
    }

    .page__back:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .page__main {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 3);
      max-width: 1040px;
      margin: 0 auto;
      padding: calc(var(--at-space) * 3) calc(var(--at-space) * 2);
    }

    .page__title {
      margin: 0;
      font-size: 1.5rem;
    }
  `,
];
