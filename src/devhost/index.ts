// Runs in Node. `node out/node/devhost.js [--data DIR] [--port P] [--demo]`: the kiosk in a
// browser, for development (`npm run dev:web`) and for the Chromium tests. Loopback only.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createKioskApp } from '../core/app/kiosk';
import { createLogger } from '../core/log';
import { projectRoot } from '../core/paths';
import { nodeHidAdapter } from '../core/scanner';
import { startDevHost } from './host';
import { newestFileIn } from './clipChooser';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    port: { type: 'string', default: '5780' },
    demo: { type: 'boolean', default: false },
    hid: { type: 'boolean', default: false },
    renderer: { type: 'string' },
    /** The central API for sign-up and login (accounts). */
    'accounts-api': { type: 'string' },
    /** Look for 공동인증서 only under this NPKI folder instead of the standard ones. */
    'npki-root': { type: 'string' },
    /** Longest time between staff-session refreshes in ms (default 5 minutes; the e2e test shortens it). */
    'accounts-refresh-ms': { type: 'string' },
    /** The file dialog's stand-in for voice:replaceClip: the newest file in this folder (e2e tests). */
    'voice-clip-dir': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`포트 번호가 올바르지 않습니다: ${values.port} (code: BAD_OPTION)\n`);
  process.exit(2);
}
const refreshMs = values['accounts-refresh-ms'] === undefined ? undefined : Number(values['accounts-refresh-ms']);
if (refreshMs !== undefined && (!Number.isInteger(refreshMs) || refreshMs < 500 || refreshMs > 3_600_000)) {
  process.stderr.write(`--accounts-refresh-ms 는 500~3600000 사이의 정수여야 합니다: ${values['accounts-refresh-ms']} (code: BAD_OPTION)\n`);
  process.exit(2);
}
const dataDir = resolve(values.data ?? join(projectRoot(), '.munjigi-data', 'devhost'));
mkdirSync(dataDir, { recursive: true });
const logger = createLogger({ base: { proc: 'devhost' } });
// --hid reads HID POS scanners through node-hid, as the Electron app does.
const kiosk = createKioskApp({
  dataDir,
  logger,
  demo: values.demo,
  hid: values.hid ? nodeHidAdapter() : undefined,
  // A demo without --hid gets one simulated HID POS scanner for the 장치 설정 screen (demo:hidReports feeds it).
  simulatedHid: values.demo && !values.hid,
  accountsApiUrl: values['accounts-api'],
  npkiRoots: values['npki-root'] ? [{ path: resolve(values['npki-root']), location: 'hdd' }] : undefined,
  accountsRefreshEveryMs: refreshMs,
  chooseVoiceClip: values['voice-clip-dir'] ? newestFileIn(resolve(values['voice-clip-dir'])) : undefined,
});
const host = await startDevHost({
  app: kiosk,
  rendererDir: values.renderer ?? join(projectRoot(), 'out', 'renderer'),
  port,
  logger,
});
// The first stdout line is the address: tests and scripts read it.
process.stdout.write(`${host.url}\n`);
logger.info('devhost ready', { url: host.url, dataDir, demo: values.demo });

const stop = async () => {
  await host.close();
  await kiosk.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
