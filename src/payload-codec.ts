/**
 * Encrypts every payload Temporal stores (workflow inputs, updates, signals, query results,
 * activity inputs and results, memos, failure details) with AES-256-GCM from Node's own crypto.
 *
 * Each encrypted payload names its key (`encryption-key-id`), so keys rotate: the current key
 * encrypts, every configured key decrypts. A payload without this codec's encoding (histories
 * recorded before it) passes through unchanged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ValueError, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12; // the GCM nonce size NIST recommends
const TAG_BYTES = 16;

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (data: Uint8Array | null | undefined) => (data ? new TextDecoder().decode(data) : '');

export interface PayloadKeys {
  /** The key id new payloads are encrypted with. */
  current: string;
  /** Every key that may decrypt, by id: 32 bytes each. */
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Reads `{ "<key id>": "<32 bytes, base64>", … }` with the current key's id (default: the last
 * listed). Throws a message naming what is wrong; never the key material.
 */
export function parsePayloadKeys(json: string, current?: string): PayloadKeys {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('PAYLOAD_KEYS: not JSON (expected {"<key id>": "<32 bytes in base64>"})');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('PAYLOAD_KEYS: expected an object of key id to base64 key');
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(parsed)) {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
      throw new Error(`PAYLOAD_KEYS: key id ${JSON.stringify(id)} is not a plain id`);
    const key = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) throw new Error(`PAYLOAD_KEYS: key ${id} must be 32 bytes in base64 (AES-256)`);
    keys.set(id, key);
  }
  if (keys.size === 0) throw new Error('PAYLOAD_KEYS: no key given');
  const chosen = current ?? [...keys.keys()].at(-1)!;
  if (!keys.has(chosen)) throw new Error(`PAYLOAD_KEY_CURRENT: no key ${chosen} in PAYLOAD_KEYS`);
  return { current: chosen, keys };
}

/** A new random key, as `PAYLOAD_KEYS` holds it. */
export const newPayloadKey = (): string => randomBytes(32).toString('base64');

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly payloadKeys: PayloadKeys) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { current, keys } = this.payloadKeys;
    const key = keys.get(current)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { encoding: bytes(ENCRYPTED_ENCODING), [KEY_ID]: bytes(current) }, data };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (text(payload.metadata?.encoding) !== ENCRYPTED_ENCODING) return payload; // recorded before the codec
      const id = text(payload.metadata?.[KEY_ID]);
      const key = this.payloadKeys.keys.get(id);
      if (!key) throw new ValueError(`no payload key ${id}: add it to PAYLOAD_KEYS to read this payload`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('encrypted payload too short');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/** The module that encodes failures' messages and stacks (bundled into the workflow code too). */
export const failureConverterPath = require.resolve('../workflows/failure-converter.cjs');

/** The data converter of every client and worker the service creates: everything stored is encrypted. */
export function encryptingDataConverter(payloadKeys: PayloadKeys): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(payloadKeys)], failureConverterPath };
}
