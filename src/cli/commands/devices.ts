// Runs in Node. `munjigi devices`: lists the HID devices this machine sees and says which are
// HID POS scanners (Munjigi opens them) and which are keyboard-mode scanners (the OS owns them),
// so an installer can set a kiosk up without guessing; --check tries to open each HID POS scanner.
import { parseArgs } from '../args';
import type { HidLike } from '../../core/scanner/manager';
import { nodeHidAdapter } from '../../core/scanner/nodeHid';
import { isPermissionError, permissionAdvice, shippedRulePath } from '../../core/scanner/permissions';
import type { DeviceKind, HidDeviceInfo } from '../../core/scanner/vendors';
import { classifyDevice, deviceAdvice, deviceLabel } from '../../core/scanner/vendors';
import type { CliIo, Command } from '../io';
import { writeLine } from '../io';

const usage = `Usage: munjigi devices [--scanners] [--check] [--json]

Lists HID devices: vendor:product ids, usage page:usage, maker and product name, and what each
is: a HID POS scanner (read directly by Munjigi), a keyboard-mode scanner (types its scans like
a keyboard: works as a wedge scanner, can be switched to HID POS), or another device.
  --scanners   only barcode scanners
  --check      try to open each HID POS scanner and say whether this user may (udev rule on Linux)
  --json       one JSON object a line instead of text`;

const KIND_TEXT: Readonly<Record<DeviceKind, string>> = {
  hidpos: 'HID POS 스캐너',
  'keyboard-scanner': '키보드 모드 스캐너',
  'scanner-other': '스캐너의 다른 인터페이스',
  other: '기타 HID 장치',
};
const ORDER: readonly DeviceKind[] = ['hidpos', 'keyboard-scanner', 'scanner-other', 'other'];

const hex = (n: number | undefined, width: number) => (n === undefined ? '?'.repeat(width) : n.toString(16).padStart(width, '0'));

/** Tries to open a HID POS scanner: null when it opened (and was closed again), else a Korean reason. */
async function openCheck(hid: HidLike, d: HidDeviceInfo): Promise<{ code: string; message: string } | null> {
  if (typeof d.path !== 'string' || d.path === '') return { code: 'HID_NO_PATH', message: '장치 경로가 없어 열 수 없습니다.' };
  try {
    const handle = await hid.open(d.path);
    await handle.close();
    return null;
  } catch (err) {
    if (isPermissionError(err)) return { code: 'HID_PERMISSION_DENIED', message: permissionAdvice(d, shippedRulePath(), process.platform) };
    return { code: 'HID_OPEN_FAILED', message: `열 수 없습니다: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}` };
  }
}

/** The command with its device library passed in (tests give a fake). */
export async function listDevices(argv: string[], io: CliIo, hid: HidLike): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { scanners: { type: 'boolean' }, check: { type: 'boolean' }, json: { type: 'boolean' } },
    allowPositionals: false,
    strict: true,
  });
  let list: HidDeviceInfo[];
  try {
    list = await hid.devices();
  } catch (err) {
    writeLine(io.stderr, `munjigi devices: HID 장치 목록을 읽을 수 없습니다: ${err instanceof Error ? err.message.slice(0, 200) : String(err)} (code: HID_ENUMERATION_FAILED)`);
    return 1;
  }
  const rows = list
    .map((d) => ({ d, kind: classifyDevice(d) }))
    .filter((r) => !values.scanners || r.kind !== 'other')
    .sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.d.vendorId - b.d.vendorId || a.d.productId - b.d.productId);

  let problems = 0;
  for (const { d, kind } of rows) {
    const check = values.check && kind === 'hidpos' ? await openCheck(hid, d) : undefined;
    if (check) problems++;
    const advice = deviceAdvice(d);
    if (values.json) {
      writeLine(
        io.stdout,
        JSON.stringify({
          vendorId: d.vendorId,
          productId: d.productId,
          usagePage: d.usagePage ?? null,
          usage: d.usage ?? null,
          manufacturer: d.manufacturer ?? null,
          product: d.product ?? null,
          path: d.path ?? null,
          kind,
          advice,
          ...(check !== undefined ? { open: check === null ? 'ok' : check.code } : {}),
        }),
      );
      continue;
    }
    writeLine(io.stdout, `${hex(d.vendorId, 4)}:${hex(d.productId, 4)}  usage ${hex(d.usagePage, 2)}:${hex(d.usage, 2)}  ${KIND_TEXT[kind]}  ${deviceLabel(d)}  ${d.path ?? ''}`);
    if (advice && kind !== 'other') writeLine(io.stdout, `    ${advice}`);
    if (check === null) writeLine(io.stdout, '    열기 확인: 됨');
    if (check) writeLine(io.stdout, `    열기 확인: 안 됨 (code: ${check.code})\n    ${check.message.replace(/\n/g, '\n    ')}`);
  }
  if (!values.json) {
    if (rows.length === 0) writeLine(io.stdout, values.scanners ? '연결된 바코드 스캐너가 없습니다.' : 'HID 장치가 없습니다.');
    const pos = rows.filter((r) => r.kind === 'hidpos').length;
    const wedge = rows.filter((r) => r.kind === 'keyboard-scanner').length;
    writeLine(io.stdout, `HID POS 스캐너 ${pos}대, 키보드 모드 스캐너 ${wedge}대.`);
  }
  return problems > 0 ? 1 : 0;
}

export const command: Command = {
  name: 'devices',
  summary: 'list HID devices and which are barcode scanners (HID POS or keyboard mode)',
  usage,
  run: (argv, io) => listDevices(argv, io, nodeHidAdapter()),
};
