// Runs everywhere. The one IPC contract between the renderer and the main process.
// The preload bridge, the main-side registration, the renderer client and the WebSocket
// development host are all derived from this object: adding a channel is one edit here
// (and its handler in src/core/app).
import { z } from 'zod';
import { codeSent, emailCode, registered, remediated, resultId as scanResultId, siteId, siteList, siteRegistration, siteReport, verified, visitView } from './sitescanApp';
import {
  adminInstitution,
  adminInstitutionList,
  approvalList,
  approverUserList,
  consentAgreement,
  consentResponse,
  decisionResponse,
  institutionKind,
  institutionList,
  loginId,
  myRolesResponse,
  requestableRole,
  roleRequestCreated,
  sessionResponse,
  signupResponse,
  signupUser,
  institutionId,
  institutionCreate,
  institutionUpdate,
  rebindResponse,
  uuid,
} from './accounts';
import { RESULT_CODES } from './kp1';

/** Longest scan the kiosk will look at; longer bursts are refused as MALFORMED, not dropped. */
export const MAX_SCAN_CHARS = 262_144;

export const resultCode = z.enum(RESULT_CODES);

/** Sources the renderer may claim. HID POS scans start in main and never cross this boundary inward. */
export const rendererScanSource = z.enum(['wedge', 'camera', 'demo']);
export const scanSource = z.enum(['wedge', 'camera', 'demo', 'hid', 'selftest']);
export type ScanSource = z.infer<typeof scanSource>;

export const admitAnswer = z.object({
  ok: z.boolean(),
  code: resultCode,
  /** Present when an entry was written (OK only). */
  entryId: z.string().optional(),
  tokenId: z.string().optional(),
  issuer: z.number().int().optional(),
  issuerName: z.string().optional(),
  issuedAt: z.number().int().optional(),
  expiresAt: z.number().int().optional(),
  source: scanSource,
  /** Kiosk clock (ms since epoch, offset-corrected) when the scan was admitted. */
  scannedAt: z.number(),
  /** Entries written today at this kiosk, after this scan. */
  todayCount: z.number().int().nonnegative(),
  /** The same data was read again within 2 s (by any source): one scan, already answered. */
  repeat: z.boolean().optional(),
  /** A 점검용 specimen read during the self-test: never admitted, no entry; `code` is its verify result. */
  specimen: z.literal('checked').optional(),
});
export type AdmitAnswer = z.infer<typeof admitAnswer>;

/** The central API's base address: http(s) only, no credentials in it. */
export const centralApiUrl = z
  .string()
  .max(300)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'http(s) URL without credentials');

const settingsFields = {
  facilityId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
  kioskId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/),
  voice: z.object({ volume: z.number().min(0).max(1), muted: z.boolean() }).strict(),
  wedge: z
    .object({
      maxGapMs: z.number().int().min(5).max(500),
      minLength: z.number().int().min(1).max(1000),
      idleMs: z.number().int().min(20).max(2000),
    })
    .strict(),
  verify: z
    .object({ skewSeconds: z.number().int().min(0).max(300), maxTtlSeconds: z.number().int().min(1).max(60) })
    .strict(),
  resultScreenMs: z.number().int().min(1000).max(30_000),
  /** The kiosk's default language; visitors may switch for one scan on the idle screen. */
  language: z.enum(['ko', 'en']),
  largeText: z.boolean(),
  highContrast: z.boolean(),
  /** An open console or settings screen goes back to the kiosk after this long without input. */
  screenTimeoutMs: z.number().int().min(15_000).max(3_600_000),
  centralApiUrl: centralApiUrl.nullable(),
  /** Which scan sources feed admit(); a disabled source's scans are dropped before admit. */
  sources: z.object({ wedge: z.boolean(), hid: z.boolean(), camera: z.boolean() }).strict(),
  /** The counter camera: which one (a MediaDeviceInfo.deviceId; null = the first), which decoder, how often. */
  camera: z
    .object({
      deviceId: z.string().max(256).nullable(),
      decoder: z.enum(['zxing-wasm', 'zxing-js']),
      maxDecodesPerSecond: z.number().int().min(1).max(15),
      mirrored: z.boolean(),
    })
    .strict(),
};

/** The three spoken answers (src/renderer/src/feedback/resultText.ts: ClipName). */
export const voiceClipName = z.enum(['ok', 'duplicate', 'refused']);
export type VoiceClipName = z.infer<typeof voiceClipName>;
/** A recorded clip's file in the kiosk's data folder: a generated name, never the operator's path. */
export const VOICE_CLIP_FILE = /^(ok|duplicate|refused)-[0-9a-f]{32}\.(wav|mp3|ogg)$/;
const voiceClipFile = z.string().regex(VOICE_CLIP_FILE).nullable();
/** Where the page fetches a recorded clip in use: `<app origin>/voice-clips/<file>` (served by main / the development host). */
export const VOICE_CLIP_URL_PREFIX = '/voice-clips/';
/** Recorded clips in use (null: the built-in one). Set only by voice:replaceClip / voice:resetClip, never by a patch. */
export const voiceClips = z.object({ ok: voiceClipFile, duplicate: voiceClipFile, refused: voiceClipFile }).strict();
export const NO_VOICE_CLIPS = { ok: null, duplicate: null, refused: null } as const;

/** Wedge and HID scanners on, the camera off until an installer turns it on (it needs a permission). */
export const DEFAULT_SOURCES = { wedge: true, hid: true, camera: false } as const;
/** zxing-wasm by measurement (docs/benchmarks.md: camera decoder choice); 8 decodes a second at most. */
export const DEFAULT_CAMERA = { deviceId: null, decoder: 'zxing-wasm', maxDecodesPerSecond: 8, mirrored: true } as const;

/** Fields added after the first release carry defaults, so settings files written before them still load. */
export const settings = z
  .object({
    ...settingsFields,
    language: settingsFields.language.default('ko'),
    largeText: settingsFields.largeText.default(false),
    highContrast: settingsFields.highContrast.default(false),
    screenTimeoutMs: settingsFields.screenTimeoutMs.default(120_000),
    centralApiUrl: settingsFields.centralApiUrl.default(null),
    sources: settingsFields.sources.default(DEFAULT_SOURCES),
    camera: settingsFields.camera.default(DEFAULT_CAMERA),
    voiceClips: voiceClips.default(NO_VOICE_CLIPS),
  })
  .strict();
export type Settings = z.infer<typeof settings>;

/** A change to settings: any top-level group, whole. Unknown keys are refused, never ignored.
 * Built from the fields without defaults, so a patch never resets a key it does not name. */
export const settingsPatch = z.object(settingsFields).partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatch>;

export const kioskStatus = z.object({
  facilityId: z.string(),
  kioskId: z.string(),
  demo: z.boolean(),
  todayCount: z.number().int().nonnegative(),
  /** A fault stops admission and shows the error screen (e.g. the entry log cannot be opened). */
  fault: z.object({ code: z.string(), message: z.string() }).nullable(),
  trustList: z.object({ sequence: z.number().int(), issuedAt: z.string(), issuers: z.number().int() }).nullable(),
  scanner: z.object({ state: z.enum(['ready', 'warning', 'off']), detail: z.string() }),
  sync: z.object({
    state: z.enum(['disabled', 'ok', 'pending', 'offline']),
    pending: z.number().int().nonnegative(),
    lastSuccessAt: z.number().nullable(),
    /** Entries the central API refused for good, held in quarantine (absent while sync is off). */
    quarantined: z.number().int().nonnegative().optional(),
  }),
  clock: z.object({ state: z.enum(['ok', 'warning', 'unknown']), offsetMs: z.number().nullable() }),
  /** The previous run did not quit cleanly (power loss, kill, crash of main): when it started, which version. */
  uncleanShutdown: z.object({ startedAt: z.number().nullable(), version: z.string().nullable() }).nullable().optional(),
});
export type KioskStatus = z.infer<typeof kioskStatus>;

export const selftestRun = z.object({
  startedAt: z.number(),
  day: z.string(),
  trigger: z.enum(['daily', 'manual']),
  ok: z.boolean(),
  results: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      labelEn: z.string().optional(),
      status: z.enum(['ok', 'warn', 'fail']),
      detail: z.string(),
      fix: z.string().nullable(),
      en: z.object({ detail: z.string(), fix: z.string().nullable() }).optional(),
      durationMs: z.number(),
    }),
  ),
});
export type SelftestRunView = z.infer<typeof selftestRun>;

export const demoToken = z.object({ token: z.string(), issuerName: z.string(), expiresAt: z.number().int(), qrSvg: z.string() });
export type DemoToken = z.infer<typeof demoToken>;

const none = z.object({}).strict();

const epochMs = z.number().int().min(0).max(8_640_000_000_000_000);

/** What the lock screen needs to know: whether a PIN exists or must be set, and until when it is open or locked out. */
const operatorStatus = z.object({
  pinSet: z.boolean(),
  setupRequired: z.boolean(),
  unlockedUntil: epochMs.nullable(),
  lockedUntil: epochMs.nullable(),
  /** Wrong PINs that may still be entered before the next lockout (0 during one). */
  attemptsLeft: z.number().int().nonnegative(),
  /** The institution whose 시설관리자 may unlock with a 공동인증서 (null: 시스템관리자 only). */
  institutionId: z.string().nullable(),
});
export type OperatorStatusView = z.infer<typeof operatorStatus>;
const consoleRange = z.object({ from: epochMs, to: epochMs }).strict();
/** The most quarantined entries one console:quarantine page lists or one requeue names. */
export const QUARANTINE_PAGE_MAX = 500;
const quarantinedEntry = z.object({
  entryId: z.string(),
  tokenId: z.string(),
  scannedAt: epochMs,
  quarantinedAt: epochMs,
  /** The central API's refusal code (UPPER_SNAKE), or HTTP_<status> when it gave none. */
  code: z.string(),
  attempts: z.number().int().nonnegative(),
});
const countBucket = z.object({ start: z.number(), count: z.number().int().nonnegative() });

/** What a scan source measured before admit, numbers only: decode = first key / HID report / camera frame
 * to a complete code; retries = reads without a code before it (camera). Bounded; bad values are refused. */
export const scanTiming = z
  .object({ decodeMs: z.number().min(0).max(60_000).optional(), retries: z.number().int().min(0).max(1000).optional() })
  .strict();
const stageTiming = z.object({ samples: z.number().int().nonnegative(), p50Ms: z.number().nullable(), p95Ms: z.number().nullable() });
/** stats:timing — per source: scans, p50/p95 of each stage; scans per hour; a 2D imager suggestion. No personal data. */
export const timingSummary = z.object({
  from: z.number(),
  to: z.number(),
  sources: z.array(
    z.object({
      source: scanSource,
      scans: z.number().int().nonnegative(),
      retriesPerScan: z.number().nullable(),
      stages: z.object({ decode: stageTiming, verify: stageTiming, write: stageTiming, feedback: stageTiming }),
    }),
  ),
  hourly: z.array(z.object({ hourStart: z.number(), scans: z.number().int().nonnegative() })),
  suggestion: z
    .object({
      code: z.literal('CAMERA_SLOW'),
      cameraScans: z.number().int().nonnegative(),
      decodeVerifyP50Ms: z.number(),
      decodeP95Ms: z.number(),
      retriesPerScan: z.number().nullable(),
      message: z.string(),
    })
    .nullable(),
});
export type TimingSummaryView = z.infer<typeof timingSummary>;

/** One row of the 인증서 선택 dialog (src/core/accounts/wallet.ts). No paths, no key material. */
export const certificateRow = z.object({
  ref: z.string(),
  kind: z.enum(['personal', 'corporate', 'unknown']),
  kindLabel: z.string(),
  subjectCN: z.string(),
  holderName: z.string(),
  notAfter: z.string(),
  issuerLabel: z.string(),
  policyLabel: z.string().nullable(),
  location: z.enum(['hdd', 'removable', 'file']),
  expired: z.boolean(),
  hasKey: z.boolean(),
  /** Why it cannot be chosen (Korean), or null. */
  refusal: z.string().nullable(),
});
export type CertificateRow = z.infer<typeof certificateRow>;
/** A dialog row reference handed out by accounts:certificates / accounts:findCertificate. */
export const certificateRef = z.string().regex(/^[A-Za-z0-9_-]{16}$/);
/** The certificate password: crosses IPC once per sign-in, then main holds it only as a Buffer it zeroes. */
export const certificatePassword = z.string().min(1).max(256);

/** What the renderer learns of a session: never the bearer token, which stays in main. */
export const sessionView = sessionResponse.omit({ token: true });
export type SessionView = z.infer<typeof sessionView>;
const requestedRoles = z.array(requestableRole).min(1).max(4);

/** 장치 설정: every input source with live status (src/core/scanner/inputSources.ts). No scan data. */
const deviceError = z.object({ code: z.string(), message: z.string(), at: z.number() });
export const devicesStatus = z.object({
  testMode: z.object({ on: z.boolean(), until: z.number().nullable() }),
  wedge: z.object({
    enabled: z.boolean(),
    lastScanAt: z.number().nullable(),
    /** Characters per second of the last wedge scan, as the renderer timed its keys. */
    lastCharsPerSecond: z.number().nullable(),
    scans: z.number().int().nonnegative(),
    /** Scans dropped because the source was turned off. */
    dropped: z.number().int().nonnegative(),
  }),
  hid: z.object({
    enabled: z.boolean(),
    /** False when this build or host has no HID access at all (no node-hid). */
    available: z.boolean(),
    dropped: z.number().int().nonnegative(),
    devices: z.array(
      z.object({
        path: z.string(),
        label: z.string(),
        vendorId: z.number().int(),
        productId: z.number().int(),
        usagePage: z.number().int().nullable(),
        state: z.enum(['opening', 'connected', 'error', 'no-permission', 'disconnected', 'stopped', 'off']),
        connectedAt: z.number().nullable(),
        lastScanAt: z.number().nullable(),
        scans: z.number().int().nonnegative(),
        drops: z.number().int().nonnegative(),
        errors: z.number().int().nonnegative(),
        lastError: deviceError.nullable(),
        /** The exact commands that grant access (Linux, permission refused), one a line; else null. */
        udevCommands: z.array(z.string()).nullable(),
      }),
    ),
    /** Keyboard-mode scanners from the vendor table, with how to switch or keep them (Korean). */
    keyboardScanners: z.array(z.object({ label: z.string(), vendorId: z.number().int(), productId: z.number().int(), advice: z.string() })),
  }),
  camera: z.object({ enabled: z.boolean(), lastScanAt: z.number().nullable(), scans: z.number().int().nonnegative(), dropped: z.number().int().nonnegative() }),
});
export type DevicesStatus = z.infer<typeof devicesStatus>;

/** A scan read while test mode is on: shown on the setup screen, never admitted. */
export const devicesTestScan = z.object({
  at: z.number(),
  source: z.enum(['wedge', 'camera', 'hid']),
  /** The device's label (HID), else null. */
  device: z.string().nullable(),
  /** The data for display: control characters escaped (\r, \x1d…), cut at 512 characters. */
  shown: z.string(),
  truncated: z.boolean(),
  /** Characters in the data as read. */
  length: z.number().int().nonnegative(),
  symbology: z.string(),
  aim: z.string().nullable(),
  charsPerSecond: z.number().nullable(),
  /** Whether the data parses as a KP1 token (syntax only: nothing is verified or written). */
  kp1: z.object({ wellFormed: z.boolean(), version: z.number().int().nullable(), issuer: z.number().int().nullable(), ttl: z.number().int().nullable() }),
});
export type DevicesTestScan = z.infer<typeof devicesTestScan>;

export const contract = {
  'kiosk:admit': {
    request: z
      .object({
        data: z.string().max(MAX_SCAN_CHARS),
        source: rendererScanSource,
        /** Wedge scans: typing speed measured from the key times (for the setup screen). */
        charsPerSecond: z.number().min(0).max(1_000_000).optional(),
        /** Decode time and retries as the source measured them (per-scan timing in the console). */
        timing: scanTiming.optional(),
      })
      .strict(),
    response: admitAnswer,
  },
  'kiosk:status': { request: none, response: kioskStatus },
  'settings:get': { request: none, response: settings },
  'settings:update': { request: settingsPatch, response: settings },
  /** Operator: a recorded clip for one answer, chosen in main's file dialog (no path crosses from the page; the
   * development host's stand-in takes the newest file in its --voice-clip-dir). Checked, copied, then named in settings. */
  'voice:replaceClip': {
    request: z.object({ clip: voiceClipName }).strict(),
    response: z.object({
      /** The operator closed the dialog without choosing: nothing changed. */
      cancelled: z.boolean(),
      settings,
      clip: z.object({ format: z.enum(['wav', 'mp3', 'ogg']), codec: z.string(), durationMs: z.number(), bytes: z.number().int() }).nullable(),
    }),
  },
  /** Operator: back to the built-in clip. */
  'voice:resetClip': { request: z.object({ clip: voiceClipName }).strict(), response: settings },
  /** Operator lock (src/core/operator): never carries the PIN back; settings:update needs an open session. */
  'operator:status': { request: none, response: operatorStatus },
  /** A right PIN opens a 5-minute session; wrong ones give OPERATOR_PIN_WRONG, then OPERATOR_LOCKED_OUT. */
  'operator:unlock': { request: z.object({ pin: z.string().max(64) }).strict(), response: z.object({ unlockedUntil: epochMs }) },
  'operator:lock': { request: none, response: operatorStatus },
  /** The first PIN (no session needed while none is set), or a change that must give the current PIN. */
  'operator:setPin': {
    request: z.object({ pin: z.string().max(64), currentPin: z.string().max(64).optional() }).strict(),
    response: operatorStatus,
  },
  /** 공동인증서로 잠금 해제 (src/core/operator/certificate.ts): a 시스템관리자, or a 시설관리자 of the bound
   * institution, opens the same session as a PIN; refusals count in the PIN's limiter. The password crosses once. */
  'operator:unlockWithCertificate': {
    request: z.object({ loginId, certificateRef, password: certificatePassword }).strict(),
    response: z.object({ unlockedUntil: epochMs, role: z.enum(['system_admin', 'facility_manager']) }),
  },
  /** Bind the kiosk to the institution that runs it (null: unbind); needs the current PIN, like a PIN change. */
  'operator:bindInstitution': {
    request: z.object({ institutionId: institutionId.nullable(), currentPin: z.string().max(64) }).strict(),
    response: operatorStatus,
  },
  /** Operator: enroll this kiosk with the central API (one-time code, pinned authority root key). */
  'kiosk:enroll': {
    request: z
      .object({
        apiUrl: z.string().min(8).max(300),
        code: z.string().min(6).max(64),
        rootKeyId: z.string().min(1).max(64),
        rootPublicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
      })
      .strict(),
    response: z.object({ kioskId: z.string(), facilityId: z.string(), facilityName: z.string() }),
  },
  /** Console: entries per hour over [from, to) (at most 32 days), every hour present. */
  'console:hourly': { request: consoleRange, response: z.object({ buckets: z.array(countBucket) }) },
  /** Console: refused scans of one Seoul day by result code, and that day's entries. */
  'console:refusals': {
    request: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
    response: z.object({
      day: z.string(),
      entries: z.number().int().nonnegative(),
      byCode: z.array(z.object({ code: z.string(), count: z.number().int().nonnegative() })),
    }),
  },
  /** Console: a page of entries, newest first. Token id, time, result and source only. */
  'console:entries': {
    request: z
      .object({
        from: epochMs,
        to: epochMs,
        cursor: z.string().max(400).nullable().optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
    response: z.object({
      rows: z.array(z.object({ tokenId: z.string(), scannedAt: z.number(), result: z.string(), source: z.string() })),
      /** On the first page only (null on later ones). */
      total: z.number().int().nonnegative().nullable(),
      cursor: z.string().nullable(),
    }),
  },
  /** Console: per-scan timings over [from, to) (at most 32 days) by source, scans per hour, and a 2D imager suggestion. */
  'stats:timing': { request: consoleRange, response: timingSummary },
  /** The renderer's feedback time for one scan: answer received → result screen painted. */
  'stats:feedback': {
    request: z.object({ source: scanSource, feedbackMs: z.number().min(0).max(60_000) }).strict(),
    response: z.object({ recorded: z.boolean() }),
  },
  /** Console: counts per hour or day as CSV text for download. */
  'console:exportCsv': {
    request: z.object({ from: epochMs, to: epochMs, granularity: z.enum(['hour', 'day']) }).strict(),
    response: z.object({ csv: z.string(), filename: z.string() }),
  },
  /** Console (operator session): entries the central API refused for good, oldest first, with the refusal code; never the subject. */
  'console:quarantine': {
    request: z.object({ limit: z.number().int().min(1).max(QUARANTINE_PAGE_MAX).optional() }).strict(),
    response: z.object({ total: z.number().int().nonnegative(), rows: z.array(quarantinedEntry) }),
  },
  /** Console (operator session): put quarantined entries back in the outbox (all, or the chosen ones) and wake the sync. */
  'console:requeueQuarantined': {
    request: z.union([
      z.object({ all: z.literal(true) }).strict(),
      z.object({ entryIds: z.array(z.string().min(1).max(128)).min(1).max(QUARANTINE_PAGE_MAX) }).strict(),
    ]),
    response: z.object({ requeued: z.number().int().nonnegative(), quarantined: z.number().int().nonnegative(), pending: z.number().int().nonnegative() }),
  },
  /** Inspectors: the receipt public key, the chain head and the signed deletion receipts (no personal data). */
  'log:integrity': {
    request: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
    response: z.object({
      /** base64url Ed25519 key that signs deletion receipts; null when the key could not be loaded. */
      receiptPublicKey: z.string().nullable(),
      head: z.object({ seq: z.number().int().nonnegative(), hash: z.string() }),
      pendingReceipts: z.number().int().nonnegative(),
      /** Newest first: the exact signed body (JSON text) and its base64url signature. */
      receipts: z.array(z.object({ id: z.number().int(), createdAt: z.number(), body: z.string(), signature: z.string(), sentAt: z.number().nullable() })),
    }),
  },
  /** 자가점검: run the opening self-test now; camera is what the renderer found when it tried the camera,
   * speaker whether it could play the test sound. */
  'selftest:run': {
    request: z
      .object({
        camera: z.enum(['ok', 'denied', 'missing', 'disabled']).nullable().optional(),
        speaker: z.enum(['played', 'failed']).nullable().optional(),
      })
      .strict(),
    response: selftestRun,
  },
  /** 자가점검 screen: open (operator) or close the window in which a scanned specimen card is answered
   * 점검용 QR 확인됨 instead of SPECIMEN_TOKEN; what was seen; optionally a fresh printable card. */
  'selftest:specimen': {
    request: z.object({ open: z.boolean(), card: z.boolean().optional() }).strict(),
    response: z.object({
      openUntil: epochMs.nullable(),
      seen: z.object({ source: z.string(), scannedAt: z.number(), result: z.string(), expected: z.boolean() }).nullable(),
      card: z.object({ token: z.string(), qrSvg: z.string() }).nullable(),
    }),
  },
  /** Operator: leave the locked full-screen kiosk mode (servicing the PC); it comes back when the session ends. */
  'kiosk:leave': { request: none, response: z.object({ left: z.boolean() }) },
  /** The newest self-test run (daily at the first start of a Seoul day, or on demand), null before the first. */
  'selftest:last': { request: none, response: selftestRun.nullable() },
  /** 인증서 선택: the certificates in the standard NPKI folders (or the configured roots). */
  'accounts:certificates': { request: none, response: z.object({ certificates: z.array(certificateRow) }) },
  /** 인증서 등록: the password opens this certificate's key (checked in main; nothing is sent). */
  'accounts:checkCertificate': {
    request: z.object({ certificateRef, password: certificatePassword }).strict(),
    response: z.object({ holderName: z.string(), subjectCN: z.string(), spkiSha256: z.string(), notAfter: z.string() }),
  },
  /** 인증서 찾기: a signCert.der (or its folder) the person points at. */
  'accounts:findCertificate': { request: z.object({ path: z.string().min(1).max(4096) }).strict(), response: certificateRow },
  /** 개인정보 수집 동의: the versioned text shown in step 1 (src/shared/accounts.ts). */
  'accounts:consent': { request: none, response: consentResponse },
  /** 기관명 search in the institution directory of the central API. */
  'accounts:institutions': {
    request: z.object({ q: z.string().max(50).optional(), kind: institutionKind.optional() }).strict(),
    response: institutionList,
  },
  /** 가입신청: signed in main with the chosen certificate over a fresh server nonce. */
  'accounts:signup': {
    request: z
      .object({ consent: consentAgreement, user: signupUser, roles: requestedRoles, approverId: institutionId, certificateRef, password: certificatePassword })
      .strict(),
    response: signupResponse,
  },
  /** 공동인증서 로그인. The token stays in main; the renderer gets user, roles and menus. */
  'accounts:login': {
    request: z.object({ loginId, certificateRef, password: certificatePassword }).strict(),
    response: sessionView,
  },
  /** The current session refreshed from the server (new roles appear), or null when signed out. */
  'accounts:me': { request: none, response: sessionView.nullable() },
  /** 권한/부가정보: every role as 신청가능 / 신청중 / 보유, and the request history. */
  'accounts:myRoles': { request: none, response: myRolesResponse },
  /** 권한 추가 신청, signed with the certificate like sign-up. */
  'accounts:requestRole': {
    request: z.object({ roles: requestedRoles, approverId: institutionId.optional(), certificateRef, password: certificatePassword }).strict(),
    response: roleRequestCreated,
  },
  'accounts:cancelRequest': { request: z.object({ requestId: uuid }).strict(), response: decisionResponse },
  /** 보건소 승인자: pending requests of their 보건소. */
  'accounts:pendingApprovals': { request: none, response: approvalList },
  'accounts:decide': {
    request: z.object({ requestId: uuid, approve: z.boolean(), comment: z.string().trim().max(500) }).strict(),
    response: decisionResponse,
  },
  'accounts:logout': { request: none, response: z.object({ signedOut: z.literal(true) }) },
  /** 인증서 갱신 등록: the registered (old) and the renewed certificate both sign in main; then the new one logs in. */
  'accounts:rebind': {
    request: z.object({ loginId, oldCertificateRef: certificateRef, oldPassword: certificatePassword, newCertificateRef: certificateRef, newPassword: certificatePassword }).strict(),
    response: sessionView,
  },
  /** 보건소 승인자: people of their 보건소 by 아이디 or 이름 (for a re-bind when the old key is lost). */
  'accounts:findUsers': { request: z.object({ q: z.string().trim().min(2).max(50) }).strict(), response: approverUserList },
  /** 보건소 승인자: bind the person's renewed certificate (public part only, from a listed or found certificate). */
  'accounts:approverRebind': {
    request: z.object({ userId: uuid, certificateRef, comment: z.string().trim().min(1).max(500) }).strict(),
    response: rebindResponse,
  },
  /** 시스템관리자: the institution directory, deactivated ones included on request. */
  'accounts:adminInstitutions': {
    request: z.object({ q: z.string().max(50).optional(), kind: institutionKind.optional(), includeInactive: z.boolean().optional() }).strict(),
    response: adminInstitutionList,
  },
  'accounts:createInstitution': { request: institutionCreate, response: adminInstitution },
  'accounts:updateInstitution': { request: z.object({ id: institutionId, change: institutionUpdate }).strict(), response: adminInstitution },
  'accounts:setInstitutionActive': {
    request: z.object({ id: institutionId, active: z.boolean(), reason: z.string().trim().min(1).max(500) }).strict(),
    response: adminInstitution,
  },
  /** 홈페이지 보안점검 (의료기관 보안담당자): my institution's registered homepages. */
  'sitescan:list': { request: none, response: siteList },
  /** 신청: the form (checked in main with the same rules) → 신청, code mailed. */
  'sitescan:register': { request: siteRegistration, response: registered },
  'sitescan:verify': { request: z.object({ siteId, code: emailCode }).strict(), response: verified },
  'sitescan:resendCode': { request: z.object({ siteId }).strict(), response: codeSent },
  /** A site's report: status, follow-up, scan history with findings, notices. */
  'sitescan:report': { request: z.object({ siteId }).strict(), response: siteReport },
  /** One visit: pages, redirects, requests and the screenshot (base64 PNG) when kept. */
  'sitescan:visit': { request: z.object({ siteId, resultId: scanResultId }).strict(), response: visitView },
  /** 조치 완료: 조치완료(재점검) and an immediate re-scan. */
  'sitescan:remediated': { request: z.object({ siteId }).strict(), response: remediated },
  /** 장치 설정: every input source with live status. */
  'devices:status': { request: none, response: devicesStatus },
  /** Operator: test mode on/off. While on, scans are shown as devices:testScan and never admitted; it ends by itself. */
  'devices:testMode': { request: z.object({ on: z.boolean() }).strict(), response: devicesStatus },
  /** Demo setups only: 64-byte HID POS reports (hex) delivered by the simulated scanner, as a real one would send them. */
  'demo:hidReports': {
    request: z.object({ reports: z.array(z.string().regex(/^(?:[0-9a-fA-F]{2}){1,128}$/)).min(1).max(200) }).strict(),
    response: z.object({ delivered: z.number().int().nonnegative() }),
  },
  /** Demo setups only: mint a fresh token from the demo issuer so a person can try the kiosk. */
  'demo:mintToken': {
    request: z.object({ issuer: z.number().int().min(1).max(255).optional() }).strict(),
    response: demoToken,
  },
} as const;

/** Pushed from main to the renderer (e.g. a HID scan admitted in main). */
export const events = {
  'kiosk:admitted': admitAnswer,
  /** A scan started in main (HID POS) refused before any verdict (SPECIMEN_TOKEN, KIOSK_NOT_READY…): the
   * renderer shows and says it exactly as it does the same refusal of a wedge scan's kiosk:admit. */
  'kiosk:refused': z.object({
    source: scanSource,
    code: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
    message: z.string().max(500),
    scannedAt: z.number(),
  }),
  'kiosk:status': kioskStatus,
  /** A device appeared, went away, failed, or a source or test mode was switched. */
  'devices:changed': devicesStatus,
  'devices:testScan': devicesTestScan,
  /** The staff session changed in main (refreshed, new roles, signed out by expiry or revocation): menus follow without a reload. */
  'accounts:session': z.object({
    session: sessionView.nullable(),
    reason: z.enum(['signed-in', 'refreshed', 'roles-changed', 'signed-out', 'expired', 'revoked', 'disabled']),
    message: z.string().nullable(),
  }),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type Request<C extends Channel> = z.input<Contract[C]['request']>;
export type Response<C extends Channel> = z.output<Contract[C]['response']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const channels = Object.keys(contract) as Channel[];
export const eventNames = Object.keys(events) as EventName[];

export const isChannel = (name: unknown): name is Channel =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
