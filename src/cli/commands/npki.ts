// Runs in Node. `munjigi npki list|check`: lists NPKI certificates found on this machine (or
// under --root) and checks a certificate/key pair with its password, taken only from an
// environment variable so it never appears in argv, shell history or process listings.
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from '../args';
import { systemClock } from '../../core/clock';
import { MAX_CERT_FILE_BYTES, isExpired, keyMatches, parseCertificate } from '../../core/npki/certificate';
import { discoverCertificates } from '../../core/npki/discover';
import type { CertificateEntry } from '../../core/npki/discover';
import { readNpkiFile } from '../../core/npki/index';
import { MAX_KEY_FILE_BYTES, decryptPrivateKey } from '../../core/npki/privateKey';
import type { CliIo, Command } from '../io';
import { UsageError, writeLine } from '../io';

const usage = `Usage:
  munjigi npki list [--root DIR]
      One JSON line per certificate: path, subject, kind (personal|corporate|unknown), policy,
      serial (hex), notAfter (ISO), issuer, expired. Without --root the standard NPKI folders
      of this OS and mounted removable media are searched. DIR is an NPKI folder or a folder
      holding one.
  munjigi npki check --cert FILE --key FILE --password-env VAR
      Decrypts the key with the password in environment variable VAR and prints one JSON
      object: subject, kind, policy, serial, notAfter, encryption
      (pbes2-seed|pbes2-aes|pbes1-seed|legacy-seed), keyMatches, randomNum (true|false), expired.
      Exit 0 when the key matches the certificate, 1 when it does not.

Passwords are never accepted on the command line. Bad input: Korean message + code, exit 2.`;

function listLine(e: CertificateEntry) {
  return {
    path: e.path,
    subject: e.subject,
    subjectCN: e.subjectCN,
    kind: e.kind,
    policy: e.policy,
    serial: e.serial,
    notAfter: e.notAfter,
    issuer: e.issuer,
    expired: e.expired,
    keyPath: e.keyPath,
  };
}

async function list(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { root: { type: 'string' } }, strict: true, allowPositionals: false });
  let roots: Array<{ path: string; location: 'hdd' }> | undefined;
  if (values.root !== undefined) {
    const dir = resolve(io.cwd, values.root);
    let isDir = false;
    try {
      isDir = statSync(dir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new UsageError('NPKI_FILE_NOT_FOUND', `폴더를 찾을 수 없습니다: ${values.root.slice(0, 200)}`);
    // Either the NPKI folder itself or a folder (drive, USB stick) that holds one.
    const inner = ['NPKI', 'npki'].map((n) => join(dir, n)).find((p) => existsSync(p));
    roots = [{ path: inner ?? dir, location: 'hdd' }];
  }
  const result = await discoverCertificates({
    platform: process.platform,
    env: io.env,
    homedir: io.env.HOME || io.env.USERPROFILE || homedir(),
    clock: systemClock,
    ...(roots ? { roots } : {}),
  });
  for (const e of result.certificates) writeLine(io.stdout, JSON.stringify(listLine(e)));
  for (const p of result.problems) writeLine(io.stderr, `munjigi npki: ${p.message} ${p.path} (code: ${p.code})`);
  return 0;
}

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cert: { type: 'string' }, key: { type: 'string' }, 'password-env': { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const varName = values['password-env'];
  if (!values.cert || !values.key || !varName) {
    throw new UsageError('BAD_OPTION', '--cert, --key, --password-env 옵션이 모두 필요합니다.');
  }
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(varName)) {
    throw new UsageError('BAD_OPTION', '--password-env에는 환경 변수 이름을 적어 주세요(암호 자체가 아닙니다).');
  }
  const password = io.env[varName];
  if (password === undefined || password === '') {
    throw new UsageError('NPKI_PASSWORD_MISSING', `환경 변수 ${varName}에 인증서 암호가 없습니다.`);
  }
  const cert = parseCertificate(await readNpkiFile(resolve(io.cwd, values.cert), MAX_CERT_FILE_BYTES, '인증서'));
  const keyFile = await readNpkiFile(resolve(io.cwd, values.key), MAX_KEY_FILE_BYTES, '개인키');
  const key = decryptPrivateKey(keyFile, { password: Buffer.from(password, 'utf8') });
  const matches = keyMatches(cert, key.privateKey);
  const hasRandomNum = key.randomNum !== null;
  key.randomNum?.fill(0);
  keyFile.fill(0);
  writeLine(
    io.stdout,
    JSON.stringify({
      subject: cert.subject.text,
      subjectCN: cert.subjectCN,
      kind: cert.kind,
      policy: cert.policy,
      serial: cert.serial,
      notAfter: cert.notAfter.toISOString(),
      issuer: cert.issuer.text,
      encryption: key.encryption,
      keyMatches: matches,
      randomNum: hasRandomNum,
      expired: isExpired(cert, systemClock()),
    }),
  );
  if (!matches) {
    writeLine(io.stderr, 'munjigi npki: 개인키가 인증서와 일치하지 않습니다. 같은 폴더의 signCert.der와 signPri.key인지 확인해 주세요. (code: NPKI_KEY_MISMATCH)');
    return 1;
  }
  return 0;
}

export const command: Command = {
  name: 'npki',
  summary: 'list NPKI certificates, check a certificate/key pair',
  usage,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'list') return list(rest, io);
    if (sub === 'check') return check(rest, io);
    throw new UsageError('UNKNOWN_SUBCOMMAND', `알 수 없는 하위 명령입니다: ${(sub ?? '').slice(0, 40)} (list 또는 check)`);
  },
};
