import { describe, expect, it } from "vitest";
import { maskSensitiveNumbers } from "./sensitiveNumbers.js";

describe("maskSensitiveNumbers", () => {
  it.each([
    ["Meu CPF é 529.982.247-25, obrigado", "Meu CPF é ***.***.***-25, obrigado"],
    ["cpf 52998224725", "cpf *********25"],
    ["CNPJ 11.222.333/0001-81 da loja", "CNPJ **.***.***/****-81 da loja"],
    ["cartão 4111 1111 1111 1111 vence 12/27", "cartão **** **** **** 1111 vence 12/27"],
    ["5500-0000-0000-0004", "****-****-****-0004"],
  ])("masks %j", (text, masked) => {
    expect(maskSensitiveNumbers(text)).toBe(masked);
  });

  it.each([
    "Pedido 123456789012 saiu para entrega",
    "Meu telefone é (11) 98765-4321",
    "+55 11 98765-4321",
    "CPF inválido 111.111.111-11",
    "protocolo 529.982.247-24",
    "data 28/11/2026 às 14:30",
    "cartão 4111 1111 1111 1112",
  ])("leaves %j as it is", (text) => {
    expect(maskSensitiveNumbers(text)).toBe(text);
  });

  it("masks several numbers in one message", () => {
    expect(maskSensitiveNumbers("529.982.247-25 e 11.222.333/0001-81")).toBe(
      "***.***.***-25 e **.***.***/****-81",
    );
  });
});
