import { css } from "lit";
import { appBarStyles } from "../../styles/app-bar.styles.js";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  appBarStyles,
  css`
    :host {
      display: block;
      min-height: 100vh;
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
