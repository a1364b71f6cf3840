// Runs under vitest (Node). Recognising scanners among HID devices, the advice shown for each,
// the permission message, and the shipped udev rule matching the vendor table.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resourcePath } from '../paths';
import { isPermissionError, permissionAdvice, shippedRulePath, udevLineFor, UDEV_RULE_FILE } from './permissions';
import { classifyDevice, deviceAdvice, deviceLabel, SCANNER_VENDORS } from './vendors';

describe('classifyDevice', () => {
  it.each([
    [{ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x02 }, 'hidpos'],
    // A HID POS scanner from any maker is recognised by its usage page alone.
    [{ vendorId: 0x1234, productId: 0x0001, usagePage: 0x8c, usage: 0x02 }, 'hidpos'],
    [{ vendorId: 0x05e0, productId: 0x1200, usagePage: 0x01, usage: 0x06 }, 'keyboard-scanner'],
    [{ vendorId: 0x1eab, productId: 0x0d10, usagePage: 0x01, usage: 0x06 }, 'keyboard-scanner'],
    [{ vendorId: 0x05f9, productId: 0x2206, usagePage: 0xff00, usage: 0x01 }, 'scanner-other'],
    [{ vendorId: 0x0c2e, productId: 0x0b61, usagePage: 0x8c, usage: 0x04 }, 'scanner-other'],
    [{ vendorId: 0x046d, productId: 0xc31c, usagePage: 0x01, usage: 0x06 }, 'other'],
    [{ vendorId: 0x046d, productId: 0xc077 }, 'other'],
  ] as const)('%j → %s', (d, kind) => {
    expect(classifyDevice(d)).toBe(kind);
  });
});

describe('device labels and advice', () => {
  it('labels with maker, product and ids, never the serial number', () => {
    expect(deviceLabel({ vendorId: 0x0c2e, productId: 0x0b61, manufacturer: 'Honeywell', product: 'Xenon', serialNumber: 'SN123' })).toBe('Honeywell Xenon (0c2e:0b61)');
    expect(deviceLabel({ vendorId: 0x05e0, productId: 0x1200 })).toBe('Zebra (Symbol Technologies) (05e0:1200)');
    expect(deviceLabel({ vendorId: 0x9999, productId: 1, product: '  ' })).toBe('HID 장치 (9999:0001)');
  });

  it('tells how to switch a keyboard-mode scanner to HID POS, or keep it as a wedge', () => {
    const text = deviceAdvice({ vendorId: 0x05e0, productId: 0x1200, usagePage: 1, usage: 6 }) ?? '';
    expect(text).toContain('키보드(웨지) 모드');
    expect(text).toContain('그대로 써도 됩니다');
    expect(text).toContain('USB HID POS');
    expect(text).toContain('123Scan');
    expect(deviceAdvice({ vendorId: 0x27dd, productId: 1, usagePage: 1, usage: 6 })).not.toContain('설정 프로그램(');
  });

  it('says nothing about devices that are not scanners', () => {
    expect(deviceAdvice({ vendorId: 0x046d, productId: 0xc31c, usagePage: 1, usage: 6 })).toBeNull();
  });
});

describe('permission errors', () => {
  it.each([
    [Object.assign(new Error('x'), { code: 'EACCES' }), true],
    [Object.assign(new Error('x'), { code: 'EPERM' }), true],
    [new Error("cannot open device with path /dev/hidraw0: Failed to open a device with path '/dev/hidraw0': Permission denied"), true],
    [new Error('Access is denied.'), true],
    [new Error('cannot open device with path /dev/hidraw0: No such file or directory'), false],
    ['Permission denied', false],
    [null, false],
  ])('%s → %s', (err, want) => {
    expect(isPermissionError(err)).toBe(want);
  });

  it('on Linux names the rule file and the commands; quotes a path with spaces and quotes safely', () => {
    const text = permissionAdvice({ vendorId: 0x0c2e, productId: 0x0b61 }, "/opt/My App's/70-munjigi-hidpos.rules", 'linux');
    expect(text).toContain(`sudo install -m 644 '/opt/My App'\\''s/70-munjigi-hidpos.rules' /etc/udev/rules.d/${UDEV_RULE_FILE}`);
    expect(text).toContain('sudo udevadm trigger --subsystem-match=hidraw');
  });

  it('elsewhere gives no udev advice', () => {
    expect(permissionAdvice({ vendorId: 0x0c2e, productId: 0x0b61 }, 'x', 'win32')).not.toContain('udev');
  });
});

describe('resources/udev/70-munjigi-hidpos.rules', () => {
  const text = readFileSync(resourcePath('udev', UDEV_RULE_FILE), 'utf8');

  it('is where the permission message says it is', () => {
    expect(shippedRulePath()).toBe(resourcePath('udev', UDEV_RULE_FILE));
    expect(existsSync(shippedRulePath())).toBe(true);
  });
  const rules = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'));

  it('grants exactly the vendors of the table, through uaccess and the plugdev group, on hidraw only', () => {
    const vendors = rules.flatMap((l) => [...l.matchAll(/ATTRS\{idVendor\}=="([0-9a-f]{4})"/g)].map((m) => parseInt(m[1] as string, 16)));
    expect(vendors.sort()).toEqual(SCANNER_VENDORS.map((v) => v.vendorId).sort());
    for (const l of rules.filter((r) => r.includes('idVendor'))) expect(l).toMatch(/^ATTRS\{idVendor\}=="[0-9a-f]{4}", TAG\+="uaccess", GROUP="plugdev", MODE="0660"$/);
    expect(rules).toContain('SUBSYSTEM!="hidraw", GOTO="munjigi_hidpos_end"');
    expect(rules.at(-1)).toBe('LABEL="munjigi_hidpos_end"');
  });

  it('every line is a well-formed udev rule: key op "value" pairs separated by commas', () => {
    const pair = /^(ACTION|SUBSYSTEM|ATTRS\{idVendor\}|ATTRS\{idProduct\}|TAG|GROUP|MODE|GOTO|LABEL)(==|!=|\+=|=)"[^"]*"$/;
    for (const l of rules) for (const p of l.split(', ')) expect(p).toMatch(pair);
  });

  it('the per-device line for other makers has the same form', () => {
    const line = udevLineFor({ vendorId: 0x1234, productId: 0xabcd });
    expect(line).toBe('SUBSYSTEM=="hidraw", ATTRS{idVendor}=="1234", ATTRS{idProduct}=="abcd", TAG+="uaccess", GROUP="plugdev", MODE="0660"');
  });
});
