// Runs in Node (Electron main, development host). Composes the kiosk from its capabilities:
// settings, trust list, entry log, admit, retention. One object answers every contract
// channel, so Electron's IPC and the WebSocket host serve exactly the same thing.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import QRCode from 'qrcode';
import type { AdmitAnswer, DemoToken, EventName, KioskStatus, Request, Response, Settings } from '../../shared/contract';
import { DEFAULT_SOURCES } from '../../shared/contract';
import type { Handlers } from '../../shared/dispatch';
import type { AppError } from '../../shared/envelope';
import { CodedError } from '../../shared/envelope';
import type { Clock } from '../clock';
import { systemClock } from '../clock';
import type { Admit, EntryLog, Retention, Scan } from '../entrylog';
import { createAdmitter, createScanTimings, ensureReceiptKey, openEntryLog, seoulDay, startRetention } from '../entrylog';
import { mintToken } from '../kp1';
import type { Selftest, SpecimenIssuer, SpecimenRoundTrip, SpecimenSeen } from '../selftest';
import {
  cameraCheck,
  centralApiCheck,
  clockCheck,
  createSelftest,
  openSpecimenIssuer,
  scannerCheck,
  speakerCheck,
  specimenCheck,
  specimenRefused,
  trustListCheck,
} from '../selftest';
import type { Logger } from '../log';
import type { OperatorLock } from '../operator';
import { OPERATOR_FILE, createCertificateUnlock, openOperatorLock } from '../operator';
import type { HidLike, HidScanners, HidScannerStatus } from '../scanner';
import { createHidScanners, createScanGate } from '../scanner';
import type { IncomingScan } from '../scanner/inputSources';
import { createInputSources, notAdmitted } from '../scanner/inputSources';
import type { SimulatedHid } from '../scanner/simulatedHid';
import { createSimulatedHid } from '../scanner/simulatedHid';
import type { SettingsStore } from '../settings/store';
import { defaultSettings, openSettings } from '../settings/store';
import type { VoiceClips } from '../settings/voiceClips';
import { openVoiceClips } from '../settings/voiceClips';
import type { HttpClient, SyncWorker } from '../sync';
import { CLOCK_WARNING_MS, createSyncWorker, fetchHttpClient } from '../sync';
import { writeAtomically } from '../settings/store';
import type { DemoAuthority } from './demoAuthority';
import type { SecretStore } from './enrollment';
import { enrollKiosk, fileSecretStore, loadSyncLink } from './enrollment';
import { DEMO_ISSUERS, DEMO_KEY_ID, ensureDemoAuthority } from './demoAuthority';
import type { KioskTrust } from './kioskTrust';
import type { CertificateWallet } from '../accounts/wallet';
import { createCertificateWallet } from '../accounts/wallet';
import { createAccountsClient } from '../accounts/client';
import { createSitescanClient } from '../sitescan/client';
import type { NpkiRoot } from '../npki';
import { loadKioskTrust, trustPaths } from './kioskTrust';
import type { ConsoleQueries } from '../console/queries';
import { openConsoleQueries } from '../console/queries';
import { timingStats } from '../console/timing';
import type { QuarantineConsole } from '../console/quarantine';
import { createQuarantineConsole } from '../console/quarantine';

export type KioskEventListener = (name: EventName, payload: unknown) => void;

export interface KioskApp {
  handlers: Handlers;
  onEvent(listener: KioskEventListener): () => void;
  /** Scans that start in main (HID POS): admitted here and pushed to the renderer. */
  admitFromMain(scan: Scan): AdmitAnswer | null;
  status(): KioskStatus;
  /** Enrolls with the central API from main or the CLI (the IPC channel also needs an unlocked operator). */
  enroll(request: Request<'kiosk:enroll'>): Promise<Response<'kiosk:enroll'>>;
  /** Stops timers and devices, then closes the log. */
  close(): Promise<void>;
  /** An operator session is open (main puts the window back into kiosk mode when it ends). */
  operatorUnlocked(): boolean;
  /** The file behind a page's `/voice-clips/<name>` request (a recorded clip in use), else null. */
  voiceClipFile(urlPath: string): string | null;
}

export interface KioskAppOptions {
  dataDir: string;
  logger: Logger;
  /** Demo setup: a local demo authority and issuers, and the demo:mintToken channel. */
  demo: boolean;
  clock?: Clock;
  /** HID POS scanners (node-hid in the app); none when absent. */
  hid?: HidLike;
  /** Where the shipped udev rule lives, for the permission message. */
  udevRulePath?: string;
  /** How the device key is sealed at rest (Electron: safeStorage). Default: a 0600 file. */
  secrets?: SecretStore;
  /** HTTP to the central API (tests inject one). Default: fetch with a timeout. */
  http?: HttpClient;
  /** Where the 인증서 선택 dialog looks; default: the standard NPKI folders of this OS. */
  npkiRoots?: NpkiRoot[];
  /** What the shell found at start: the previous run ended without a clean quit (shown in status). */
  previousRun?: { unclean: boolean; startedAt: number | null; version: string | null };
  /** The central API the accounts client signs up and logs in against (default: none, refused with ACCOUNTS_NO_SERVER). */
  accountsApiUrl?: string;
  /** Demo only, without `hid`: one simulated HID POS scanner fed by demo:hidReports (the dev host). */
  simulatedHid?: boolean;
  /** Longest time between staff-session refreshes (default 5 minutes; the e2e test shortens it). */
  accountsRefreshEveryMs?: number;
  /** Main's way to leave the full-screen kiosk mode (kiosk:leave, after an operator unlock); absent when not in kiosk mode. */
  leaveKiosk?: () => void;
  /** The file chooser for voice:replaceClip (Electron: the native open dialog); a path, or null when cancelled. */
  chooseVoiceClip?: () => Promise<string | null>;
}

/** Scans longer than this are not remembered by the gate (they are refused as MALFORMED anyway). */
const GATE_MAX_CHARS = 4096;
const REMEMBERED_ANSWERS = 64;
/** How long the 자가점검 screen's specimen window stays open without being renewed. */
export const SPECIMEN_WINDOW_MS = 10 * 60_000;

export const kioskPaths = (dataDir: string) => ({
  settings: join(dataDir, 'settings.json'),
  entryLog: join(dataDir, 'entries.sqlite'),
  trustDir: join(dataDir, 'trust'),
  demoDir: join(dataDir, 'demo'),
});

const notReady = (fault: AppError | null) =>
  new CodedError(fault?.code ?? 'KIOSK_NOT_READY', fault?.message ?? '키오스크가 준비되지 않았습니다. 관리자에게 연락해 주세요.');

const asFault = (err: unknown): AppError =>
  err instanceof CodedError
    ? { code: err.code, message: err.message }
    : { code: 'KIOSK_START_FAILED', message: '키오스크를 시작하지 못했습니다. 관리자에게 연락해 주세요.' };

export function createKioskApp(opts: KioskAppOptions): KioskApp {
  const { dataDir, logger, demo } = opts;
  const clock = opts.clock ?? systemClock;
  const paths = kioskPaths(dataDir);
  const listeners = new Set<KioskEventListener>();
  let fault: AppError | null = null;
  let settings: SettingsStore | null = null;
  let voiceClips: VoiceClips | null = null;
  let trust: KioskTrust | null = null;
  let demoAuthority: DemoAuthority | null = null;
  let log: EntryLog | null = null;
  let admit: Admit | null = null;
  let retention: Retention | null = null;
  let hidScanners: HidScanners | null = null;
  let hidStatus: HidScannerStatus[] = [];
  const simulatedHid: SimulatedHid | null = demo && opts.simulatedHid && !opts.hid ? createSimulatedHid() : null;
  const hidDevices = opts.hid ?? simulatedHid?.hid;
  const gate = createScanGate({ clock });
  /** Per-scan timings by source (in memory, 28 days of hourly histograms; numbers only). */
  const timings = createScanTimings({ clock });
  const secrets = opts.secrets ?? fileSecretStore;
  const http = opts.http ?? fetchHttpClient();
  let sync: SyncWorker | null = null;
  /** The kiosk clock corrected by the offset to the central API, once measured. */
  const correctedClock: Clock = () => clock() + (sync?.status().offsetMs ?? 0);
  const answered = new Map<string, AdmitAnswer>();
  const wallet: CertificateWallet = createCertificateWallet({ clock, roots: opts.npkiRoots, logger });
  // Staff accounts live on the central API this kiosk is enrolled with (or the one in settings).
  const accounts = createAccountsClient({
    apiUrl: () => opts.accountsApiUrl ?? syncLinkUrl() ?? settings?.get().centralApiUrl ?? null,
    http,
    wallet,
    clock,
    logger,
    // The renderer's menus follow the session (refreshed, new roles, signed out) without a reload.
    onSession: (change) => emit('accounts:session', change),
    ...(opts.accountsRefreshEveryMs ? { refreshEveryMs: opts.accountsRefreshEveryMs } : {}),
  });
  // 홈페이지 보안점검 goes over the same staff session (the token stays in the accounts client).
  const sitescan = createSitescanClient({ authorized: accounts.authorized });

  // Deletion receipts are signed with a key made at first start. Without it the kiosk still
  // admits, but the purge deletes nothing (ENTRY_LOG_NO_RECEIPT_KEY, logged hourly).
  const loadReceiptKey = () => {
    try {
      return ensureReceiptKey(dataDir).privateKey;
    } catch (err) {
      const code = (err as { code?: unknown } | null)?.code;
      logger.error('receipt key unavailable: expired entries are kept', { code: typeof code === 'string' ? code : 'INTERNAL' });
      return undefined;
    }
  };

  // The opening self-test, built from what the kiosk already knows; the renderer reports the camera.
  let scanSeen = false;
  let cameraReport: 'ok' | 'denied' | 'missing' | 'disabled' | null = null;
  let speakerReport: 'played' | 'failed' | null = null;
  let selftestRunner: Selftest | null = null;
  // The specimen (견본) issuer: opened on first use; a specimen is answered before admit and never written.
  let specimenIssuer: SpecimenIssuer | null = null;
  const specimen = (): SpecimenIssuer => (specimenIssuer ??= openSpecimenIssuer({ dataDir, logger }));
  /** While the 자가점검 screen is open, a scanned specimen card is answered 점검용 QR 확인됨. */
  let specimenWindowUntil: number | null = null;
  let specimenSeen: SpecimenSeen | null = null;
  const specimenWindowOpen = () => specimenWindowUntil !== null && clock() < specimenWindowUntil;
  const selftest = (): Selftest => {
    if (fault || !log || !settings) throw notReady(fault);
    const current = settings;
    return (selftestRunner ??= createSelftest({
      store: log,
      clock,
      logger,
      checks: () => [
        scannerCheck({ hid: () => scannerStatus(), scanSeenSinceStart: () => scanSeen, specimenSeen: () => specimenSeen }),
        cameraCheck({ reported: () => cameraReport }),
        centralApiCheck({
          probe: sync
            ? async () => {
                if (syncStatus().state === 'offline') throw new CodedError('SYNC_OFFLINE', 'offline');
              }
            : null,
        }),
        trustListCheck({
          issuedAt: () => {
            const list = trust?.store.current();
            return list ? Date.parse(list.issuedAt) : null;
          },
          clock,
        }),
        clockCheck({ offsetMs: () => sync?.status().offsetMs ?? null }),
        speakerCheck({ voice: () => current.get().voice, played: () => speakerReport }),
        specimenCheck({ roundTrip: specimenRoundTrip }),
      ],
    }));
  };

  // Each step may fail; the first failure becomes the kiosk's fault and the error screen.
  // Nothing here ever replaces an existing log or settings file with a new empty one.
  try {
    settings = openSettings({
      path: paths.settings,
      defaults: () => defaultSettings(`kiosk-${randomBytes(3).toString('hex')}`, demo ? 'demo-facility' : 'unassigned'),
      logger,
    });
    voiceClips = openVoiceClips({ dataDir, settings, logger });
    if (demo) demoAuthority = ensureDemoAuthority({ demoDir: paths.demoDir, trustDir: paths.trustDir, clock, logger });
    trust = loadKioskTrust(paths.trustDir, logger);
    if (!trust) logger.warn('no trust roots configured: scans are refused until the kiosk is enrolled');
    log = openEntryLog({ path: paths.entryLog, clock, logger, expectExisting: settings.existedAtStart, receiptKey: loadReceiptKey() });
    const current = settings;
    admit = createAdmitter({
      log,
      trustList: () => trust?.store.current() ?? null,
      clock: correctedClock,
      settings: () => {
        const s = current.get();
        return { facilityId: s.facilityId, kioskId: s.kioskId, skewSeconds: s.verify.skewSeconds, maxTtlSeconds: s.verify.maxTtlSeconds };
      },
      logger,
      timings,
    });
    retention = startRetention({ log, clock, logger });
    // 자가점검 at the first start of each Seoul day; a failure is logged and shown on demand.
    void selftest().runIfFirstToday();
  } catch (err) {
    fault = asFault(err);
    logger.error('kiosk start failed', { code: fault.code });
  }

  const emit = (name: EventName, payload: unknown) => {
    for (const listener of listeners) {
      try {
        listener(name, payload);
      } catch (err) {
        logger.warn('event listener failed', { event: name, error: err instanceof Error ? err.message : String(err) });
      }
    }
  };

  /** A specimen: never admitted. Inside the self-test window (or the self-test's own round trip) it is
   * answered as checked with its verify result; outside, refused with SPECIMEN_TOKEN. */
  function specimenAnswer(scan: Scan): AdmitAnswer | null {
    let found;
    try {
      const policy = settings?.get().verify;
      found = specimen().classify(scan.data, Math.floor(correctedClock() / 1000), { skew: policy?.skewSeconds, maxTtl: policy?.maxTtlSeconds });
    } catch (err) {
      // Without the specimen key, no scan is a specimen; visitors are still admitted.
      logger.error('specimen check unavailable', { code: err instanceof CodedError ? err.code : 'INTERNAL' });
      return null;
    }
    if (!found) return null;
    const scannedAt = correctedClock();
    if (scan.source !== 'selftest' && !specimenWindowOpen()) {
      logger.warn('specimen refused outside the self-test', { source: scan.source });
      throw specimenRefused();
    }
    if (scan.source !== 'selftest') specimenSeen = { source: scan.source, scannedAt, expected: found.expected, result: found.result };
    logger.info('specimen checked', { source: scan.source, code: found.result });
    return {
      ok: false,
      code: found.result,
      tokenId: found.tokenId,
      issuer: 0,
      issuerName: 'specimen',
      issuedAt: found.issuedAt,
      source: scan.source,
      scannedAt,
      todayCount: log && !fault ? log.todayCount(clock()) : 0,
      specimen: 'checked',
    };
  }

  /** The self-test's own specimen: minted now, sent through the same scan path, must write nothing. */
  function specimenRoundTrip(): SpecimenRoundTrip {
    if (!log) throw notReady(fault);
    const counts = () => ({ entries: log!.todayCount(clock()), outbox: log!.pendingCount() });
    const before = counts();
    const answer = admitScan({ data: specimen().mint(Math.floor(correctedClock() / 1000)), source: 'selftest' });
    return { recognised: answer.specimen === 'checked', result: answer.code, entryId: answer.entryId ?? null, before, after: counts() };
  }

  // Which sources feed admit(), test mode and the live status of the 장치 설정 screen.
  const inputs = createInputSources({
    clock,
    logger,
    sources: () => settings?.get().sources ?? DEFAULT_SOURCES,
    hid: () => hidScanners,
    hidAvailable: hidDevices !== undefined,
    onChanged: (next) => emit('devices:changed', next),
    onTestScan: (scan) => emit('devices:testScan', scan),
  });
  /** A renderer scan: dropped when its source is off, shown only in test mode, else admitted. */
  const intakeOrRefuse = (scan: IncomingScan) => {
    const intake = inputs.intake(scan);
    if (intake !== 'admit') throw notAdmitted(intake);
  };

  /** One scan, one entry: a repeat within 2 s from any source gets the first answer again. */
  function admitScan(scan: Scan): AdmitAnswer {
    if (fault || !admit) throw notReady(fault);
    const asSpecimen = specimenAnswer(scan);
    if (asSpecimen) return asSpecimen;
    scanSeen = true;
    const gated = scan.data.length <= GATE_MAX_CHARS;
    if (gated && !gate.accept(scan.data, scan.source)) {
      const first = answered.get(scan.data);
      if (first) return { ...first, repeat: true };
    }
    const answer = admit(scan);
    if (gated) {
      answered.delete(scan.data);
      answered.set(scan.data, answer);
      if (answered.size > REMEMBERED_ANSWERS) answered.delete(answered.keys().next().value as string);
    }
    return answer; // the admitter logs each answer
  }

  function syncStatus(): KioskStatus['sync'] {
    const pending = log && !fault ? log.pendingCount() : 0;
    if (!sync) return { state: 'disabled', pending, lastSuccessAt: null };
    const s = sync.status();
    const state = s.state === 'backoff' || s.state === 'revoked' ? 'offline' : pending > 0 ? 'pending' : 'ok';
    return { state, pending, lastSuccessAt: s.lastSuccessAt, quarantined: s.quarantined };
  }

  function clockStatus(): KioskStatus['clock'] {
    const offsetMs = sync?.status().offsetMs ?? null;
    if (offsetMs === null) return { state: 'unknown', offsetMs: null };
    return { state: Math.abs(offsetMs) > CLOCK_WARNING_MS ? 'warning' : 'ok', offsetMs };
  }

  /** Starts draining the outbox to the central API, refreshing the trust list and the clock offset. */
  function startSync(): void {
    if (!log || !trust || fault) return;
    const linked = loadSyncLink(dataDir, secrets);
    if (!linked) return;
    const kioskTrust = trust;
    sync = createSyncWorker({
      baseUrl: linked.link.apiUrl,
      kioskId: linked.link.kioskId,
      devicePrivateKey: linked.deviceKey,
      outbox: log,
      http,
      clock,
      logger,
      trustStore: kioskTrust.store,
      onTrustList: (_list, envelope) => writeAtomically(trustPaths(paths.trustDir).envelope, envelope),
    });
    sync.start();
    logger.info('sync started', { kioskId: linked.link.kioskId });
  }

  function scannerStatus(): KioskStatus['scanner'] {
    const sources = settings && !fault ? settings.get().sources : DEFAULT_SOURCES;
    if (!sources.wedge && !sources.hid && !sources.camera) return { state: 'off', detail: '모든 입력 장치가 꺼져 있습니다. 운영 콘솔의 장치 설정에서 켜세요.' };
    const connected = hidStatus.filter((s) => s.state === 'connected').length;
    const problem = hidStatus.find((s) => s.state === 'no-permission' || s.state === 'error');
    if (problem?.lastError) return { state: 'warning', detail: problem.lastError.message };
    if (connected > 0) return { state: 'ready', detail: `HID 스캐너 ${connected}대 연결됨 · 키보드(웨지) 스캐너 대기 중` };
    return { state: 'ready', detail: '키보드(웨지) 스캐너 입력 대기 중' };
  }

  function status(): KioskStatus {
    const s: Settings | null = settings && !fault ? settings.get() : null;
    const list = trust?.store.current() ?? null;
    return {
      facilityId: s?.facilityId ?? '—',
      kioskId: s?.kioskId ?? '—',
      demo,
      todayCount: log && !fault ? log.todayCount(clock()) : 0,
      fault,
      trustList: list ? { sequence: list.sequence, issuedAt: list.issuedAt, issuers: list.issuers.length } : null,
      scanner: scannerStatus(),
      sync: syncStatus(),
      clock: clockStatus(),
      uncleanShutdown: opts.previousRun?.unclean
        ? { startedAt: opts.previousRun.startedAt, version: opts.previousRun.version }
        : null,
    };
  }

  async function mintDemoToken(issuer = 1): Promise<DemoToken> {
    if (!demo || !demoAuthority) throw new CodedError('DEMO_OFF', '데모 모드에서만 테스트 QR을 발급할 수 있습니다.');
    const key = demoAuthority.issuerKey(issuer);
    const info = DEMO_ISSUERS.find((i) => i.code === issuer);
    if (!key || !info) throw new CodedError('DEMO_UNKNOWN_ISSUER', '데모 발급기관은 1(네이버), 2(카카오), 3(PASS) 중 하나입니다.');
    const issuedAt = Math.floor(clock() / 1000);
    const token = mintToken({ privateKey: key, issuer, keyId: DEMO_KEY_ID, issuedAt, ttl: 15 });
    const qrSvg = await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { token, issuerName: info.displayName, expiresAt: issuedAt + 15, qrSvg };
  }

  // The console reads the log over its own read-only connection, opened on first use.
  let consoleQueries: ConsoleQueries | null = null;
  const consoleLog = (): ConsoleQueries => {
    if (fault || !log) throw notReady(fault);
    consoleQueries ??= openConsoleQueries({ path: paths.entryLog });
    return consoleQueries;
  };

  // 전송 보류 항목: what the central API refused for good, released by an operator; the sync is woken after.
  let quarantineConsole: QuarantineConsole | null = null;
  const quarantine = (): QuarantineConsole => {
    if (fault || !log) throw notReady(fault);
    return (quarantineConsole ??= createQuarantineConsole({ log, clock, logger, wakeSync: () => sync?.poke() }));
  };

  // Opened on first use so a damaged lock file refuses operator actions (deny by default)
  // without stopping admits; it throws OPERATOR_STORE_DAMAGED on every use until fixed.
  let operatorLock: OperatorLock | null = null;
  const operator = (): OperatorLock =>
    (operatorLock ??= openOperatorLock({ path: join(dataDir, OPERATOR_FILE), clock, logger, demo }));
  const certificateUnlock = createCertificateUnlock({ lock: operator, checkLogin: (input) => accounts.checkLogin(input) });

  function syncLinkUrl(): string | null {
    try {
      return loadSyncLink(dataDir, secrets)?.link.apiUrl ?? null;
    } catch {
      return null;
    }
  }

  /** Enrolls with the central API and starts syncing (the CLI calls this directly; IPC is PIN-gated). */
  async function enroll(request: Request<'kiosk:enroll'>): Promise<Response<'kiosk:enroll'>> {
    if (fault || !settings) throw notReady(fault);
    const link = await enrollKiosk({
      dataDir,
      apiUrl: request.apiUrl,
      code: request.code,
      root: { keyId: request.rootKeyId, publicKey: request.rootPublicKey },
      label: settings.get().kioskId,
      http,
      clock,
      logger,
      secrets,
    });
    settings.update({ facilityId: link.facilityId.slice(0, 64), kioskId: link.kioskId.slice(0, 64) });
    trust = loadKioskTrust(paths.trustDir, logger);
    startSync();
    emit('kiosk:status', status());
    return { kioskId: link.kioskId, facilityId: link.facilityId, facilityName: link.facilityName };
  }

  const handlers: Handlers = {
    'kiosk:admit': (request) => {
      if (fault || !admit) throw notReady(fault);
      intakeOrRefuse({ source: request.source, data: request.data, charsPerSecond: request.charsPerSecond ?? null });
      return admitScan({ data: request.data, source: request.source, timing: request.timing });
    },
    'kiosk:status': () => status(),
    'settings:get': () => {
      if (!settings) throw notReady(fault);
      return settings.get();
    },
    'settings:update': (patch) => {
      if (!settings) throw notReady(fault);
      operator().requireUnlocked('settings:update');
      const next = settings.update(patch);
      emit('kiosk:status', status());
      if (patch.sources) {
        // HID off closes the devices (a scan cannot even start); on reopens them.
        void hidScanners?.setEnabled(next.sources.hid).then(() => inputs.changed());
        inputs.changed();
      }
      return next;
    },
    'voice:replaceClip': async (request) => {
      if (!settings || !voiceClips) throw notReady(fault);
      operator().requireUnlocked('voice:replaceClip');
      // The file is chosen in main, never named by the page.
      if (!opts.chooseVoiceClip) throw new CodedError('VOICE_CLIP_NO_DIALOG', '이 화면에서는 파일을 고를 수 없습니다. 키오스크 앱의 설정에서 바꿔 주세요.');
      const path = await opts.chooseVoiceClip();
      if (path === null) return { cancelled: true, settings: settings.get(), clip: null };
      const { settings: next, info } = voiceClips.replaceFromFile(request.clip, path);
      emit('kiosk:status', status());
      return { cancelled: false, settings: next, clip: { format: info.format, codec: info.codec, durationMs: info.durationMs, bytes: info.bytes } };
    },
    'voice:resetClip': (request) => {
      if (!settings || !voiceClips) throw notReady(fault);
      operator().requireUnlocked('voice:resetClip');
      return voiceClips.reset(request.clip);
    },
    'demo:mintToken': (request) => mintDemoToken(request.issuer),
    'devices:status': () => inputs.status(),
    'devices:testMode': (request) => {
      if (request.on) operator().requireUnlocked('devices:testMode');
      return inputs.setTestMode(request.on);
    },
    'demo:hidReports': (request) => {
      if (!simulatedHid) throw new CodedError('DEMO_OFF', '모의 HID 스캐너는 데모 모드의 개발 호스트에서만 쓸 수 있습니다.');
      return { delivered: simulatedHid.deliver(request.reports.map((hex) => new Uint8Array(Buffer.from(hex, 'hex')))) };
    },
    'operator:status': () => operator().status(),
    'operator:unlock': (request) => operator().unlock(request.pin),
    'operator:lock': () => {
      operator().lock();
      return operator().status();
    },
    'operator:setPin': (request) => {
      operator().setPin(request.pin, request.currentPin);
      return operator().status();
    },
    'operator:unlockWithCertificate': ({ password, ...rest }) => certificateUnlock.unlock({ ...rest, password: Buffer.from(password, 'utf8') }),
    'operator:bindInstitution': (request) => {
      operator().bindInstitution(request.institutionId, request.currentPin);
      return operator().status();
    },
    'log:integrity': (request) => {
      if (fault || !log) throw notReady(fault);
      const all = log.receipts();
      return {
        receiptPublicKey: log.receiptPublicKey(),
        head: log.chainHead(),
        pendingReceipts: all.filter((r) => r.sentAt === null).length,
        receipts: all.slice(-(request.limit ?? 100)).reverse(),
      };
    },
    'selftest:run': (request) => {
      if (request.camera !== undefined) cameraReport = request.camera;
      if (request.speaker !== undefined) speakerReport = request.speaker;
      return selftest().run('manual');
    },
    'selftest:specimen': async (request) => {
      if (request.open) {
        operator().requireUnlocked('selftest:specimen');
        if (!specimenWindowOpen()) specimenSeen = null; // a new self-test proves the scanner again
        specimenWindowUntil = clock() + SPECIMEN_WINDOW_MS;
      } else {
        specimenWindowUntil = null;
      }
      let card: { token: string; qrSvg: string } | null = null;
      if (request.card && request.open) {
        const token = specimen().mint(Math.floor(correctedClock() / 1000));
        card = { token, qrSvg: await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 4 }) };
      }
      return { openUntil: specimenWindowOpen() ? specimenWindowUntil : null, seen: specimenSeen, card };
    },
    'kiosk:leave': () => {
      operator().requireUnlocked('kiosk:leave');
      if (!opts.leaveKiosk) throw new CodedError('KIOSK_MODE_OFF', '지금은 키오스크(전체 화면 잠금) 모드가 아닙니다.');
      opts.leaveKiosk();
      logger.warn('kiosk mode left by an operator');
      return { left: true };
    },
    'selftest:last': () => selftest().last(),
    'console:hourly': (request) => consoleLog().hourly(request),
    'console:refusals': (request) => consoleLog().refusals(request.day),
    'console:entries': (request) => consoleLog().entries(request),
    'console:exportCsv': (request) => ({
      csv: consoleLog().exportCsv(request),
      filename: `munjigi-${settings?.get().kioskId ?? 'kiosk'}-${request.granularity}-${seoulDay(request.from)}.csv`,
    }),
    'console:quarantine': (request) => {
      operator().requireUnlocked('console:quarantine');
      return quarantine().list(request.limit);
    },
    'console:requeueQuarantined': (request) => {
      operator().requireUnlocked('console:requeueQuarantined');
      const answer = quarantine().requeue(request);
      emit('kiosk:status', status());
      return answer;
    },
    'stats:timing': (request) => timingStats(timings, request),
    'stats:feedback': (request) => ({ recorded: timings.record(request.source, 'feedback', request.feedbackMs) }),
    'accounts:certificates': async () => ({ certificates: await wallet.list() }),
    'accounts:findCertificate': (request) => wallet.find(request.path),
    // The password arrives once as a string (IPC cannot carry a Buffer the renderer could zero);
    // main copies it into a Buffer that the wallet zeroes after the unlock.
    'accounts:checkCertificate': (request) => wallet.check(request.certificateRef, Buffer.from(request.password, 'utf8')),
    'accounts:consent': () => accounts.consent(),
    'accounts:institutions': (request) => accounts.institutions(request),
    'accounts:signup': ({ password, ...rest }) => accounts.signup({ ...rest, password: Buffer.from(password, 'utf8') }),
    'accounts:login': ({ password, ...rest }) => accounts.login({ ...rest, password: Buffer.from(password, 'utf8') }),
    'accounts:me': () => accounts.me(),
    'accounts:myRoles': () => accounts.myRoles(),
    'accounts:requestRole': ({ password, ...rest }) => accounts.requestRoles({ ...rest, password: Buffer.from(password, 'utf8') }),
    'accounts:cancelRequest': (request) => accounts.cancelRequest(request.requestId),
    'accounts:pendingApprovals': () => accounts.pendingApprovals(),
    'accounts:decide': (request) => accounts.decide(request),
    'accounts:logout': () => {
      accounts.logout();
      return { signedOut: true as const };
    },
    'accounts:rebind': ({ oldPassword, newPassword, ...rest }) =>
      accounts.rebindAndLogin({ ...rest, oldPassword: Buffer.from(oldPassword, 'utf8'), newPassword: Buffer.from(newPassword, 'utf8') }),
    'accounts:findUsers': (request) => accounts.findUsers(request.q),
    'accounts:approverRebind': (request) => accounts.approverRebind(request),
    'accounts:adminInstitutions': (request) => accounts.adminInstitutions(request),
    'accounts:createInstitution': (request) => accounts.createInstitution(request),
    'accounts:updateInstitution': (request) => accounts.updateInstitution(request.id, request.change),
    'accounts:setInstitutionActive': (request) => accounts.setInstitutionActive(request.id, request.active, request.reason),
    'sitescan:list': () => sitescan.list(),
    'sitescan:register': (request) => sitescan.register(request),
    'sitescan:verify': (request) => sitescan.verify(request.siteId, request.code),
    'sitescan:resendCode': (request) => sitescan.resendCode(request.siteId),
    'sitescan:report': (request) => sitescan.report(request.siteId),
    'sitescan:visit': (request) => sitescan.visit(request.siteId, request.resultId),
    'sitescan:remediated': (request) => sitescan.remediated(request.siteId),
    // Pointing a kiosk at a central API is an operator's act: the renderer needs an unlocked session.
    'kiosk:enroll': (request) => {
      operator().requireUnlocked('kiosk:enroll');
      return enroll(request);
    },
  };

  const app: KioskApp = {
    handlers,
    status,
    enroll,
    operatorUnlocked: () => {
      try {
        return operator().isUnlocked();
      } catch {
        return false;
      }
    },
    voiceClipFile: (urlPath) => voiceClips?.fileFor(urlPath) ?? null,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    admitFromMain(scan) {
      try {
        const answer = admitScan(scan);
        if (!answer.repeat) emit('kiosk:admitted', answer);
        return answer;
      } catch (err) {
        const refusal = err instanceof CodedError ? err : new CodedError('INTERNAL', '처리 중 오류가 발생했습니다. 잠시 후 다시 시도해 주세요.');
        logger.error('admit from main failed', { code: refusal.code, source: scan.source });
        // No answer to push, but the visitor at the HID scanner must see and hear the refusal the
        // renderer shows for the same scan from the wedge (kiosk:admit's failed envelope).
        emit('kiosk:refused', { source: scan.source, code: refusal.code, message: refusal.message, scannedAt: correctedClock() });
        return null;
      }
    },
    async close() {
      listeners.clear();
      inputs.close();
      accounts.stop();
      retention?.stop();
      await hidScanners?.stop();
      await sync?.stop();
      consoleQueries?.close();
      log?.close();
    },
  };
  try {
    startSync();
  } catch (err) {
    // A damaged enrollment stops syncing, not admitting: entries wait in the outbox.
    logger.error('sync not started', { code: err instanceof CodedError ? err.code : 'INTERNAL' });
  }

  // Started last: HID scans go through app.admitFromMain like any scan from main.
  if (hidDevices && !fault) {
    hidScanners = createHidScanners({
      hid: hidDevices,
      clock,
      logger,
      udevRulePath: opts.udevRulePath,
      enabled: settings?.get().sources.hid ?? true,
      onScan: (scan) => {
        const intake = inputs.intake({ source: 'hid', data: scan.data, device: scan.device, symbology: scan.symbology, aim: scan.aim });
        if (intake === 'admit') app.admitFromMain({ data: scan.data, source: 'hid', timing: { decodeMs: scan.decodeMs } });
      },
      onStatus: (next) => {
        hidStatus = next;
        emit('kiosk:status', status());
        inputs.changed();
      },
    });
    hidScanners.start().catch((err: unknown) => logger.error('hid scanners failed to start', { error: String(err) }));
  }

  return app;
}
