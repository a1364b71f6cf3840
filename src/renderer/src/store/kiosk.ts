// Runs in the renderer. The kiosk's state (zustand, vanilla so it runs under Node in tests):
// what screen is up, the last answer, status lights, settings and what the voice played. The
// screen follows main's answers; it never decides admission itself.
import { createStore } from 'zustand/vanilla';
import type { MunjigiBridge } from '../../../shared/bridge';
import type { AdmitAnswer, Channel, DemoToken, EventPayload, KioskStatus, Request, Response, Settings, SettingsPatch } from '../../../shared/contract';
import type { AppError, Envelope } from '../../../shared/envelope';
import { fail } from '../../../shared/envelope';
import type { ConnectionState } from '../ipc/wsBridge';
import type { ClipName, ResultText } from '../feedback/resultText';
import { clipFor } from '../feedback/resultText';
import type { Lang } from '../i18n/text';
import { errorTextIn, resultTextIn } from '../i18n/text';
import type { PlayOutcome, VoiceSettings } from '../feedback/voice';

export type Screen = 'idle' | 'result' | 'fault' | 'settings' | 'console';

export interface ShownResult {
  /** Increases with every result shown, so timers and paint marks know which one they belong to. */
  seq: number;
  /** A KP1 result code, or the error code when no verdict came back. */
  code: string;
  text: ResultText;
  answer: AdmitAnswer | null;
  /** performance.now() when the answer arrived: the start of its feedback time. */
  answeredAt?: number;
}

export interface KioskState {
  connection: ConnectionState;
  status: KioskStatus | null;
  settings: Settings | null;
  result: ShownResult | null;
  settingsOpen: boolean;
  lastClip: ClipName | null;
  clipCount: number;
  lastVoiceVia: PlayOutcome['via'] | null;
  todayCount: number | null;
  demoToken: DemoToken | null;
  demoError: AppError | null;
  /** A visitor's choice on the idle screen, for the next scan only; null = the settings' language. */
  visitorLanguage: Lang | null;
  consoleOpen: boolean;
}

export interface KioskDeps {
  bridge: MunjigiBridge;
  voice: { play(clip: ClipName, fallbackText: string, s: VoiceSettings): PlayOutcome };
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Monotonic ms for feedback times; performance.now by default. */
  now?: () => number;
}

export const DEFAULT_RESULT_SCREEN_MS = 4000;
const SEEN_LIMIT = 32;
/** kiosk:admit refusals that are not a visitor's result (src/core/scanner/inputSources.ts). */
const SILENT_REFUSALS: ReadonlySet<string> = new Set(['SCAN_TEST_MODE', 'SCAN_SOURCE_OFF']);

/** Which screen is up: a fault or a lost link stops everything; then settings; then a result. */
export function screenOf(s: Pick<KioskState, 'connection' | 'status' | 'result' | 'settingsOpen'> & { consoleOpen?: boolean }): Screen {
  if (s.status?.fault || s.connection === 'closed') return 'fault';
  if (s.consoleOpen) return 'console';
  if (s.settingsOpen) return 'settings';
  if (s.result) return 'result';
  return 'idle';
}

/** The language the screens use now: the visitor's choice, else the kiosk's default. */
export const languageOf = (s: Pick<KioskState, 'visitorLanguage' | 'settings'>): Lang => s.visitorLanguage ?? s.settings?.language ?? 'ko';

/** The same admit can reach us twice (our call's answer and main's push): show it once. */
const answerKey = (a: AdmitAnswer) => `${a.source}|${a.scannedAt}|${a.code}|${a.tokenId ?? ''}|${a.entryId ?? ''}`;

export function createKioskStore(deps: KioskDeps) {
  const store = createStore<KioskState>(() => ({
    connection: 'connecting',
    status: null,
    settings: null,
    result: null,
    settingsOpen: false,
    lastClip: null,
    clipCount: 0,
    lastVoiceVia: null,
    todayCount: null,
    demoToken: null,
    demoError: null,
    visitorLanguage: null,
    consoleOpen: false,
  }));
  let seq = 0;
  let reportedSeq = 0;
  const now = deps.now ?? (() => performance.now());
  let idleTimer: unknown = null;
  const seen: string[] = [];

  /** A transport that throws (instead of answering with an envelope) must not leave a scan unanswered. */
  const call = async <C extends Channel>(channel: C, request: Request<C>): Promise<Envelope<Response<C>>> => {
    try {
      return await deps.bridge.invoke(channel, request);
    } catch {
      return fail('IPC_FAILED', '관리 프로그램에 요청하지 못했습니다.');
    }
  };

  const voiceSettings = (): VoiceSettings => store.getState().settings?.voice ?? { volume: 1, muted: false };

  const show = (code: string, text: ResultText, answer: AdmitAnswer | null) => {
    const answeredAt = now();
    // Sound first: it must start within 50 ms of the answer, before React renders anything.
    const outcome = deps.voice.play(clipFor(text.tone), text.speech, voiceSettings());
    const current = ++seq;
    store.setState((s) => ({
      result: { seq: current, code, text, answer, answeredAt },
      lastClip: outcome.via === 'none' ? s.lastClip : outcome.clip,
      clipCount: outcome.via === 'none' ? s.clipCount : s.clipCount + 1,
      lastVoiceVia: outcome.via,
      todayCount: answer ? answer.todayCount : s.todayCount,
    }));
    if (idleTimer !== null) deps.clearTimeout(idleTimer);
    idleTimer = deps.setTimeout(() => {
      idleTimer = null;
      // Back to idle, and to the kiosk's default language for the next visitor.
      if (store.getState().result?.seq === current) store.setState({ result: null, visitorLanguage: null });
    }, store.getState().settings?.resultScreenMs ?? DEFAULT_RESULT_SCREEN_MS);
  };

  const showAnswer = (answer: AdmitAnswer) => {
    // A repeat (the same QR read again within 2 s, by any source) was already answered: while
    // that answer is on screen, do not show or say it again.
    if (answer.repeat && store.getState().result) return;
    // A 점검용 specimen is never a visitor's answer: the 자가점검 screen shows it (selftest:specimen).
    if (answer.specimen) return;
    const key = answerKey(answer);
    if (seen.includes(key)) return;
    seen.push(key);
    if (seen.length > SEEN_LIMIT) seen.shift();
    show(answer.code, resultTextIn(answer.code, languageOf(store.getState())), answer);
  };

  const refreshStatus = async () => {
    const env = await call('kiosk:status', {});
    if (env.ok) store.setState({ status: env.value, todayCount: env.value.todayCount });
  };

  const loadSettings = async () => {
    const env = await call('settings:get', {});
    if (env.ok) store.setState({ settings: env.value });
    return env;
  };

  return {
    store,
    getState: store.getState,
    subscribe: store.subscribe,
    screen: () => screenOf(store.getState()),
    /** A contract call for screens with their own data (the console); never throws. */
    ask: call,

    /** A scan read in this window (wedge or camera): ask main, then show and say its answer. */
    /** timing: what the source measured (decode ms, camera retries), for the console's per-scan timing. */
    async admit(
      data: string,
      source: 'wedge' | 'camera' | 'demo',
      timing?: Request<'kiosk:admit'>['timing'],
      charsPerSecond?: number | null,
    ): Promise<Envelope<AdmitAnswer>> {
      const request: Request<'kiosk:admit'> = { data, source };
      if (timing) request.timing = timing;
      if (typeof charsPerSecond === 'number') request.charsPerSecond = charsPerSecond;
      const env = await call('kiosk:admit', request);
      if (env.ok) showAnswer(env.value);
      // A scan the setup screen took (test mode) or a source turned off there: nothing to show or say.
      else if (!SILENT_REFUSALS.has(env.error.code)) show(env.error.code, errorTextIn(env.error.message, languageOf(store.getState())), null);
      return env;
    },
    /** An answer main pushed (a HID scan, or our own admit echoed). */
    admitted: showAnswer,
    /** A HID scan main refused before any verdict: shown and said like the same refusal of a wedge scan. */
    refused(refusal: EventPayload<'kiosk:refused'>) {
      if (!SILENT_REFUSALS.has(refusal.code)) show(refusal.code, errorTextIn(refusal.message, languageOf(store.getState())), null);
    },
    /** The result screen of `resultSeq` was painted at `paintedAt` (performance.now): report its feedback time once. */
    reportPaint(resultSeq: number, paintedAt: number) {
      const r = store.getState().result;
      if (!r || r.seq !== resultSeq || !r.answer || r.answeredAt === undefined || resultSeq <= reportedSeq) return;
      reportedSeq = resultSeq;
      const feedbackMs = Math.round((paintedAt - r.answeredAt) * 10) / 10;
      if (feedbackMs >= 0 && feedbackMs <= 60_000) void call('stats:feedback', { source: r.answer.source, feedbackMs });
    },
    setConnection(connection: ConnectionState) {
      store.setState({ connection });
    },
    setStatus(status: KioskStatus) {
      store.setState({ status, todayCount: status.todayCount });
    },
    refreshStatus,
    loadSettings,
    async updateSettings(patch: SettingsPatch): Promise<Envelope<Settings>> {
      const env = await call('settings:update', patch);
      if (env.ok) store.setState({ settings: env.value });
      return env;
    },
    openSettings(open: boolean) {
      store.setState({ settingsOpen: open });
    },
    dismissResult() {
      if (idleTimer !== null) deps.clearTimeout(idleTimer);
      idleTimer = null;
      store.setState({ result: null, visitorLanguage: null });
    },
    /** The visitor's language toggle on the idle screen (null: back to the default). */
    setVisitorLanguage(lang: Lang | null) {
      store.setState({ visitorLanguage: lang });
    },
    openConsole(open: boolean) {
      store.setState({ consoleOpen: open });
    },
    async mintDemoToken() {
      const env = await call('demo:mintToken', {});
      store.setState(env.ok ? { demoToken: env.value, demoError: null } : { demoToken: null, demoError: env.error });
    },
    clearDemoToken() {
      store.setState({ demoToken: null, demoError: null });
    },
  };
}

export type KioskStore = ReturnType<typeof createKioskStore>;
