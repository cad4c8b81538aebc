import { randomInt } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MIN_LENGTH } from '../../../contracts/auth.js';
import { AppError } from '../../platform/http/errors.js';

// argon2id with the library's defaults (m=19456 KiB, t=2, p=1: OWASP's minimum recommendation).
export const hashPassword = (password: string) => hash(password, { algorithm: 2 });

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** Length is checked by the schema; this adds the letters-and-digits rule. */
export function assertStrongPassword(password: string, field = 'password'): void {
  if (password.length < PASSWORD_MIN_LENGTH || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('WEAK_PASSWORD', { min: PASSWORD_MIN_LENGTH }, [{ path: field, key: 'WEAK_PASSWORD', params: { min: PASSWORD_MIN_LENGTH } }]);
  }
}

// Verified against when the username does not exist, so both paths cost the same time.
let dummyHash: Promise<string> | undefined;
export const timingDummyHash = () => {
  dummyHash ??= hashPassword('not-a-real-password-0');
  return dummyHash;
};

// No 0/O, 1/l/I: one-time passwords are read off a sheet or a terminal.
const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A fresh random password with letters and digits; there is no default password anywhere. */
export function randomPassword(length = 14): string {
  for (;;) {
    let p = '';
    for (let i = 0; i < length; i++) p += ALPHABET[randomInt(ALPHABET.length)];
    if (/[A-Za-z]/.test(p) && /\d/.test(p)) return p;
  }
}
