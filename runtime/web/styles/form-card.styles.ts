import { css } from "lit";

/**
 * The centred card of the account forms (sign in, choose a password): BEM block `card` with
 * `__title`, `__hint`, `__field`, `__label`, `__input`, `__error`, `__submit`.
 */
export const formCardStyles = css`
    :host {
      display: block;
      max-width: 360px;
      margin: 12vh auto 0;
      padding: 0 calc(var(--at-space) * 2);
    }

    .card {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) * 2);
      padding: calc(var(--at-space) * 4);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .card__title {
      margin: 0;
      font-size: 1.5rem;
    }

    .card__field {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
    }

    .card__label {
      font-weight: 600;
    }

    .card__input {
      font: inherit;
      padding: var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .card__input:focus-visible,
    .card__submit:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .card__error {
      margin: 0;
      color: var(--at-color-danger);
    }

    .card__error:empty {
      display: none;
    }

    .card__submit {
      font: inherit;
      font-weight: 600;
      padding: var(--at-space) calc(var(--at-space) * 2);
      border: 0;
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
      cursor: pointer;
    }

    .card__submit[disabled] {
      opacity: 0.6;
      cursor: progress;
    }

    .card__hint {
      margin: 0;
      color: var(--at-color-muted, inherit);
    }
`;
