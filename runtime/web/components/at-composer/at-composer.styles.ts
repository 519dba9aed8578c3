import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
    }

    .composer {
      display: flex;
      flex-direction: column;
      gap: calc(var(--at-space) / 2);
      padding: var(--at-space) calc(var(--at-space) * 2);
      border-top: 1px solid var(--at-color-border);
    }

    .composer__window,
    .composer__counter,
    .composer__percent {
      margin: 0;
      color: var(--at-color-muted);
      font-size: 0.8125rem;
    }

    .composer__counter {
      align-self: flex-end;
    }

    .composer__counter--full {
      color: var(--at-color-danger);
      font-weight: 600;
    }

    .composer__closed {
      margin: 0;
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .composer__failure {
      margin: 0;
      color: var(--at-color-danger);
      font-size: 0.875rem;
    }

    .composer__failure:empty {
      display: none;
    }

    .composer__upload {
      display: flex;
      align-items: center;
      gap: var(--at-space);
      font-size: 0.875rem;
    }

    .composer__upload {
      flex-wrap: wrap;
      padding: var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-background);
    }

    .composer__caption {
      display: flex;
      flex: 1 1 100%;
      align-items: center;
      gap: var(--at-space);
      white-space: nowrap;
    }

    .composer__caption input {
      flex: 1;
      min-width: 0;
      font: inherit;
      padding: calc(var(--at-space) / 2) var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
    }

    .composer__upload progress {
      flex: 1;
      max-width: 16rem;
    }

    .composer__quote {
      display: flex;
      align-items: flex-start;
      gap: var(--at-space);
      padding: calc(var(--at-space) / 2) var(--at-space);
      border-left: 3px solid var(--at-color-primary);
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-background);
      font-size: 0.875rem;
    }

    .composer__quote-body {
      flex: 1;
      min-width: 0;
      margin: 0;
      display: flex;
      flex-direction: column;
    }

    .composer__quote-author {
      font-weight: 600;
      color: var(--at-color-primary);
    }

    .composer__quote-text {
      color: var(--at-color-muted);
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    .composer__quote-cancel {
      padding: 0 calc(var(--at-space) / 2);
      background: transparent;
      color: var(--at-color-muted);
      font-size: 1.25rem;
      line-height: 1.2;
    }

    .composer__form {
      display: flex;
      align-items: end;
      gap: var(--at-space);
    }

    .composer__field {
      position: relative;
      flex: 1;
      display: flex;
      flex-direction: column;
    }

    .composer__label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }

    textarea {
      font: inherit;
      padding: var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      resize: vertical;
      max-height: 40vh;
    }

    button {
      font: inherit;
      font-weight: 600;
      padding: var(--at-space) calc(var(--at-space) * 2);
      border: 0;
      border-radius: calc(var(--at-radius) / 2);
      cursor: pointer;
    }

    .composer__send {
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
    }

    .composer__attach,
    .composer__secondary {
      background: var(--at-color-background);
      border: 1px solid var(--at-color-border);
      color: var(--at-color-text);
    }

    .composer__attach {
      display: inline-flex;
      align-items: center;
      padding: var(--at-space);
    }

    button:disabled {
      opacity: 0.5;
      cursor: not-allowed;
    }

    .composer__menu {
      position: absolute;
      bottom: 100%;
      left: 0;
      right: 0;
      margin: 0 0 4px;
      padding: calc(var(--at-space) / 2) 0;
      list-style: none;
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      box-shadow: 0 4px 12px rgb(0 0 0 / 12%);
      max-height: 16rem;
      overflow-y: auto;
      z-index: 1;
    }

    .composer__option,
    .composer__menu-empty {
      display: flex;
      gap: var(--at-space);
      padding: calc(var(--at-space) / 2) var(--at-space);
    }

    .composer__menu-empty {
      color: var(--at-color-muted);
    }

    .composer__option {
      cursor: pointer;
    }

    .composer__option[aria-selected="true"] {
      background: #e7f3ee;
      outline: 2px solid var(--at-color-primary);
      outline-offset: -2px;
    }

    .composer__shortcut {
      font-family: ui-monospace, monospace;
      color: var(--at-color-primary);
    }

    textarea:focus-visible,
    input:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];
