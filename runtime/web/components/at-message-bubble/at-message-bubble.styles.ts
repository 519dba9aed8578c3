import { css } from "lit";
import { componentStyles } from "../../styles/component.styles.js";

export default [
  componentStyles,
  css`
    :host {
      display: flex;
      flex-direction: column;
      align-items: flex-start;
      max-width: min(70%, 32rem);
    }

    :host([direction="outbound"]) {
      align-self: flex-end;
      align-items: flex-end;
    }

    .bubble {
      padding: var(--at-space) calc(var(--at-space) * 1.5);
      border-radius: var(--at-radius);
      background: var(--at-color-surface);
      border: 1px solid var(--at-color-border);
      min-width: 6rem;
      overflow-wrap: anywhere;
    }

    :host([direction="outbound"]) .bubble {
      background: #dcf8c6;
    }

    p {
      margin: 0;
    }

    .bubble__text {
      white-space: pre-wrap;
    }

    .bubble__title {
      font-weight: 600;
    }

    .bubble__kind,
    .bubble__muted,
    .bubble__meta {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .bubble__quote {
      margin: 0 0 calc(var(--at-space) / 2);
      padding: calc(var(--at-space) / 2) var(--at-space);
      border-left: 3px solid var(--at-color-primary);
      background: rgb(0 0 0 / 4%);
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .bubble__quote-text {
      white-space: pre-wrap;
    }

    /* Fixed boxes: media loading later never moves the thread under the reader. */
    .bubble__image {
      display: block;
      width: 240px;
      height: 180px;
      object-fit: cover;
      border-radius: calc(var(--at-radius) / 2);
      background: var(--at-color-background);
    }

    .bubble__sticker {
      display: block;
      width: 120px;
      height: 120px;
      object-fit: contain;
    }

    .bubble__video {
      display: block;
      width: 240px;
      height: 180px;
      background: #000;
    }

    .bubble__audio {
      display: block;
      width: 260px;
      height: 40px;
    }

    .bubble__document {
      display: flex;
      align-items: center;
      gap: var(--at-space);
      padding: var(--at-space);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      color: inherit;
      background: rgb(255 255 255 / 60%);
    }

    .bubble__document-size {
      color: var(--at-color-muted);
      font-size: 0.875rem;
    }

    .bubble__media-state {
      font-style: italic;
      color: var(--at-color-muted);
    }

    .bubble__media-state--failed,
    .bubble__failure {
      color: var(--at-color-danger);
      font-style: normal;
      font-size: 0.875rem;
    }

    .bubble__failure {
      margin-top: calc(var(--at-space) / 2);
    }

    .bubble__contacts,
    .bubble__choices {
      margin: calc(var(--at-space) / 2) 0 0;
      padding: 0;
      list-style: none;
    }

    .bubble__contacts li + li {
      margin-top: var(--at-space);
    }

    .bubble__choices li {
      margin-top: calc(var(--at-space) / 2);
      padding: calc(var(--at-space) / 2);
      border: 1px solid var(--at-color-border);
      border-radius: calc(var(--at-radius) / 2);
      text-align: center;
      color: var(--at-color-primary);
    }

    .bubble__pre {
      margin: 0;
      white-space: pre-wrap;
      font-size: 0.8125rem;
    }

    .bubble__meta {
      display: flex;
      justify-content: flex-end;
      gap: calc(var(--at-space) / 2);
    }

    .bubble__ticks--read {
      color: #34b7f1;
    }

    .bubble__reactions {
      margin-top: -4px;
      padding: 0 calc(var(--at-space) / 2);
      border: 1px solid var(--at-color-border);
      border-radius: 999px;
      background: var(--at-color-surface);
      font-size: 0.875rem;
    }

    .bubble__visually-hidden {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }

    .bubble__actions {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: calc(var(--at-space) / 2);
      margin-top: 2px;
    }

    .bubble__action,
    .bubble__emoji {
      font: inherit;
      cursor: pointer;
      border: 1px solid transparent;
      border-radius: 999px;
      background: transparent;
      color: var(--at-color-muted);
    }

    .bubble__action {
      padding: 0 calc(var(--at-space) / 2);
      font-size: 0.8125rem;
    }

    .bubble__action:hover,
    .bubble__action[aria-expanded="true"] {
      border-color: var(--at-color-border);
      background: var(--at-color-surface);
      color: var(--at-color-text);
    }

    .bubble__emojis {
      display: flex;
      gap: 2px;
      padding: 2px;
      border: 1px solid var(--at-color-border);
      border-radius: 999px;
      background: var(--at-color-surface);
      box-shadow: 0 2px 8px rgb(0 0 0 / 12%);
    }

    .bubble__emoji {
      min-width: 2rem;
      min-height: 2rem;
      font-size: 1.125rem;
      line-height: 1;
    }

    .bubble__emoji:hover,
    .bubble__emoji[aria-pressed="true"] {
      background: #e7f3ee;
    }

    .bubble__emoji[aria-pressed="true"] {
      border-color: var(--at-color-primary);
    }

    a:focus-visible,
    button:focus-visible {
      outline: 3px solid var(--at-color-focus);
      outline-offset: 2px;
    }
  `,
];
