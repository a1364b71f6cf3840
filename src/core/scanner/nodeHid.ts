// Runs in the Electron main process and the CLI. The real HidLike: node-hid's HIDAsync, loaded
// on first use (its native part is only needed where scanners are). Kept thin: enumeration,
// open by path, and permission errors given the code EACCES so callers need not parse text.
import type * as NodeHidLib from 'node-hid';
import type { HidHandle, HidLike } from './manager';
import { isPermissionError } from './permissions';
import type { HidDeviceInfo } from './vendors';

type NodeHid = typeof NodeHidLib;

export function nodeHidAdapter(load: () => Promise<NodeHid> = () => import('node-hid')): HidLike {
  let loaded: Promise<NodeHid> | null = null;
  const lib = () => (loaded ??= load());
  return {
    async devices(): Promise<HidDeviceInfo[]> {
      return (await lib()).devicesAsync();
    },
    async open(path: string): Promise<HidHandle> {
      const { HIDAsync } = await lib();
      try {
        return await HIDAsync.open(path);
      } catch (err) {
        if (isPermissionError(err) && (err as { code?: unknown }).code === undefined) {
          throw Object.assign(err as Error, { code: 'EACCES' });
        }
        throw err;
      }
    },
  };
}
