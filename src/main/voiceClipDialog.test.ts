// Runs under vitest (Node). The clip dialog wrapper with a fake Electron dialog: one file, audio
// filters, modal to the window when there is one, cancel and empty answers become null.
import { describe, expect, it } from 'vitest';
import type { ClipDialogOptions, OpenDialogLike } from './voiceClipDialog';
import { chooseVoiceClipFile } from './voiceClipDialog';

function fakeDialog(answer: { canceled: boolean; filePaths: string[] }) {
  const calls: Array<{ window: unknown; options: ClipDialogOptions }> = [];
  const dialog: OpenDialogLike<{ id: number }> = {
    showOpenDialog(a: { id: number } | ClipDialogOptions, b?: ClipDialogOptions) {
      calls.push(b ? { window: a, options: b } : { window: null, options: a as ClipDialogOptions });
      return Promise.resolve(answer);
    },
  };
  return { dialog, calls };
}

describe('voice clip dialog', () => {
  it('asks for one existing audio file, modal to the kiosk window', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['/home/op/ok.wav'] });
    expect(await chooseVoiceClipFile(dialog, { id: 1 })).toBe('/home/op/ok.wav');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.window).toEqual({ id: 1 });
    expect(calls[0]?.options.properties).toEqual(['openFile']); // no multi-select, no folders
    expect(calls[0]?.options.filters).toEqual([{ name: '음성 파일 (WAV, MP3, OGG)', extensions: ['wav', 'mp3', 'ogg', 'opus'] }]);
    expect(calls[0]?.options.title).toMatch(/5초/);
  });

  it('without a window it still asks (not modal)', async () => {
    const { dialog, calls } = fakeDialog({ canceled: false, filePaths: ['C:\\녹음\\ok.mp3'] });
    expect(await chooseVoiceClipFile(dialog, null)).toBe('C:\\녹음\\ok.mp3');
    expect(calls[0]?.window).toBeNull();
  });

  it.each([
    [{ canceled: true, filePaths: ['/x.wav'] }],
    [{ canceled: false, filePaths: [] }],
    [{ canceled: false, filePaths: [''] }],
  ])('cancel or no file: null (%j)', async (answer) => {
    expect(await chooseVoiceClipFile(fakeDialog(answer).dialog, { id: 1 })).toBeNull();
  });

  it('each call gets its own options object (a dialog that changes them cannot change the next call)', async () => {
    const { dialog, calls } = fakeDialog({ canceled: true, filePaths: [] });
    await chooseVoiceClipFile(dialog, null);
    calls[0]!.options.filters[0]!.extensions.push('exe');
    await chooseVoiceClipFile(dialog, null);
    expect(calls[1]?.options.filters[0]?.extensions).toEqual(['wav', 'mp3', 'ogg', 'opus']);
  });
});
