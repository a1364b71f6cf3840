// Runs in Node (main process, CLI). Finds NPKI certificates in the standard folders of each OS
// and on removable media (NPKI/<CA>/USER/<dn>/signCert.der + signPri.key), and reads a
// certificate the user points at directly. Fixed depth, bounded counts, symlink loops guarded.
import { promises as nodeFs } from 'node:fs';
import { posix, win32 } from 'node:path';
import { CodedError } from '../../shared/envelope';
import type { Clock } from '../clock';
import type { Logger } from '../log';
import { silentLogger } from '../log';
import { MAX_CERT_FILE_BYTES, isExpired, issuerLabel, parseCertificate } from './certificate';
import type { NpkiCertificate } from './certificate';
import type { CertKind, PolicyEntry } from './policies';

export interface DirEntryLike {
  name: string;
  isDirectory(): boolean;
  isFile(): boolean;
  isSymbolicLink(): boolean;
}

/** The file-system calls discovery needs; tests pass an in-memory one. */
export interface DiscoveryFs {
  readdir(path: string): Promise<DirEntryLike[]>;
  stat(path: string): Promise<{ isDirectory(): boolean; isFile(): boolean; size: number }>;
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Buffer>;
}

export const nodeDiscoveryFs: DiscoveryFs = {
  readdir: (p) => nodeFs.readdir(p, { withFileTypes: true }),
  stat: (p) => nodeFs.stat(p),
  realpath: (p) => nodeFs.realpath(p),
  readFile: (p) => nodeFs.readFile(p),
};

/** 하드디스크, 이동식디스크, or a file the user chose. */
export type CertLocation = 'hdd' | 'removable' | 'file';

export interface NpkiRoot {
  path: string;
  location: CertLocation;
}

/** One certificate as the selection dialog shows it. Plain data: safe to send over IPC. */
export interface CertificateEntry {
  /** The <dn> folder holding the pair. */
  path: string;
  certPath: string;
  /** signPri.key beside the certificate, or null if it is missing. */
  keyPath: string | null;
  location: CertLocation;
  /** 구분 */
  kind: CertKind | 'unknown';
  kindLabel: string;
  /** 사용자 */
  subjectCN: string;
  /** The person's (or company's) name, for matching the 이름 typed at sign-up. */
  holderName: string;
  subject: string;
  /** 발급자 (as dialogs show it) and the full issuer DN. */
  issuerLabel: string;
  issuer: string;
  policy: string | null;
  policyLabel: string | null;
  serial: string;
  notBefore: string;
  /** 만료일, ISO 8601. */
  notAfter: string;
  expired: boolean;
  spkiSha256: string;
}

export interface DiscoveryProblem {
  path: string;
  code: string;
  message: string;
}

export interface DiscoveryResult {
  certificates: CertificateEntry[];
  problems: DiscoveryProblem[];
  /** The NPKI folders that existed and were read. */
  scannedRoots: string[];
}

export const LIMITS = { caFolders: 64, perCa: 256, certificates: 1000, mounts: 64 } as const;

export interface RootOptions {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  /** Windows: drive letters of fixed and removable drives ("D:" or "D"). */
  drives?: string[];
  /** macOS/Linux: mount points of removable media. */
  mounts?: string[];
}

/** The NPKI folders to look in, most usual first, without duplicates. Pure. */
export function npkiRoots(opts: RootOptions): NpkiRoot[] {
  const out: NpkiRoot[] = [];
  const add = (path: string, location: CertLocation) => {
    const key = opts.platform === 'win32' ? path.toLowerCase() : path;
    if (!out.some((r) => (opts.platform === 'win32' ? r.path.toLowerCase() : r.path) === key)) out.push({ path, location });
  };
  if (opts.platform === 'win32') {
    const profile = opts.env.USERPROFILE || opts.homedir;
    add(win32.join(profile, 'AppData', 'LocalLow', 'NPKI'), 'hdd');
    add('C:\\Program Files\\NPKI', 'hdd');
    if (opts.env.ProgramFiles) add(win32.join(opts.env.ProgramFiles, 'NPKI'), 'hdd');
    for (const d of opts.drives ?? []) {
      const letter = /^([A-Za-z]):?\\?$/.exec(d)?.[1];
      if (!letter) continue;
      add(`${letter.toUpperCase()}:\\NPKI`, letter.toUpperCase() === 'C' ? 'hdd' : 'removable');
    }
  } else {
    if (opts.platform === 'darwin') add(posix.join(opts.homedir, 'Library', 'Preferences', 'NPKI'), 'hdd');
    add(posix.join(opts.homedir, 'NPKI'), 'hdd');
    for (const m of opts.mounts ?? []) add(posix.join(m, 'NPKI'), 'removable');
  }
  return out;
}

async function isDir(fs: DiscoveryFs, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function subdirs(fs: DiscoveryFs, path: string, join: (...p: string[]) => string, limit: number): Promise<string[]> {
  let entries: DirEntryLike[];
  try {
    entries = await fs.readdir(path);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    if (out.length >= limit) break;
    if (e.name.startsWith('.')) continue;
    const full = join(path, e.name);
    // A symlink may point at a directory: stat follows it; loops are caught by realpath later.
    if (e.isDirectory() || (e.isSymbolicLink() && (await isDir(fs, full)))) out.push(full);
  }
  return out;
}

/** Mount points of removable media on macOS and Linux, read from the usual places. */
export async function defaultMounts(opts: { platform: NodeJS.Platform; env: Record<string, string | undefined>; homedir: string; fs: DiscoveryFs }): Promise<string[]> {
  const j = posix.join;
  const user = opts.env.USER || opts.env.LOGNAME || posix.basename(opts.homedir);
  const bases = opts.platform === 'darwin' ? ['/Volumes'] : [j('/media', user), j('/run/media', user), '/mnt', '/media'];
  const out: string[] = [];
  for (const base of bases) {
    for (const m of await subdirs(opts.fs, base, j, LIMITS.mounts)) {
      if (m === j('/media', user) || out.includes(m)) continue;
      out.push(m);
    }
  }
  return out.slice(0, LIMITS.mounts);
}

/**
 * Windows drive letters that exist (C: to Z:). Each probe gets `timeoutMs`: a disconnected
 * network drive can take tens of seconds to answer, and the dialog must not wait for it.
 */
export async function defaultDrives(fs: DiscoveryFs, timeoutMs = 1500): Promise<string[]> {
  const letters = 'CDEFGHIJKLMNOPQRSTUVWXYZ'.split('');
  const probe = (l: string) =>
    new Promise<string | null>((done) => {
      const timer = setTimeout(() => done(null), timeoutMs);
      isDir(fs, `${l}:\\`).then((ok) => {
        clearTimeout(timer);
        done(ok ? `${l}:` : null);
      });
    });
  return (await Promise.all(letters.map(probe))).filter((d): d is string => d !== null);
}

export interface DiscoverOptions {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
  clock: Clock;
  fs?: DiscoveryFs;
  listDrives?: () => Promise<string[]>;
  listMounts?: () => Promise<string[]>;
  /** Look only here (e.g. `munjigi npki list --root DIR`) instead of the standard folders. */
  roots?: NpkiRoot[];
  policyTable?: readonly PolicyEntry[];
  logger?: Logger;
}

const CERT_FILE = 'signcert.der';
const KEY_FILE = 'signpri.key';

function toEntry(cert: NpkiCertificate, paths: { dir: string; certPath: string; keyPath: string | null }, location: CertLocation, now: number): CertificateEntry {
  return {
    path: paths.dir,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    location,
    kind: cert.kind,
    kindLabel: cert.kindLabel,
    subjectCN: cert.subjectCN,
    holderName: cert.holderName,
    subject: cert.subject.text,
    issuerLabel: issuerLabel(cert),
    issuer: cert.issuer.text,
    policy: cert.policy,
    policyLabel: cert.policyEntry ? `${cert.policyEntry.ca} ${cert.policyEntry.label}` : null,
    serial: cert.serial,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
    expired: isExpired(cert, now),
    spkiSha256: cert.spkiSha256,
  };
}

async function readCertFile(fs: DiscoveryFs, path: string): Promise<Buffer> {
  let st: { isFile(): boolean; size: number };
  try {
    st = await fs.stat(path);
  } catch {
    throw new CodedError('NPKI_FILE_NOT_FOUND', '인증서 파일을 찾을 수 없습니다. 경로를 확인해 주세요.');
  }
  if (!st.isFile()) throw new CodedError('NPKI_FILE_NOT_FOUND', '인증서 파일이 아닙니다. signCert.der 파일을 선택해 주세요.');
  if (st.size > MAX_CERT_FILE_BYTES) throw new CodedError('NPKI_BAD_CERT', '인증서 파일이 너무 큽니다. signCert.der 파일을 선택해 주세요.');
  try {
    return await fs.readFile(path);
  } catch {
    throw new CodedError('NPKI_FILE_UNREADABLE', '인증서 파일을 읽을 수 없습니다. 파일 권한을 확인해 주세요.');
  }
}

/** In a <dn> folder: the certificate and key file names, matched without regard to case. */
async function pairIn(fs: DiscoveryFs, dir: string, join: (...p: string[]) => string) {
  let entries: DirEntryLike[];
  try {
    entries = await fs.readdir(dir);
  } catch {
    return null;
  }
  const find = (n: string) => entries.find((e) => e.name.toLowerCase() === n && !e.isDirectory());
  const cert = find(CERT_FILE);
  if (!cert) return null;
  const key = find(KEY_FILE);
  return { dir, certPath: join(dir, cert.name), keyPath: key ? join(dir, key.name) : null };
}

/**
 * Scans the standard NPKI folders (or `roots`). Missing folders are normal and silent; a
 * certificate that cannot be read becomes a problem entry, never an exception.
 */
export async function discoverCertificates(opts: DiscoverOptions): Promise<DiscoveryResult> {
  const fs = opts.fs ?? nodeDiscoveryFs;
  const logger = opts.logger ?? silentLogger;
  const join = opts.platform === 'win32' ? win32.join : posix.join;
  let roots = opts.roots;
  if (!roots) {
    const drives = opts.platform === 'win32' ? await (opts.listDrives ?? (() => defaultDrives(fs)))().catch(() => []) : [];
    const mounts =
      opts.platform === 'win32' ? [] : await (opts.listMounts ?? (() => defaultMounts({ ...opts, fs })))().catch(() => []);
    roots = npkiRoots({ platform: opts.platform, env: opts.env, homedir: opts.homedir, drives, mounts });
  }
  const now = opts.clock();
  const seen = new Set<string>();
  const firstVisit = async (dir: string) => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      return false;
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  };
  const result: DiscoveryResult = { certificates: [], problems: [], scannedRoots: [] };
  for (const root of roots) {
    if (!(await isDir(fs, root.path)) || !(await firstVisit(root.path))) continue;
    result.scannedRoots.push(root.path);
    for (const caDir of await subdirs(fs, root.path, join, LIMITS.caFolders)) {
      if (!(await firstVisit(caDir))) continue;
      const userDir = (await subdirs(fs, caDir, join, LIMITS.perCa)).find((d) => /[\\/]user$/i.test(d));
      if (!userDir || !(await firstVisit(userDir))) continue;
      for (const dnDir of await subdirs(fs, userDir, join, LIMITS.perCa)) {
        if (result.certificates.length >= LIMITS.certificates) break;
        if (!(await firstVisit(dnDir))) continue;
        const pair = await pairIn(fs, dnDir, join);
        if (!pair) continue;
        try {
          const cert = parseCertificate(await readCertFile(fs, pair.certPath), opts.policyTable);
          result.certificates.push(toEntry(cert, pair, root.location, now));
        } catch (err) {
          const coded = err instanceof CodedError ? err : new CodedError('NPKI_BAD_CERT', '인증서 파일을 읽을 수 없습니다.');
          result.problems.push({ path: pair.certPath, code: coded.code, message: coded.message });
        }
      }
    }
  }
  // Valid certificates first, then the longest-lived; expired ones stay listed (greyed out).
  result.certificates.sort((a, b) => Number(a.expired) - Number(b.expired) || b.notAfter.localeCompare(a.notAfter));
  // Counts only: folder names are distinguished names, i.e. personal data.
  logger.info('npki discovery finished', {
    roots: result.scannedRoots.length,
    certificates: result.certificates.length,
    problems: result.problems.length,
  });
  return result;
}

/**
 * "인증서 찾기": the user points at a signCert.der (or the folder holding it). The key is
 * looked for beside it. Errors are coded (NPKI_FILE_NOT_FOUND, NPKI_BAD_CERT, …).
 */
export async function loadCertificateFile(
  path: string,
  opts: { platform: NodeJS.Platform; clock: Clock; fs?: DiscoveryFs; policyTable?: readonly PolicyEntry[] },
): Promise<CertificateEntry> {
  const fs = opts.fs ?? nodeDiscoveryFs;
  const p = opts.platform === 'win32' ? win32 : posix;
  if (typeof path !== 'string' || path.length === 0 || path.length > 4096 || path.includes('\0')) {
    throw new CodedError('NPKI_FILE_NOT_FOUND', '인증서 파일 경로가 올바르지 않습니다.');
  }
  let certPath = path;
  let dir = p.dirname(path);
  if (await isDir(fs, path)) {
    const pair = await pairIn(fs, path, p.join);
    if (!pair) throw new CodedError('NPKI_FILE_NOT_FOUND', '이 폴더에 인증서(signCert.der)가 없습니다.');
    certPath = pair.certPath;
    dir = path;
  } else if (/\.(pfx|p12)$/i.test(path)) {
    throw new CodedError('NPKI_UNSUPPORTED_FILE', 'PFX(P12) 형식은 아직 지원하지 않습니다. signCert.der와 signPri.key 파일을 선택해 주세요.');
  }
  const cert = parseCertificate(await readCertFile(fs, certPath), opts.policyTable);
  const pair = await pairIn(fs, dir, p.join);
  return toEntry(cert, { dir, certPath, keyPath: pair?.keyPath ?? null }, 'file', opts.clock());
}
