// Runs under vitest (Node). The node-hid adapter: the real library enumerates and refuses a bad
// path here (no scanners on the build machine); permission errors get the code EACCES.
import { describe, expect, it } from 'vitest';
import { nodeHidAdapter } from './nodeHid';

describe('nodeHidAdapter', () => {
  it('enumerates with the real node-hid (an array, empty on a machine without HID devices)', async () => {
    const list = await nodeHidAdapter().devices();
    expect(Array.isArray(list)).toBe(true);
    for (const d of list) expect(typeof d.vendorId).toBe('number');
  });

  it('opening a path that does not exist rejects, and does not claim a permission problem', async () => {
    const err = await nodeHidAdapter().open('/dev/munjigi-no-such-hidraw').then(
      () => null,
      (e: unknown) => e as Error & { code?: string },
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toContain('/dev/munjigi-no-such-hidraw');
    expect(err?.code).not.toBe('EACCES');
  });

  it('hidapi\'s "Permission denied" becomes code EACCES', async () => {
    const fakeLib = {
      devicesAsync: async () => [],
      HIDAsync: {
        open: async (path: string) => {
          throw new Error(`cannot open device with path ${path}: Failed to open a device with path '${path}': Permission denied`);
        },
      },
    };
    const adapter = nodeHidAdapter(async () => fakeLib as never);
    await expect(adapter.open('/dev/hidraw0')).rejects.toMatchObject({ code: 'EACCES' });
  });

  it('loads the library once', async () => {
    let loads = 0;
    const adapter = nodeHidAdapter(async () => {
      loads++;
      return { devicesAsync: async () => [], HIDAsync: { open: async () => ({}) } } as never;
    });
    await adapter.devices();
    await adapter.devices();
    await adapter.open('/x');
    expect(loads).toBe(1);
  });
});
