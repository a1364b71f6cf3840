// Runs in the Electron main process (no Electron import: the dialog enters as an interface, so
// this runs under plain Node in tests). The native open dialog for 「녹음 파일로 바꾸기」: one
// existing file, audio types only; the path goes straight to the core's clip check and is never
// sent to the page or stored.

/** The part of Electron's OpenDialogOptions this wrapper sets. */
export interface ClipDialogOptions {
  title: string;
  buttonLabel: string;
  properties: Array<'openFile'>;
  filters: Array<{ name: string; extensions: string[] }>;
}

/** The part of Electron's `dialog` used here. */
export interface OpenDialogLike<W> {
  showOpenDialog(window: W, options: ClipDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
  showOpenDialog(options: ClipDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
}

export const CLIP_DIALOG_OPTIONS: ClipDialogOptions = {
  title: '안내 음성 파일 고르기 (5초 이내, 2 MB 이하)',
  buttonLabel: '이 파일 사용',
  properties: ['openFile'],
  filters: [{ name: '음성 파일 (WAV, MP3, OGG)', extensions: ['wav', 'mp3', 'ogg', 'opus'] }],
};

/** Asks for one file, modal to `window` when there is one; null when the operator cancels. */
export async function chooseVoiceClipFile<W>(dialog: OpenDialogLike<W>, window: W | null): Promise<string | null> {
  const options: ClipDialogOptions = { ...CLIP_DIALOG_OPTIONS, properties: [...CLIP_DIALOG_OPTIONS.properties], filters: CLIP_DIALOG_OPTIONS.filters.map((f) => ({ ...f, extensions: [...f.extensions] })) };
  const answer = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  if (answer.canceled) return null;
  const path = answer.filePaths[0];
  return typeof path === 'string' && path.length > 0 ? path : null;
}
