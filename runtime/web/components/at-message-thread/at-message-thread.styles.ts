import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: block;
      min-height: 0;
    }

    .thread {
      display: flex;
      flex-direction: column;
      height: 100%;
    }

    .thread__header {
      display: flex;
      align-items: baseline;
      gap: var(--at-space);
      padding: var(--at-space) calc(var(--at-space) * 2);
      border-bottom: 1px solid var(--at-color-border);
    }

    .thread__title {
      margin: 0;
      font-size: 1.125rem;
    }

    .thread__number,
    .thread__meta,
    .thread__placeholder {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .thread__placeholder {
      padding: calc(var(--at-space) * 4);
      text-align: center;
    }

    .thread__messages {
      flex: 1;
      display: flex;
      flex-direction: column;
      gap: var(--at-space);
      margin: 0;
      padding: calc(var(--at-space) * 2);
      list-style: none;
      overflow-y: auto;
    }

    .thread__message {
      max-width: 70%;
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      border-radius: var(--at-radius);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
    }

    .thread__message--outbound {
      align-self: flex-end;
      background: #dcf8c6;
    }

    .thread__text {
      margin: 0;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
    }

    .thread__meta {
      display: flex;
      justify-content: flex-end;
      gap: calc(var(--at-space) / 2);
    }

    .thread__ticks--read {
      color: #34b7f1;
    }

    .thread__failure {
      margin: calc(var(--at-space) / 2) 0 0;
      color: var(--at-color-danger);
      font-size: 0.875rem;
    }

    .thread__composer {
      display: flex;
      align-items: end;
      gap: var(--at-space);
      padding: var(--at-space) calc(var(--at-space) * 2);
      border-top: 1px solid var(--at-color-border);
    }

    .thread__label {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
    }

    .thread__composer textarea {
      flex: 1;
      font: inherit;
      padding: var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      resize: vertical;
    }

    .thread__composer button {
      font: inherit;
      font-weight: 600;
      padding: var(--at-space) calc(var(--at-space) * 2);
      border: 0;
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-primary);
      color: var(--at-color-primary-text);
      cursor: pointer;
    }

    textarea:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }

    .thread__closed {
      margin: 0;
      padding: var(--at-space) calc(var(--at-space) * 2);
      border-top: 1px solid var(--at-color-border);
      color: var(--at-color-muted);
    }
  `,
];
