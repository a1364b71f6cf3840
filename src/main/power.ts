// Runs in the Electron main process. Keeps the display awake while the app is a locked kiosk, so
// the screen never blanks in front of a visitor; a windowed desk PC keeps its own power settings.
import type { Logger } from '../core/log';

/** The part of Electron's powerSaveBlocker used here, so tests can pass a fake. */
export interface PowerSaveBlockerLike {
  start(type: 'prevent-app-suspension' | 'prevent-display-sleep'): number;
  stop(id: number): void;
  isStarted(id: number): boolean;
}

/** Returns the function that releases the block (a no-op when nothing was blocked). */
export function keepDisplayAwake(blocker: PowerSaveBlockerLike, kiosk: boolean, logger: Logger): () => void {
  if (!kiosk) return () => {};
  const id = blocker.start('prevent-display-sleep');
  logger.info('display sleep blocked', { active: blocker.isStarted(id) });
  return () => {
    if (blocker.isStarted(id)) blocker.stop(id);
  };
}
