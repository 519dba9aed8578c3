import { css } from "lit";
import { formStyles } from "./form.styles.js";

/**
 * The settings screens that list things (users, roles, activity log, reports): the `card` of
 * {@link formStyles} holding `card__filters` (a wrapping row of labelled fields, also used for
 * short add forms), `card__error` (the failure line, hidden while empty) and `card__table`
 * (`card__table--dense` for long tables), with plain `input`, `select` and `button` controls.
 */
export const settingsPanelStyles = [
  formStyles,
  css`
    :host {
      display: block;
    }

    .card__filters {
      display: flex;
      flex-wrap: wrap;
      align-items: end;
      gap: calc(var(--at-space) * 1.5);
    }

    .card__filters label {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      font-weight: 600;
    }

    .card__error {
      margin: 0;
      color: var(--at-color-danger);
    }

    .card__error:empty {
      display: none;
    }

    .card__table {
      border-collapse: collapse;
      width: 100%;
    }

    .card__table--dense {
      font-size: 0.9rem;
    }

    .card__table th,
    .card__table td {
      text-align: start;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border-bottom: 1px solid var(--at-color-border);
    }

    input,
    select,
    button {
      font: inherit;
    }

    input:focus-visible,
    select:focus-visible,
    button:focus-visible,
    a:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];
