/**
 * Masks Brazilian tax ids (CPF, CNPJ) and payment card numbers inside free text, so they are
 * neither stored nor shown in clear (LGPD: data minimisation). Only numbers whose check digits
 * are right are masked, so order numbers, protocols and phone numbers stay readable. Separators
 * are kept; every digit but the last few becomes `*`.
 */

const digitsOf = (text: string) => text.replace(/\D/g, "");

function isCpf(digits: string): boolean {
  if (digits.length !== 11 || /^(\d)\1{10}$/.test(digits)) return false;
  const check = (length: number) => {
    let sum = 0;
    for (let i = 0; i < length; i++) sum += Number(digits[i]) * (length + 1 - i);
    const rest = (sum * 10) % 11;
    return rest === 10 ? 0 : rest;
  };
  return check(9) === Number(digits[9]) && check(10) === Number(digits[10]);
}

function isCnpj(digits: string): boolean {
  if (digits.length !== 14 || /^(\d)\1{13}$/.test(digits)) return false;
  const check = (length: number) => {
    const weights =
      length === 12
        ? [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
        : [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let sum = 0;
    for (let i = 0; i < length; i++) sum += Number(digits[i]) * (weights[i] ?? 0);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  return check(12) === Number(digits[12]) && check(13) === Number(digits[13]);
}

function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Replaces every digit of `match` but the last `keep` with `*`, keeping separators. */
function maskDigits(match: string, keep: number): string {
  const total = digitsOf(match).length;
  let seen = 0;
  return match.replace(/\d/g, (digit) => (++seen > total - keep ? digit : "*"));
}

// Candidates: digit runs with the separators people type (dots, dashes, slashes, spaces).
const CANDIDATE = /(?<![\d])\d(?:[\d.\-/ ]{9,22}\d)(?![\d])/g;

/** What kind of number a candidate is, if any. */
function classify(candidate: string): "cpf" | "cnpj" | "card" | undefined {
  const digits = digitsOf(candidate);
  if (digits.length === 11 && isCpf(digits)) return "cpf";
  if (digits.length === 14 && isCnpj(digits)) return "cnpj";
  if (
    digits.length >= 13 &&
    digits.length <= 19 &&
    /^[\d -]+$/.test(candidate) &&
    passesLuhn(digits)
  )
    return "card";
  return undefined;
}

/** `text` with CPFs, CNPJs and card numbers masked (CPF/CNPJ keep 2 digits, cards 4). */
export function maskSensitiveNumbers(text: string): string {
  return text.replace(CANDIDATE, (candidate) => {
    const kind = classify(candidate.trim());
    if (kind === undefined) return candidate;
    return maskDigits(candidate, kind === "card" ? 4 : 2);
  });
}
