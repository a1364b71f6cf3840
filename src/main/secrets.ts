// Runs in the Electron main process (pure: Electron enters as an interface). The kiosk's device
// key is sealed with the OS keychain through safeStorage where the OS offers it; otherwise it
// stays a 0600 file, as on any Node host.
import type { SecretStore } from '../core/app/enrollment';
import { fileSecretStore } from '../core/app/enrollment';

export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(sealed: Buffer): string;
}

export function deviceSecretStore(safeStorage: SafeStorageLike): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return fileSecretStore;
  return {
    kind: 'safeStorage',
    seal: (plain) => safeStorage.encryptString(plain.toString('utf8')),
    open: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'utf8'),
  };
}
