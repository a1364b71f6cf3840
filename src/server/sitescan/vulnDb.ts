// Runs in Node (server, CLI). JavaScript libraries with known vulnerabilities, in the retire.js
// repository format (jsrepository.json): parsing and validation of the data file, where it is
// installed, and matching a script (URL and content) to a library version and its advisories.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { resourcePath } from '../../core/paths';
import { CodedError } from '../../shared/envelope';

const VERSION = '§§version§§';
/** What the placeholder stands for (as in retire.js). */
const VERSION_RE = '[0-9][0-9.a-z_\\-]+';
/** retire.js's entry of URLs never to report (analytics and the like); its patterns have no version. */
const DONT_CHECK = 'dont check';
/** How much of a script's content the content patterns read (the scanner keeps at most 200,000 characters). */
const MAX_CONTENT = 512 * 1024;

const vulnerabilitySchema = z.object({
  below: z.string().max(50),
  atOrAbove: z.string().max(50).optional(),
  severity: z.enum(['none', 'low', 'medium', 'high', 'critical']).optional(),
  identifiers: z
    .object({
      // advisories copied from GitHub carry whole proofs of concept (DOMPurify's is ~11,000 characters)
      summary: z.string().max(100_000).optional(),
      CVE: z.array(z.string().max(40)).max(50).optional(),
      githubID: z.string().max(60).optional(),
    })
    .passthrough()
    .optional(),
  info: z.array(z.string().max(2000)).max(50).optional(),
});
const librarySchema = z.object({
  vulnerabilities: z.array(vulnerabilitySchema.passthrough()).max(500),
  extractors: z
    .object({
      uri: z.array(z.string().max(1000)).max(100).optional(),
      filename: z.array(z.string().max(1000)).max(100).optional(),
      filecontent: z.array(z.string().max(1000)).max(100).optional(),
      filecontentreplace: z.array(z.string().max(1000)).max(100).optional(),
      hashes: z.record(z.string(), z.string().max(50)).optional(),
    })
    .passthrough(),
});
const repositorySchema = z.record(z.string().max(100), z.unknown());

export type Vulnerability = z.infer<typeof vulnerabilitySchema>;
/** A retire.js `filecontentreplace` extractor: the version is the match rewritten with `$1`-style groups. */
interface Replacer {
  re: RegExp;
  replacement: string;
}
interface CompiledLibrary {
  name: string;
  vulnerabilities: Vulnerability[];
  uri: RegExp[];
  filename: RegExp[];
  filecontent: RegExp[];
  filecontentreplace: Replacer[];
  hashes: Map<string, string>;
}
export interface VulnDb {
  libraries: CompiledLibrary[];
  /** URLs retire.js says never to report ("dont check"). */
  skipUri: RegExp[];
  /** Where it was read from (for the report). */
  source: string;
}

export interface LibraryMatch {
  library: string;
  version: string;
  /** How it was recognised: 'uri' | 'filename' | 'filecontent' | 'hash' */
  by: string;
  vulnerabilities: Vulnerability[];
}

const MAX_LIBRARIES = 2000;

function compile(pattern: string, where: string, needsVersion = true): RegExp {
  if (needsVersion && !pattern.includes(VERSION)) throw new CodedError('VULNDB_INVALID', `취약 라이브러리 목록의 패턴에 버전 자리(§§version§§)가 없습니다: ${where}`);
  try {
    return new RegExp(pattern.split(VERSION).join(VERSION_RE));
  } catch {
    throw new CodedError('VULNDB_INVALID', `취약 라이브러리 목록의 정규식이 올바르지 않습니다: ${where}`);
  }
}

/** `/regex/replacement/` as retire.js writes it; the regex need not hold the placeholder (the groups make the version). */
function compileReplacer(spec: string, where: string): Replacer {
  const m = /^\/(.*[^\\])\/([^/]+)\/$/s.exec(spec);
  if (!m?.[1] || !m[2] || !/\$\d/.test(m[2])) throw new CodedError('VULNDB_INVALID', `취약 라이브러리 목록의 filecontentreplace 형식(/정규식/치환/)이 올바르지 않습니다: ${where}`);
  return { re: compile(m[1], where, false), replacement: m[2] };
}

/** Parses and validates a jsrepository.json text; throws VULNDB_INVALID with the reason. */
export function parseVulnDb(text: string, source = 'jsrepository.json'): VulnDb {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CodedError('VULNDB_INVALID', '취약 라이브러리 목록이 JSON 형식이 아닙니다 (retire.js jsrepository.json 형식이어야 합니다).');
  }
  const top = repositorySchema.safeParse(json);
  if (!top.success || Array.isArray(json)) throw new CodedError('VULNDB_INVALID', '취약 라이브러리 목록은 라이브러리 이름을 키로 하는 객체여야 합니다.');
  const entries = Object.entries(top.data);
  if (entries.length === 0 || entries.length > MAX_LIBRARIES) throw new CodedError('VULNDB_INVALID', `취약 라이브러리 목록의 항목 수가 올바르지 않습니다 (1–${MAX_LIBRARIES}).`);
  const libraries: CompiledLibrary[] = [];
  let skipUri: RegExp[] = [];
  for (const [name, raw] of entries) {
    const lib = librarySchema.safeParse(raw);
    if (!lib.success) throw new CodedError('VULNDB_INVALID', `취약 라이브러리 목록의 '${name.slice(0, 60)}' 항목 형식이 올바르지 않습니다.`);
    const ex = lib.data.extractors;
    if (name === DONT_CHECK) {
      skipUri = (ex.uri ?? []).map((p, i) => compile(p, `${name}.uri[${i}]`, false));
      continue;
    }
    libraries.push({
      name,
      vulnerabilities: lib.data.vulnerabilities,
      uri: (ex.uri ?? []).map((p, i) => compile(p, `${name}.uri[${i}]`)),
      filename: (ex.filename ?? []).map((p, i) => compile(p, `${name}.filename[${i}]`)),
      filecontent: (ex.filecontent ?? []).map((p, i) => compile(p, `${name}.filecontent[${i}]`)),
      filecontentreplace: (ex.filecontentreplace ?? []).map((p, i) => compileReplacer(p, `${name}.filecontentreplace[${i}]`)),
      hashes: new Map(Object.entries(ex.hashes ?? {})),
    });
  }
  if (libraries.length === 0) throw new CodedError('VULNDB_INVALID', '취약 라이브러리 목록에 라이브러리가 하나도 없습니다.');
  return { libraries, skipUri, source };
}

/** The shipped data file (resources/sitescan/jsrepository.json). */
export const shippedVulnDbPath = () => resourcePath('sitescan', 'jsrepository.json');
/** Where `munjigi sitescan update-vulndb` installs a newer file. */
export const installedVulnDbPath = (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()) =>
  env.MUNJIGI_SITESCAN_VULNDB ? resolve(cwd, env.MUNJIGI_SITESCAN_VULNDB) : join(cwd, '.munjigi-data', 'sitescan', 'jsrepository.json');

/** The installed file when there is a valid one, else the shipped one. */
export function loadVulnDb(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): VulnDb {
  const installed = installedVulnDbPath(env, cwd);
  if (existsSync(installed)) {
    try {
      return parseVulnDb(readFileSync(installed, 'utf8'), installed);
    } catch {
      // a damaged installed file must not stop the check: fall back to the shipped data
    }
  }
  const shipped = shippedVulnDbPath();
  return parseVulnDb(readFileSync(shipped, 'utf8'), shipped);
}

/** Validates FILE and installs it atomically (write beside, then rename). Returns the library count. */
export function installVulnDb(file: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { path: string; libraries: number } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), 'utf8');
  } catch {
    throw new CodedError('VULNDB_UNREADABLE', `취약 라이브러리 목록 파일을 읽을 수 없습니다: ${file.slice(0, 200)}`);
  }
  const db = parseVulnDb(text, file);
  const target = installedVulnDbPath(env, cwd);
  try {
    mkdirSync(dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o644 });
    renameSync(tmp, target);
  } catch {
    throw new CodedError('VULNDB_UNWRITABLE', `취약 라이브러리 목록을 설치할 수 없습니다: ${target.slice(0, 200)}. 쓰기 권한을 확인하세요.`);
  }
  return { path: target, libraries: db.libraries.length };
}

/** Compares versions the way retire.js does: numeric parts numerically, a pre-release below its release. */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.toLowerCase().split(/[.\-+_]|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/).filter(Boolean);
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return y !== undefined && /^\d/.test(y) ? -1 : 1; // 3.0 < 3.0.1 but 3.0 > 3.0-beta
    if (y === undefined) return /^\d/.test(x) ? 1 : -1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      const d = Number(x) - Number(y);
      if (d !== 0) return Math.sign(d);
    } else if (nx !== ny) {
      return nx ? 1 : -1; // a number part ranks above a pre-release tag
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}

const affects = (v: Vulnerability, version: string) => compareVersions(version, v.below) < 0 && (v.atOrAbove === undefined || compareVersions(version, v.atOrAbove) >= 0);

/** Libraries recognised in one script (its URL, and its content when known) with the advisories that apply. */
export function matchScript(db: VulnDb, script: { url: string; code?: string; sha1?: string }): LibraryMatch[] {
  const out: LibraryMatch[] = [];
  if (db.skipUri.some((re) => re.test(script.url))) return out;
  let path = script.url;
  try {
    path = new URL(script.url).pathname;
  } catch {
    // not a URL (inline code): content only
  }
  const filename = path.slice(path.lastIndexOf('/') + 1);
  // the whole file, not its first lines: a library bundled into a site's minified file sits anywhere in it
  const content = script.code?.slice(0, MAX_CONTENT);
  const sha1 = script.sha1 ?? (script.code !== undefined && db.libraries.some((l) => l.hashes.size > 0) ? createHash('sha1').update(script.code).digest('hex') : undefined);
  for (const lib of db.libraries) {
    let found: { version: string; by: string } | undefined;
    const first = (res: RegExp[], text: string | undefined, by: string) => {
      if (found || text === undefined) return;
      for (const re of res) {
        const m = re.exec(text);
        if (m?.[1]) {
          found = { version: m[1], by };
          return;
        }
      }
    };
    if (sha1 && lib.hashes.has(sha1)) found = { version: lib.hashes.get(sha1) as string, by: 'hash' };
    first(lib.filecontent, content, 'filecontent');
    if (!found && content !== undefined) {
      for (const r of lib.filecontentreplace) {
        const m = r.re.exec(content);
        const version = m?.[0].replace(r.re, r.replacement);
        if (version && /^[0-9][0-9.a-z_-]*$/i.test(version)) {
          found = { version, by: 'filecontent' };
          break;
        }
      }
    }
    first(lib.uri, script.url, 'uri');
    first(lib.filename, filename, 'filename');
    if (!found) continue;
    const version = found.version.replace(/(?:\.slim)?(?:\.min)?$/, '');
    out.push({ library: lib.name, version, by: found.by, vulnerabilities: lib.vulnerabilities.filter((v) => affects(v, version)) });
  }
  return out;
}
