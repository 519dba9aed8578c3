import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
      max-width: 360px;
      margin: 12vh auto 0;
      padding: 0 calc(var(--at-space) * 2);
    }

    .login {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
      padding: calc(var(--at-space) * 4);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .login__title {
      margin: 0;
      font-size: 1.5rem;
    }

    .login__field {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
    }

    .login__label {
      font-weight: 600;
    }

    .login__input {
      font: inherit;
      padding: var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .login__input:focus-visible,
    .login__submit:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .login__error {
      margin: 0;
      color: var(--at-color-danger);
    }

    .login__error:empty {
      display: none;
    }

    .login__submit {
      font: inherit;
      font-weight: 600;
      padding: var(--at-space) calc(var(--at-space) * 2);
      border: 0;
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
      cursor: pointer;
    }

    .login__submit[disabled] {
      opacity: 0.6;
      cursor: progress;
    }
  `,
];
