/** The payload codec: AES-256-GCM with a key id in each payload, rotation, and pass-through of old payloads. */
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { EncryptionCodec, ENCRYPTED_ENCODING, newPayloadKey, parsePayloadKeys } from '../../src/payload-codec';

const secret = { child: { name: 'Test Child' }, concern: 'missing since Monday', phone: '01234 567890' };
const plain = defaultPayloadConverter.toPayload(secret);
const k1 = newPayloadKey();
const k2 = newPayloadKey();

describe('payload codec', () => {
  it('encrypts: nothing of the value is readable in the stored payload, and it decodes back', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ k1 })));
    const [stored] = await codec.encode([plain]);
    const raw = Buffer.from(JSON.stringify(stored)).toString() + Buffer.from(stored!.data!).toString('latin1');
    for (const word of ['Test Child', 'Monday', '01234', 'json/plain']) expect(raw).not.toContain(word);
    expect(new TextDecoder().decode(stored!.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    const [back] = await codec.decode([stored!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual(secret);
  });

  it('rotates: the current key encrypts, an old key still decrypts', async () => {
    const before = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ k1 })));
    const after = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ k1, k2 })));
    const [old] = await before.encode([plain]);
    const [fresh] = await after.encode([plain]);
    expect(new TextDecoder().decode(fresh!.metadata!['encryption-key-id'])).toBe('k2');
    expect(defaultPayloadConverter.fromPayload((await after.decode([old!]))[0]!)).toEqual(secret);
    await expect(before.decode([fresh!])).rejects.toThrow('no payload key k2');
  });

  it('passes payloads recorded before the codec through unchanged', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ k1 })));
    expect(await codec.decode([plain])).toEqual([plain]);
  });

  it('refuses a tampered payload (GCM authenticates it)', async () => {
    const codec = new EncryptionCodec(parsePayloadKeys(JSON.stringify({ k1 })));
    const [stored] = await codec.encode([plain]);
    const data = Buffer.from(stored!.data!);
    data[20] = data[20]! ^ 1;
    await expect(codec.decode([{ ...stored!, data }])).rejects.toThrow();
  });

  it('reads keys strictly, naming what is wrong but never a key', () => {
    expect(() => parsePayloadKeys('nope')).toThrow('not JSON');
    expect(() => parsePayloadKeys('{}')).toThrow('no key given');
    expect(() => parsePayloadKeys(JSON.stringify({ k1: 'c2hvcnQ=' }))).toThrow('key k1 must be 32 bytes');
    expect(() => parsePayloadKeys(JSON.stringify({ 'a b': k1 }))).toThrow('is not a plain id');
    expect(() => parsePayloadKeys(JSON.stringify({ k1 }), 'k9')).toThrow('no key k9');
    expect(parsePayloadKeys(JSON.stringify({ k1, k2 })).current).toBe('k2');
    expect(parsePayloadKeys(JSON.stringify({ k1, k2 }), 'k1').current).toBe('k1');
  });
});
