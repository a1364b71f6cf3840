// Runs in Node (server, CLI). The malicious-host list: one host per line, '#' comments.
// A listed host also covers its subdomains.
import { CodedError } from '../../shared/envelope';

export interface Blocklist {
  has(host: string): boolean;
  size: number;
}

const HOST = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function parseBlocklist(text: string): Blocklist {
  const hosts = new Set<string>();
  const lines = text.split(/\r?\n/);
  if (lines.length > 1_000_000) throw new CodedError('BLOCKLIST_TOO_LARGE', '악성 호스트 목록이 너무 큽니다(최대 100만 줄).');
  lines.forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim().toLowerCase().replace(/\.$/, '');
    if (!line) return;
    // hosts-file form "0.0.0.0 bad.example" is accepted too
    const host = line.split(/\s+/).pop() ?? '';
    if (!HOST.test(host)) throw new CodedError('BLOCKLIST_INVALID', `악성 호스트 목록 ${i + 1}번째 줄이 호스트 이름이 아닙니다.`);
    hosts.add(host);
  });
  return {
    size: hosts.size,
    has(host: string) {
      let h = host.toLowerCase().replace(/\.$/, '');
      for (;;) {
        if (hosts.has(h)) return true;
        const dot = h.indexOf('.');
        if (dot < 0) return false;
        h = h.slice(dot + 1);
      }
    },
  };
}

export const emptyBlocklist: Blocklist = parseBlocklist('');
