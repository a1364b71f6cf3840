// Runs in Node (main, CLI). Turns "cannot open the scanner" into what the operator must do:
// on Linux, the udev rule to install (or, for a maker not in it, a one-line rule to add).
import { resourcePath } from '../paths';
import type { HidDeviceInfo } from './vendors';
import { deviceLabel, scannerVendor } from './vendors';

export const UDEV_RULE_FILE = '70-munjigi-hidpos.rules';

/** Where the shipped rule is in this installation (resources/udev/), or just its name if that cannot be found. */
export function shippedRulePath(): string {
  try {
    return resourcePath('udev', UDEV_RULE_FILE);
  } catch {
    return UDEV_RULE_FILE;
  }
}

/** True for "permission denied" however the platform or hidapi words it. */
export function isPermissionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (code === 'EACCES' || code === 'EPERM') return true;
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && /permission denied|access (is )?denied|EACCES|EPERM|not permitted/i.test(message);
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');

/** The udev line granting access to exactly this device (for makers the shipped rule does not list). */
export function udevLineFor(d: Pick<HidDeviceInfo, 'vendorId' | 'productId'>): string {
  return `SUBSYSTEM=="hidraw", ATTRS{idVendor}=="${hex4(d.vendorId)}", ATTRS{idProduct}=="${hex4(d.productId)}", TAG+="uaccess", GROUP="plugdev", MODE="0660"`;
}

/**
 * The exact commands that grant access to `d` on Linux (what the setup screen shows to copy),
 * or null elsewhere (no rule is needed there). `rulePath` is where the shipped rule file is.
 */
export function udevCommands(d: Pick<HidDeviceInfo, 'vendorId' | 'productId'>, rulePath: string, platform: string): string[] | null {
  if (platform !== 'linux') return null;
  const lines = [`sudo install -m 644 '${rulePath.replace(/'/g, `'\\''`)}' /etc/udev/rules.d/${UDEV_RULE_FILE}`];
  if (!scannerVendor(d.vendorId)) lines.push(`echo '${udevLineFor(d)}' | sudo tee /etc/udev/rules.d/71-munjigi-hidpos-local.rules`);
  lines.push('sudo udevadm control --reload-rules', 'sudo udevadm trigger --subsystem-match=hidraw');
  return lines;
}

/**
 * The Korean message shown when opening `d` was refused. `rulePath` is where the shipped rule
 * file is on this machine; `platform` is process.platform.
 */
export function permissionAdvice(d: HidDeviceInfo, rulePath: string, platform: string): string {
  const who = deviceLabel(d);
  const commands = udevCommands(d, rulePath, platform);
  if (!commands) {
    return `스캐너 ${who}를 열 권한이 없습니다. 다른 프로그램(제조사 설정 도구 등)이 스캐너를 쓰고 있다면 닫고, 문지기를 다시 시작한 뒤 스캐너를 다시 꽂으세요.`;
  }
  const [install, ...rest] = commands;
  const lines = [`스캐너 ${who}를 열 권한이 없습니다. 터미널에서 다음을 실행한 뒤 스캐너를 뺐다가 다시 꽂으세요:`, `  ${install ?? ''}`];
  for (const line of rest) {
    if (line.includes('71-munjigi-hidpos-local')) lines.push(`  이 스캐너의 제조사(${hex4(d.vendorId)})는 기본 규칙에 없으므로 다음도 실행하세요:`);
    lines.push(`  ${line}`);
  }
  lines.push('로그인 세션 없이 도는 키오스크라면 실행 사용자를 plugdev 그룹에 넣으세요: sudo usermod -aG plugdev <사용자>');
  return lines.join('\n');
}
