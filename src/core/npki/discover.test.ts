// Runs under vitest (Node). Discovery on Windows, macOS and Linux layouts through an in-memory
// file system (symlink loops, duplicates, garbage), and on the real shared NPKI folder.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeClock } from '../clock';
import { memoryLogger } from '../log';
import { defaultDrives, defaultMounts, discoverCertificates, loadCertificateFile, npkiRoots } from './discover';
import type { DirEntryLike, DiscoveryFs } from './discover';
import { SKIP_REASON, npkiMaterial } from './testSupport';

type Node = { kind: 'dir' } | { kind: 'file'; data: Buffer } | { kind: 'link'; target: string };

/** A tiny in-memory file system with symlinks; `sep` picks Windows or POSIX paths. */
function memFs(sep: '/' | '\\') {
  const nodes = new Map<string, Node>();
  const names = new Map<string, string>(); // normalized path → name as created
  const norm = (p: string) => (sep === '\\' ? p.toLowerCase().replace(/\\+$/, '') : p.replace(/\/+$/, '') || '/');
  const parent = (p: string) => p.slice(0, Math.max(p.lastIndexOf(sep), sep === '/' ? 1 : 2));
  const mkdirs = (p: string) => {
    for (let cur = p; cur.length > 0 && !nodes.has(norm(cur)); cur = parent(cur)) {
      nodes.set(norm(cur), { kind: 'dir' });
      names.set(norm(cur), cur.slice(cur.lastIndexOf(sep) + 1));
      if (parent(cur) === cur) break;
    }
  };
  const resolve = (p: string, depth = 0): string => {
    if (depth > 20) throw Object.assign(new Error('ELOOP'), { code: 'ELOOP' });
    const parts = p.split(sep);
    let cur = parts[0]!;
    for (const part of parts.slice(1)) {
      cur = cur === '' && sep === '/' ? `/${part}` : `${cur}${sep}${part}`;
      const n = nodes.get(norm(cur));
      if (n?.kind === 'link') cur = resolve(n.target, depth + 1);
    }
    return cur || '/';
  };
  const get = (p: string) => {
    const n = nodes.get(norm(resolve(p)));
    if (!n) throw Object.assign(new Error(`ENOENT ${p}`), { code: 'ENOENT' });
    return n;
  };
  const fs: DiscoveryFs = {
    async readdir(p) {
      const real = norm(resolve(p));
      if (get(p).kind !== 'dir') throw new Error('ENOTDIR');
      const out: DirEntryLike[] = [];
      for (const [k, n] of nodes) {
        if (k !== real && parent(k) === real) {
          const name = names.get(k) ?? k.slice(real.length + 1);
          out.push({ name, isDirectory: () => n.kind === 'dir', isFile: () => n.kind === 'file', isSymbolicLink: () => n.kind === 'link' });
        }
      }
      return out;
    },
    async stat(p) {
      const n = get(p);
      return { isDirectory: () => n.kind === 'dir', isFile: () => n.kind === 'file', size: n.kind === 'file' ? n.data.length : 0 };
    },
    async realpath(p) {
      get(p);
      return norm(resolve(p));
    },
    async readFile(p) {
      const n = get(p);
      if (n.kind !== 'file') throw new Error('EISDIR');
      return n.data;
    },
  };
  return {
    fs,
    file(p: string, data: Buffer) {
      mkdirs(parent(p));
      nodes.set(norm(p), { kind: 'file', data });
      names.set(norm(p), p.slice(p.lastIndexOf(sep) + 1));
    },
    dir(p: string) {
      mkdirs(p);
    },
    link(p: string, target: string) {
      mkdirs(parent(p));
      nodes.set(norm(p), { kind: 'link', target });
      names.set(norm(p), p.slice(p.lastIndexOf(sep) + 1));
    },
  };
}

describe('npkiRoots', () => {
  it('Windows: LocalLow under the profile, Program Files, every drive', () => {
    const roots = npkiRoots({
      platform: 'win32',
      env: { USERPROFILE: 'C:\\Users\\kim', ProgramFiles: 'C:\\Program Files' },
      homedir: 'C:\\Users\\kim',
      drives: ['C:', 'D:', 'e', 'bogus'],
    });
    expect(roots).toEqual([
      { path: 'C:\\Users\\kim\\AppData\\LocalLow\\NPKI', location: 'hdd' },
      { path: 'C:\\Program Files\\NPKI', location: 'hdd' },
      { path: 'C:\\NPKI', location: 'hdd' },
      { path: 'D:\\NPKI', location: 'removable' },
      { path: 'E:\\NPKI', location: 'removable' },
    ]);
  });

  it('macOS: ~/Library/Preferences/NPKI and volumes', () => {
    expect(npkiRoots({ platform: 'darwin', env: {}, homedir: '/Users/kim', mounts: ['/Volumes/USB'] })).toEqual([
      { path: '/Users/kim/Library/Preferences/NPKI', location: 'hdd' },
      { path: '/Users/kim/NPKI', location: 'hdd' },
      { path: '/Volumes/USB/NPKI', location: 'removable' },
    ]);
  });

  it('Linux: ~/NPKI and removable mounts', () => {
    expect(npkiRoots({ platform: 'linux', env: {}, homedir: '/home/kim', mounts: ['/media/kim/USB', '/mnt/usb'] })).toEqual([
      { path: '/home/kim/NPKI', location: 'hdd' },
      { path: '/media/kim/USB/NPKI', location: 'removable' },
      { path: '/mnt/usb/NPKI', location: 'removable' },
    ]);
  });

  it('Windows drives: existing letters, a drive that never answers is skipped after the timeout', async () => {
    const w = memFs('\\');
    w.dir('C:\\');
    w.dir('E:\\');
    const hanging: DiscoveryFs = {
      ...w.fs,
      stat: (p) => (p.startsWith('D:') ? new Promise(() => {}) : w.fs.stat(p)),
    };
    expect(await defaultDrives(hanging, 50)).toEqual(['C:', 'E:']);
  });

  it('Linux mounts are read from /media/<user>, /run/media/<user>, /mnt and /media', async () => {
    const m = memFs('/');
    m.dir('/media/kim/USB1');
    m.dir('/run/media/kim/USB2');
    m.dir('/mnt/stick');
    m.dir('/media/LABEL');
    expect(await defaultMounts({ platform: 'linux', env: { USER: 'kim' }, homedir: '/home/kim', fs: m.fs })).toEqual([
      '/media/kim/USB1',
      '/run/media/kim/USB2',
      '/mnt/stick',
      '/media/LABEL',
    ]);
  });
});

const mat = npkiMaterial();
describe.skipIf(!mat)(`discoverCertificates (${mat ? 'with shared certificates' : SKIP_REASON})`, () => {
  const m = mat!;
  const [hong, kim, corp, expired] = m?.identities ?? [];
  const certOf = (c: { dir: string }) => readFileSync(join(m.root, c.dir, 'signCert.der'));
  const keyOf = (c: { dir: string }) => readFileSync(join(m.root, c.dir, 'signPri.key'));
  const clock = fakeClock(Date.parse('2026-11-23T12:00:00Z'));

  it('Windows: finds certificates in LocalLow and on a USB drive, 구분/사용자/만료일/발급자 filled in', async () => {
    const w = memFs('\\');
    const user = 'C:\\Users\\kim\\AppData\\LocalLow\\NPKI\\yessign\\USER\\cn=a';
    w.file(`${user}\\signCert.der`, certOf(hong!));
    w.file(`${user}\\signPri.key`, keyOf(hong!));
    w.file('D:\\NPKI\\yessign\\USER\\cn=b\\SignCert.der', certOf(corp!)); // odd case, no key
    w.dir('D:\\');
    w.dir('C:\\');
    const { logger, lines } = memoryLogger();
    const res = await discoverCertificates({
      platform: 'win32',
      env: { USERPROFILE: 'C:\\Users\\kim' },
      homedir: 'C:\\Users\\kim',
      clock,
      fs: w.fs,
      logger,
    });
    expect(res.problems).toEqual([]);
    expect(res.certificates.map((c) => [c.subjectCN, c.kindLabel, c.location, c.keyPath !== null])).toEqual(
      expect.arrayContaining([
        [hong!.subjectCN, '개인', 'hdd', true],
        [corp!.subjectCN, '법인', 'removable', false],
      ]),
    );
    const h = res.certificates.find((c) => c.subjectCN === hong!.subjectCN)!;
    expect(h.certPath).toBe(`${user}\\signCert.der`);
    expect(h.issuerLabel).toBe('yessign-Test');
    expect(h.holderName).toBe('홍길동');
    expect(h.notAfter).toBe(new Date(hong!.notAfter).toISOString());
    expect(h.expired).toBe(false);
    // Logs carry counts only, never names or paths.
    expect(JSON.stringify(lines)).not.toContain(hong!.subjectCN);
    expect(JSON.stringify(lines)).not.toContain('cn=');
  });

  it('Linux: home and removable media; symlink loops and duplicate mounts are visited once', async () => {
    const l = memFs('/');
    const base = '/home/kim/NPKI/yessign/USER';
    l.file(`${base}/cn=x/signCert.der`, certOf(kim!));
    l.file(`${base}/cn=x/signPri.key`, keyOf(kim!));
    l.link(`${base}/loop`, '/home/kim/NPKI'); // a loop back to the root
    l.link('/home/kim/NPKI/yessign/USER/cn=x/again', '/home/kim/NPKI/yessign/USER/cn=x');
    l.file('/media/kim/USB/NPKI/CrossCert/USER/cn=y/signCert.der', certOf(expired!));
    l.link('/run/media/kim/USB', '/media/kim/USB'); // the same stick seen twice
    l.file('/media/kim/USB/NPKI/CrossCert/USER/cn=bad/signCert.der', Buffer.from('garbage'));
    const res = await discoverCertificates({ platform: 'linux', env: { USER: 'kim' }, homedir: '/home/kim', clock, fs: l.fs });
    expect(res.certificates.map((c) => c.subjectCN)).toEqual([kim!.subjectCN, expired!.subjectCN]);
    expect(res.certificates[1]!.expired).toBe(true);
    expect(res.certificates[1]!.location).toBe('removable');
    expect(res.problems).toEqual([
      { path: '/media/kim/USB/NPKI/CrossCert/USER/cn=bad/signCert.der', code: 'NPKI_BAD_CERT', message: expect.stringContaining('인증서') },
    ]);
  });

  it('macOS: ~/Library/Preferences/NPKI', async () => {
    const mac = memFs('/');
    mac.file('/Users/kim/Library/Preferences/NPKI/yessign/USER/cn=z/signCert.der', certOf(hong!));
    const res = await discoverCertificates({ platform: 'darwin', env: {}, homedir: '/Users/kim', clock, fs: mac.fs, listMounts: async () => [] });
    expect(res.certificates.map((c) => c.subjectCN)).toEqual([hong!.subjectCN]);
  });

  it('nothing there is an empty list, not an error; a failing drive probe is ignored', async () => {
    const empty = memFs('\\');
    const res = await discoverCertificates({
      platform: 'win32',
      env: {},
      homedir: 'C:\\Users\\x',
      clock,
      fs: empty.fs,
      listDrives: async () => {
        throw new Error('WMI failed');
      },
    });
    expect(res).toEqual({ certificates: [], problems: [], scannedRoots: [] });
  });

  it('the real shared NPKI folder (as `--root`) lists every identity', async () => {
    const res = await discoverCertificates({
      platform: process.platform,
      env: {},
      homedir: '/nonexistent',
      clock,
      roots: [{ path: join(m.root, 'NPKI'), location: 'hdd' }],
    });
    expect(res.certificates.map((c) => c.serial).sort()).toEqual(m.identities.map((c) => c.serial).sort());
    expect(res.certificates.at(-1)!.expired).toBe(true);
  });

  describe('loadCertificateFile ("인증서 찾기")', () => {
    const dir = () => join(m.root, hong!.dir);
    it('accepts the certificate file or its folder and finds the key beside it', async () => {
      for (const p of [join(dir(), 'signCert.der'), dir()]) {
        const e = await loadCertificateFile(p, { platform: process.platform, clock });
        expect(e.subjectCN).toBe(hong!.subjectCN);
        expect(e.keyPath).toBe(join(dir(), 'signPri.key'));
        expect(e.location).toBe('file');
      }
    });

    it.each([
      ['/nonexistent/signCert.der', 'NPKI_FILE_NOT_FOUND'],
      ['', 'NPKI_FILE_NOT_FOUND'],
      ['a\0b', 'NPKI_FILE_NOT_FOUND'],
      ['/tmp', 'NPKI_FILE_NOT_FOUND'],
      ['/x/cert.pfx', 'NPKI_UNSUPPORTED_FILE'],
    ])('%j → %s', async (p, code) => {
      await expect(loadCertificateFile(p, { platform: 'linux', clock })).rejects.toMatchObject({ code });
    });

    it('a key file chosen by mistake is NPKI_BAD_CERT', async () => {
      await expect(loadCertificateFile(join(dir(), 'signPri.key'), { platform: 'linux', clock })).rejects.toMatchObject({
        code: 'NPKI_BAD_CERT',
      });
    });
  });
});
