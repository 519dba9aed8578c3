import { randomBytes, randomInt, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt cost: N = 2^15, r = 8 (32 MiB per hash), p = 3. OWASP lists this as equivalent to its
 * N = 2^17 minimum while keeping memory inside a 192 MiB tenant container.
 * Stored with each hash, so raising it later leaves existing hashes verifiable.
 */
const DEFAULT_PARAMS = { logN: 15, r: 8, p: 3 } as const;
const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuse to verify against absurd stored parameters instead of exhausting memory. */
const MAX_LOG_N = 20;

/** Readable alphabet for generated passwords: no 0/O/o, 1/l/I. */
const PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";
/** 20 characters from 56 symbols ≈ 116 bits of entropy. */
const PASSWORD_LENGTH = 20;

interface ScryptParams {
  logN: number;
  r: number;
  p: number;
}

/**
 * Hashes a password with scrypt and a random salt. The result is self-describing:
 * `$scrypt$ln=15,r=8,p=3$<salt base64>$<key base64>`.
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, DEFAULT_PARAMS);
  const { logN, r, p } = DEFAULT_PARAMS;
  return `$scrypt$ln=${logN},r=${r},p=${p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/**
 * Checks a password against a stored hash in constant time. Malformed hashes verify as false
 * rather than throwing, so a corrupt row cannot crash a login.
 */
export async function verifyPassword(password: string, storedHash: string): Promise<boolean> {
  const parsed = parseHash(storedHash);
  if (parsed === undefined) return false;
  const key = await deriveKey(password, parsed.salt, parsed.params, parsed.key.length);
  return timingSafeEqual(key, parsed.key);
}

/** A one-time password for a person to type once: crypto-random, readable, 20 characters. */
export function generateOneTimePassword(): string {
  let password = "";
  // randomInt rejects biased draws, so every character is uniformly distributed.
  for (let i = 0; i < PASSWORD_LENGTH; i++)
    password += PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)];
  return password;
}

function deriveKey(
  password: string,
  salt: Buffer,
  { logN, r, p }: ScryptParams,
  keyLength: number = KEY_BYTES,
): Promise<Buffer> {
  const N = 2 ** logN;
  // Node's default maxmem (32 MiB) is exactly 128·N·r here; leave headroom.
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, keyLength, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function parseHash(
  storedHash: string,
): { params: ScryptParams; salt: Buffer; key: Buffer } | undefined {
  const match =
    /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
      storedHash,
    );
  if (match === null) return undefined;
  const [, logN, r, p, salt, key] = match;
  const params = { logN: Number(logN), r: Number(r), p: Number(p) };
  if (params.logN < 1 || params.logN > MAX_LOG_N || params.r < 1 || params.p < 1) return undefined;
  const keyBytes = Buffer.from(key ?? "", "base64");
  if (keyBytes.length < 16) return undefined;
  return { params, salt: Buffer.from(salt ?? "", "base64"), key: keyBytes };
}
