/// <reference lib="dom" />
// Voice and result feedback end to end in Chromium against the real core (demo development host):
// 1. 안내 음성 파일: the operator replaces the 인증 완료 clip with a recording (espeak-ng, made here);
//    the file chooser is the host's stand-in (the newest file in --voice-clip-dir: the page names no
//    path), the decoded clip's URL and length change, it is served from the kiosk's data folder, a
//    too-long file and a non-audio file are refused with their codes and the recording stays, it
//    survives a reload, and 「기본 음성으로 되돌리기」 brings the built-in clip back.
// 2. A specimen card scanned on the simulated HID POS scanner outside the self-test shows the same
//    SPECIMEN_TOKEN result screen and clip as the same card from the keyboard-wedge scanner.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { scanToReports, toHex } from '../../src/core/scanner/simulate';
import type { RunningDevhost } from './support/devhost';
import { spawnDevhost } from './support/devhost';
import { callHost } from './support/fakeCamera';
import { scannerType } from './support/scanner';

const TOOLS = ['/usr/bin/sox', '/usr/bin/espeak-ng', '/usr/bin/soxi'];
let host: RunningDevhost | null = null;
const dirs: string[] = [];

test.afterEach(async () => {
  await host?.stop();
  host = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function startHost() {
  const dataDir = mkdtempSync(join(tmpdir(), 'munjigi-e2e-feedback-'));
  const clipDir = mkdtempSync(join(tmpdir(), 'munjigi-e2e-clips-'));
  dirs.push(dataDir, clipDir);
  host = await spawnDevhost(['--data', dataDir, '--port', '0', '--demo', '--voice-clip-dir', clipDir]);
  return { url: host.url, dataDir, clipDir };
}

/** Lets a second pass of the file-time clock go by, so the next file written is the newest by mtime. */
const newest = async (path: string, write: () => void) => {
  await new Promise((r) => setTimeout(r, 20));
  write();
  expect(existsSync(path)).toBe(true);
};

test('안내 음성 파일: replace the 인증 완료 clip with a recording, refusals keep it, reset brings the built-in clip back', async ({ page }) => {
  test.skip(TOOLS.some((t) => !existsSync(t)), 'sox and espeak-ng are needed to make the recording (Debian: sox espeak-ng)');
  test.setTimeout(90_000);
  const { url, dataDir, clipDir } = await startHost();
  const recording = join(clipDir, '입장 안내.wav');
  execFileSync('espeak-ng', ['-v', 'ko', '-s', '120', '-w', recording, '어서 오세요. 인증되었습니다.'], { timeout: 30_000 });
  const recordedSeconds = Number(execFileSync('soxi', ['-D', recording]).toString().trim());

  await page.goto(url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  await page.getByTestId('open-settings').click();
  const row = page.getByTestId('clip-ok');
  await expect(row).toHaveAttribute('data-clip-kind', 'builtin');
  await expect(row).toHaveAttribute('data-clip-src', /ok.*\.wav$/);
  const builtInSrc = (await row.getAttribute('data-clip-src'))!;
  const builtInDuration = Number(await row.getAttribute('data-clip-duration'));
  expect(builtInDuration).toBeGreaterThan(0.5);
  await expect(page.getByTestId('clip-ok-reset')).toBeDisabled();

  // Replace: the host's chooser takes the newest file in its folder; main checks and copies it.
  await page.getByTestId('clip-ok-replace').click();
  await expect(page.getByTestId('clip-done')).toContainText('바꿨습니다: PCM 16-bit');
  await expect(row).toHaveAttribute('data-clip-kind', 'recorded');
  await expect(row).toHaveAttribute('data-clip-src', /^\/voice-clips\/ok-[0-9a-f]{32}\.wav$/);
  const recordedSrc = (await row.getAttribute('data-clip-src'))!;
  // The decoded clip is the recording (Chromium's own decode, not our header parse).
  expect(Math.abs(Number(await row.getAttribute('data-clip-duration')) - recordedSeconds)).toBeLessThan(0.05);
  await expect(page.getByTestId('clip-ok-state')).toContainText('녹음 파일');
  // Served from the data folder under its generated name, with the renderer's CSP; the user's file name is nowhere.
  const served = await page.evaluate(async (src) => {
    const res = await fetch(src);
    return { status: res.status, type: res.headers.get('content-type'), csp: res.headers.get('content-security-policy'), bytes: (await res.arrayBuffer()).byteLength };
  }, recordedSrc);
  expect(served).toMatchObject({ status: 200, type: 'audio/wav' });
  expect(served.csp).toContain("default-src 'self'");
  expect(served.bytes).toBeGreaterThan(1000);
  expect(host!.log()).not.toContain('입장 안내');
  expect(existsSync(join(dataDir, 'voice', recordedSrc.split('/').pop()!))).toBe(true);
  // A file that is not in use is not served.
  expect(await page.evaluate(async () => (await fetch(`/voice-clips/ok-${'0'.repeat(32)}.wav`)).status)).toBe(404);

  // 들어보기 plays the clip now in use through the kiosk's voice.
  await page.getByTestId('clip-ok-listen').click();
  await expect(page.getByTestId('voice-clips')).toHaveAttribute('data-last-played', 'ok:webaudio');

  // Too long, then not audio at all: refused with the code, the recording stays.
  await newest(join(clipDir, 'long.wav'), () =>
    execFileSync('sox', ['-n', '-r', '16000', '-b', '16', '-c', '1', join(clipDir, 'long.wav'), 'synth', '6', 'sine', '440'], { timeout: 30_000 }),
  );
  await page.getByTestId('clip-ok-replace').click();
  await expect(page.getByTestId('clip-error')).toContainText('VOICE_CLIP_TOO_LONG');
  await expect(page.getByTestId('clip-error')).toContainText('기존 음성은 그대로입니다');
  await expect(row).toHaveAttribute('data-clip-src', recordedSrc);
  await newest(join(clipDir, 'notes.wav'), () => writeFileSync(join(clipDir, 'notes.wav'), '녹음이 아닌 메모'));
  await page.getByTestId('clip-ok-replace').click();
  await expect(page.getByTestId('clip-error')).toContainText('VOICE_CLIP_FORMAT');
  await expect(row).toHaveAttribute('data-clip-src', recordedSrc);

  // The choice is kept in settings: a reload decodes the recording again.
  await page.reload();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('clip-ok')).toHaveAttribute('data-clip-src', recordedSrc);
  await expect(page.getByTestId('clip-ok')).toHaveAttribute('data-clip-kind', 'recorded');

  // Reset: the built-in clip again, the copy removed and no longer served.
  await page.getByTestId('clip-ok-reset').click();
  await expect(page.getByTestId('clip-done')).toContainText('기본 음성으로 되돌렸습니다');
  await expect(page.getByTestId('clip-ok')).toHaveAttribute('data-clip-kind', 'builtin');
  await expect(page.getByTestId('clip-ok')).toHaveAttribute('data-clip-src', builtInSrc);
  expect(Number(await page.getByTestId('clip-ok').getAttribute('data-clip-duration'))).toBeCloseTo(builtInDuration, 3);
  expect(await page.evaluate(async (src) => (await fetch(src)).status, recordedSrc)).toBe(404);
  expect(existsSync(join(dataDir, 'voice', recordedSrc.split('/').pop()!))).toBe(false);
});

test('a specimen card on the HID POS scanner outside the self-test: the same refusal screen and clip as from the wedge', async ({ page }) => {
  test.setTimeout(60_000);
  const { url } = await startHost();
  await page.goto(url);
  await expect(page.getByTestId('kiosk')).toHaveAttribute('data-screen', 'idle');
  const opened = await callHost<{ card: { token: string } }>(url, 'selftest:specimen', { open: true, card: true });
  if (!opened.ok) throw new Error(opened.error.code);
  const card = opened.value.card.token;
  expect((await callHost(url, 'selftest:specimen', { open: false })).ok).toBe(true);

  // HID: the simulated scanner's reports, once it is open.
  const reports = scanToReports(card).map(toHex);
  await expect
    .poll(async () => {
      const env = await callHost<{ delivered: number }>(url, 'demo:hidReports', { reports });
      return env.ok ? env.value.delivered : 0;
    })
    .toBeGreaterThan(0);
  const kiosk = page.getByTestId('kiosk');
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'SPECIMEN_TOKEN');
  await expect(page.getByTestId('result')).toContainText('점검용');
  await expect(kiosk).toHaveAttribute('data-last-clip', 'refused');
  const hidText = await page.getByTestId('result').innerText();
  const hidClips = Number(await kiosk.getAttribute('data-clip-count'));

  // The same card from the wedge, after the result screen went back to idle (2 s repeat gate passed).
  await expect(kiosk).toHaveAttribute('data-screen', 'idle', { timeout: 15_000 });
  await scannerType(page, card);
  await expect(page.getByTestId('result')).toHaveAttribute('data-code', 'SPECIMEN_TOKEN');
  await expect(kiosk).toHaveAttribute('data-last-clip', 'refused');
  await expect(kiosk).toHaveAttribute('data-clip-count', String(hidClips + 1));
  expect(await page.getByTestId('result').innerText()).toBe(hidText);
});
