import { createHash, randomBytes } from 'node:crypto';

/** Opaque random secrets; only their SHA-256 is stored, so a database leak yields no usable token. */
export const newSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export const API_TOKEN_PREFIX = 'lia_';
export const newApiToken = () => `${API_TOKEN_PREFIX}${newSecret(30)}`;
