import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";
import { formStyles } from "../../styles/form.styles.js";

export default [
  componentStyles,
  formStyles,
  css`
    :host {
      display: block;
    }

    .header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: var(--at-space);
    }

    .form {
      padding: calc(var(--at-space) * 2);
      border: 1px dashed var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .form__heading {
      margin: 0 0 var(--at-space);
      font-size: 1rem;
    }

    .empty {
      margin: 0;
      padding: calc(var(--at-space) * 3);
      text-align: center;
      color: var(--at-color-muted);
      border: 1px dashed var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .table__wrap {
      overflow-x: auto;
    }

    .table {
      width: 100%;
      border-collapse: collapse;
    }

    .table th,
    .table td {
      padding: var(--at-space);
      text-align: start;
      border-bottom: 1px solid var(--at-color-border);
      vertical-align: middle;
    }

    .table thead th {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .table__name {
      font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
      font-weight: 600;
      word-break: break-all;
    }

    .table__reason {
      color: var(--at-color-danger);
      font-size: 0.875rem;
    }

    .badge {
      display: inline-block;
      padding: 2px calc(var(--at-space) * 1);
      border-radius: 999px;
      font-size: 0.8125rem;
      font-weight: 600;
      white-space: nowrap;
    }

    .badge--ok {
      background: #e3f4ea;
      color: #0b6e4f;
    }

    .badge--wait {
      background: #fff4d6;
      color: #7a5200;
    }

    .badge--bad {
      background: #fdecea;
      color: var(--at-color-danger);
    }

    .badge--off {
      background: #eceff3;
      color: var(--at-color-muted);
    }

    .dialog {
      max-width: 420px;
      padding: calc(var(--at-space) * 3);
      border: 1px solid var(--at-color-border);
      border-radius: var(--at-radius);
    }

    .dialog::backdrop {
      background: rgb(0 0 0 / 0.4);
    }

    .dialog__text {
      margin: 0 0 calc(var(--at-space) * 2);
    }

    .visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  `,
];
