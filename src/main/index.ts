// Runs in the Electron main process. The thin shell: one instance, the app:// scheme serving the
// built renderer with its CSP, deny-by-default permissions and navigation, the main window, and
// the IPC contract wired to the kiosk app from src/core. Every decision it applies comes from
// the pure, unit-tested functions in ./security, ./launch, ./ipc and ./assets.
import { app, BrowserWindow, dialog, ipcMain, Menu, powerSaveBlocker, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKioskApp } from '../core/app/kiosk';
import type { KioskApp } from '../core/app/kiosk';
import { createLogger } from '../core/log';
import { nodeHidAdapter, UDEV_RULE_FILE } from '../core/scanner';
import { createDispatcher } from '../shared/dispatch';
import { createAssetHandler } from './assets';
import { chooseVoiceClipFile } from './voiceClipDialog';
import { applyAutostartPlan, autostartPlan, autostartWanted } from './autostart';
import { beginRun, endRun, RUN_MARKER_FILE } from './cleanShutdown';
import type { PreviousRun } from './cleanShutdown';
import { forwardEvents, registerIpc } from './ipc';
import { launchOptions } from './launch';
import { createReloadLimiter } from './recovery';
import { deviceSecretStore } from './secrets';
import { openLogFile } from './logFile';
import { keepDisplayAwake } from './power';
import { createKioskMode } from './kioskMode';
import { createWatchdog, HEARTBEAT_INTERVAL_MS } from './watchdog';
import {
  APP_ORIGIN,
  APP_SCHEME,
  insecureWebPreferences,
  isTrustedSender,
  mainWindowOptions,
  navigationDecision,
  originOf,
  permissionCheckDecision,
  permissionDecision,
  safeExternalUrl,
  windowOpenDecision,
} from './security';

const here = fileURLToPath(new URL('.', import.meta.url)); // out/main/
const preloadPath = join(here, '../preload/index.cjs');
const rendererDir = join(here, '../renderer');

const launch = launchOptions(process.argv, process.env, app.isPackaged);
const rendererOrigin = launch.devRendererUrl ? (originOf(launch.devRendererUrl) as string) : APP_ORIGIN;
const startUrl = launch.devRendererUrl ?? `${APP_ORIGIN}/index.html`;

// Before `ready`: app:// behaves like https (standard, secure origin, fetch) and every renderer is sandboxed.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
// Kiosk mode: escape keys swallowed, the window cannot be closed; an unlocked operator may leave it
// (kiosk:leave) until the session ends. appQuitting lets a real quit (OS shutdown, relaunch) through.
const kioskMode = createKioskMode({ kiosk: launch.kiosk });
let appQuitting = false;

if (!app.requestSingleInstanceLock()) {
  // A second start (double click on the icon) only brings the running kiosk forward.
  app.quit();
} else {
  const logFile = openLogFile(join(app.getPath('userData'), 'logs', 'main.log'));
  const logger = createLogger({
    write: (line) => {
      process.stderr.write(`${line}\n`);
      logFile.write(line);
    },
    base: { proc: 'main' },
  });

  // A marker left by the last run means it ended by power loss, a kill or a crash of main.
  const runMarker = join(app.getPath('userData'), RUN_MARKER_FILE);
  let previousRun: PreviousRun | undefined;
  try {
    const previous = beginRun(runMarker, Date.now(), app.getVersion());
    if (previous.unclean) {
      logger.warn('previous run ended uncleanly', {
        startedAt: previous.startedAt === null ? null : new Date(previous.startedAt).toISOString(),
        version: previous.version,
      });
    }
    previousRun = previous;
  } catch (err) {
    logger.warn('run marker could not be written', { error: (err as NodeJS.ErrnoException).code ?? 'unknown' });
  }

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  // Every web contents, including any created later: no navigation away, no new windows, no webviews.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (navigationDecision(url, rendererOrigin)) return;
      event.preventDefault();
      logger.warn('navigation refused', { origin: originOf(url) ?? 'none' });
    });
    contents.on('will-redirect', (event, url) => {
      if (navigationDecision(url, rendererOrigin)) return;
      event.preventDefault();
      logger.warn('redirect refused', { origin: originOf(url) ?? 'none' });
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      logger.warn('webview refused');
    });
    contents.setWindowOpenHandler(({ url }) => {
      // A fixed-list link may open in the system browser on a desk PC, never on a locked kiosk,
      // and only ever as the list's own constant, not the string the page supplied.
      const external = launch.kiosk ? null : safeExternalUrl(url);
      if (external) void shell.openExternal(external);
      else logger.warn('new window refused', { origin: originOf(url) ?? 'none' });
      return windowOpenDecision();
    });
  });

  let stopped = false;
  let stop = () => {};
  let releaseDisplay = () => {};

  app.whenReady().then(
    () => {
      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
        const granted = permissionDecision(permission, details.requestingUrl, details, rendererOrigin);
        if (!granted) logger.warn('permission refused', { permission, origin: originOf(details.requestingUrl) ?? 'none' });
        callback(granted);
      });
      ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
        permissionCheckDecision(permission, requestingOrigin, details, rendererOrigin),
      );
      ses.setDevicePermissionHandler(() => false); // WebHID/WebUSB/serial from pages: never
      ses.on('will-download', (event) => {
        event.preventDefault(); // nothing on a kiosk page may save files to the PC
        logger.warn('download refused');
      });
      // A public kiosk has no menu, so no Ctrl+W / Ctrl+R / devtools accelerators either.
      if (launch.kiosk) Menu.setApplicationMenu(null);
      releaseDisplay = keepDisplayAwake(powerSaveBlocker, launch.kiosk, logger);
      applyAutostartPlan(
        autostartPlan({
          platform: process.platform,
          enable: autostartWanted(process.argv, process.env, launch.kiosk),
          isPackaged: app.isPackaged,
          execPath: process.execPath,
          env: process.env,
          homeDir: app.getPath('home'),
        }),
        app,
        logger,
      );
      let kiosk: KioskApp;
      try {
        kiosk = createKioskApp({
          dataDir: app.getPath('userData'),
          logger,
          demo: launch.demo,
          hid: nodeHidAdapter(),
          secrets: deviceSecretStore(safeStorage),
          previousRun,
          leaveKiosk: launch.kiosk
            ? () => {
                kioskMode.leave();
                mainWindow?.setKiosk(false);
              }
            : undefined,
          udevRulePath: join(app.isPackaged ? process.resourcesPath : join(here, '../../resources'), 'udev', UDEV_RULE_FILE),
          chooseVoiceClip: () => chooseVoiceClipFile(dialog, mainWindow),
        });
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        logger.error('kiosk app failed to start', { error: message });
        dialog.showErrorBox('문지기를 시작할 수 없습니다', `${message}\n\n관리자에게 연락해 주세요.`);
        app.exit(1);
        return;
      }
      // The built renderer, and the recorded voice clips in use (the core names them exactly).
      protocol.handle(APP_SCHEME, createAssetHandler(rendererDir, undefined, (path) => kiosk.voiceClipFile(path)));
      const dispatch = createDispatcher(kiosk.handlers, logger);
      const unregisterIpc = registerIpc(ipcMain, dispatch, (frame) => isTrustedSender(frame, rendererOrigin), logger);
      const stopEvents = forwardEvents(kiosk, () => mainWindow?.webContents, logger);
      // Back to kiosk mode once the operator who left it is locked out again (session end or 잠금).
      const kioskReturn = setInterval(() => {
        if (!kioskMode.shouldReturn(kiosk.operatorUnlocked())) return;
        mainWindow?.setKiosk(true);
        logger.info('kiosk mode restored after the operator session');
      }, HEARTBEAT_INTERVAL_MS);
      kioskReturn.unref();
      stop = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(kioskReturn);
        releaseDisplay();
        stopEvents();
        unregisterIpc();
        kiosk
          .close()
          .catch((err: unknown) => logger.error('kiosk close failed', { error: String(err) }))
          .finally(() => {
            endRun(runMarker);
            logger.info('kiosk stopped');
            logFile.close();
          });
      };

      logger.info('kiosk starting', { demo: launch.demo, kiosk: launch.kiosk, dev: launch.devRendererUrl !== null });
      createMainWindow(logger);
    },
    (err: unknown) => logger.error('electron failed to become ready', { error: String(err) }),
  );

  app.on('before-quit', () => {
    appQuitting = true;
  });
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => stop());
}

function createMainWindow(logger: ReturnType<typeof createLogger>): void {
  const options = mainWindowOptions({ preloadPath, kiosk: launch.kiosk });
  const unsafe = insecureWebPreferences(options);
  if (unsafe.length > 0) throw new Error(`refusing to open a window with unsafe web preferences: ${unsafe.join(', ')}`);
  const shouldReload = createReloadLimiter();
  // The three sandbox flags are spelled out again at the constructor on purpose: Electronegativity
  // reads only the literal passed to `new BrowserWindow`, cannot follow mainWindowOptions(), and
  // would otherwise report missing context isolation (docs/electron-security.md).
  const win = new BrowserWindow({
    ...options,
    webPreferences: { ...options.webPreferences, contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  if (launch.kiosk) void win.webContents.setVisualZoomLevelLimits(1, 1); // no pinch zoom on touch screens
  // Alt+F4, Ctrl+W, F11, devtools keys… never reach a locked kiosk (decisions in ./kioskMode).
  win.webContents.on('before-input-event', (event, input) => {
    if (kioskMode.keyDecision(input) === 'block') event.preventDefault();
  });
  win.on('session-end', () => {
    appQuitting = true; // Windows logoff/shutdown must not be held up by the kiosk
  });
  win.on('close', (event) => {
    if (kioskMode.closeAllowed(appQuitting)) return;
    event.preventDefault();
    logger.warn('window close refused in kiosk mode');
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
    clearInterval(heartbeat);
  });
  // Hang watchdog: Chromium's unresponsive events plus a round trip into the page every few
  // seconds; a hung page is killed and loaded again, and the app relaunched if that keeps failing.
  const watchdog = createWatchdog({ startedAt: Date.now(), shouldReload });
  let killedByWatchdog = false;
  win.on('unresponsive', () => watchdog.unresponsive(Date.now()));
  win.on('responsive', () => watchdog.responsive(Date.now()));
  const heartbeat = setInterval(() => {
    if (win.isDestroyed()) return;
    win.webContents.executeJavaScript('0', false).then(
      () => watchdog.heartbeat(Date.now()),
      () => {},
    );
    const action = watchdog.decide(Date.now());
    if (action === 'reload') {
      logger.error('renderer hung: reloading');
      killedByWatchdog = true;
      win.webContents.forcefullyCrashRenderer();
      void win.loadURL(startUrl);
    } else if (action === 'relaunch') {
      logger.error('renderer keeps hanging: relaunching the app');
      app.relaunch();
      app.quit();
    }
  }, HEARTBEAT_INTERVAL_MS);
  heartbeat.unref();
  win.webContents.on('render-process-gone', (_event, details) => {
    // The kiosk must come back by itself: log why (no page content) and load the screen again.
    logger.error('renderer gone', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || win.isDestroyed()) return;
    if (killedByWatchdog) {
      killedByWatchdog = false; // the watchdog killed it and already loads the page again
      return;
    }
    if (shouldReload(Date.now())) void win.loadURL(startUrl);
    else logger.error('renderer keeps crashing: not reloading again for now');
  });
  win.loadURL(startUrl).catch((err: unknown) => logger.error('renderer failed to load', { error: String(err) }));
}
