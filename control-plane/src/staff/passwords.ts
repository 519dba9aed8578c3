import { randomBytes, randomInt, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";

/**
 * scrypt cost N = 2^15, r = 8, p = 3 (OWASP's equivalent of its N = 2^17 minimum). Stored in
 * each hash, so raising it later keeps old hashes verifiable.
 */
const PARAMS = { logN: 15, r: 8, p: 3 } as const;
const MAX_LOG_N = 20;
const KEY_BYTES = 32;
/** Readable alphabet: no 0/O/o, 1/l/I. 20 characters ≈ 116 bits. */
const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

interface Params {
  logN: number;
  r: number;
  p: number;
}

/** `$scrypt$ln=15,r=8,p=3$<salt>$<key>` with a random salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, PARAMS, KEY_BYTES);
  return `$scrypt$ln=${PARAMS.logN},r=${PARAMS.r},p=${PARAMS.p}$${salt.toString("base64")}$${key.toString("base64")}`;
}

/** Constant-time check; a malformed hash verifies as false instead of throwing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match =
    /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(
      stored,
    );
  if (match === null) return false;
  const params = { logN: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.logN < 1 || params.logN > MAX_LOG_N || params.r < 1 || params.p < 1) return false;
  const key = Buffer.from(match[5] ?? "", "base64");
  if (key.length < 16) return false;
  const derived = await derive(password, Buffer.from(match[4] ?? "", "base64"), params, key.length);
  return timingSafeEqual(derived, key);
}

/** A crypto-random one-time password, shown once and stored only as a hash. */
export function generateOneTimePassword(length = 20): string {
  let password = "";
  for (let i = 0; i < length; i++) password += ALPHABET[randomInt(ALPHABET.length)];
  return password;
}

function derive(password: string, salt: Buffer, { logN, r, p }: Params, length: number) {
  const N = 2 ** logN;
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r };
  return new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
