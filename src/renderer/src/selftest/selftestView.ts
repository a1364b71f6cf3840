// Runs in the renderer. The self-test screen's pure parts: each result as icon + word + label +
// what was found + what to fix in the screen's language (colour is never the only signal), the
// camera probe (getUserMedia on the configured camera → ok / denied / missing / disabled), and
// the test sound through the voice path.
import type { Response, Settings } from '../../../shared/contract';
import type { Lang } from '../i18n/text';
import { op } from '../i18n/text';

export type SelftestRunView = Response<'selftest:run'>;
export type CheckStatus = SelftestRunView['results'][number]['status'];

export interface ChecklistItem {
  id: string;
  status: CheckStatus;
  icon: string;
  word: string;
  label: string;
  detail: string;
  fix: string | null;
}

const ICON: Record<CheckStatus, string> = { ok: '✔', warn: '▲', fail: '✖' };
const WORD = { ok: 'statusOk', warn: 'statusWarn', fail: 'statusFail' } as const;

export function checklistOf(run: SelftestRunView, lang: Lang): ChecklistItem[] {
  return run.results.map((r) => {
    const en = lang === 'en' && r.en;
    return {
      id: r.id,
      status: r.status,
      icon: ICON[r.status],
      word: op(WORD[r.status], lang),
      label: lang === 'en' && r.labelEn ? r.labelEn : r.label,
      detail: en ? r.en!.detail : r.detail,
      fix: en ? r.en!.fix : r.fix,
    };
  });
}

/** The run's one-line summary. */
export function summaryOf(run: SelftestRunView, lang: Lang): string {
  const failed = run.results.filter((r) => r.status === 'fail').length;
  const warned = run.results.filter((r) => r.status === 'warn').length;
  if (failed > 0) return op('selftestFailed', lang, { n: failed });
  if (warned > 0) return op('selftestWarned', lang, { n: warned });
  return op('selftestAllOk', lang);
}

export type CameraReport = 'ok' | 'denied' | 'missing' | 'disabled';

export interface MediaDevicesLike {
  getUserMedia(constraints: { video: boolean | { deviceId: { exact: string } }; audio: false }): Promise<{ getTracks(): Array<{ stop(): void }> }>;
}

/** Opens the configured camera once and closes it again; the settings say whether there is one to try. */
export async function probeCamera(media: MediaDevicesLike | null | undefined, settings: Pick<Settings, 'sources' | 'camera'> | null): Promise<CameraReport> {
  if (!settings?.sources.camera) return 'disabled';
  if (!media) return 'missing';
  try {
    const stream = await media.getUserMedia({ video: settings.camera.deviceId ? { deviceId: { exact: settings.camera.deviceId } } : true, audio: false });
    for (const track of stream.getTracks()) track.stop();
    return 'ok';
  } catch (err) {
    const name = (err as { name?: unknown } | null)?.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
    return 'missing'; // NotFoundError, OverconstrainedError, NotReadableError: no usable camera
  }
}

/** Plays the test sound through the same voice path as every answer; 'failed' when nothing could play. */
export function playTestSound(
  voice: { play(clip: 'ok', fallbackText: string, s: Settings['voice']): { via: string } } | null,
  settings: Pick<Settings, 'voice'> | null,
): 'played' | 'failed' | null {
  if (!voice || !settings) return null;
  if (settings.voice.muted) return null; // the check reports mute itself
  return voice.play('ok', '시험음입니다', settings.voice).via === 'none' ? 'failed' : 'played';
}
