import { describe, expect, it } from 'vitest';
import { deviceSecretStore } from './secrets';

const fakeSafeStorage = (available: boolean) => ({
  isEncryptionAvailable: () => available,
  encryptString: (plain: string) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decryptString: (sealed: Buffer) => Buffer.from([...sealed].map((b) => b ^ 0x5a)).toString(),
});

describe('device secret store', () => {
  it('seals with safeStorage when the OS offers it, and opens what it sealed', () => {
    const store = deviceSecretStore(fakeSafeStorage(true));
    expect(store.kind).toBe('safeStorage');
    const sealed = store.seal(Buffer.from('-----BEGIN PRIVATE KEY-----'));
    expect(sealed.toString()).not.toContain('PRIVATE KEY');
    expect(store.open(sealed).toString()).toBe('-----BEGIN PRIVATE KEY-----');
  });

  it('falls back to a plain file store without an OS keychain', () => {
    expect(deviceSecretStore(fakeSafeStorage(false)).kind).toBe('file');
  });
});
