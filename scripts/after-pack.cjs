// Runs in Node at packaging time (electron-builder afterPack hook), never in the app. Flips the
// Electron fuses of the packed binary before it is signed and wrapped into an installer, so an
// installed kiosk cannot be turned into a plain Node runtime or made to load code from outside
// its checked app.asar. Read by tests/integration/packaging.test.ts.
'use strict';

/** The fuse settings, by @electron/fuses FuseV1Options name. Exported for the packaging test. */
const FUSES = {
  RunAsNode: false, // ELECTRON_RUN_AS_NODE must not turn the kiosk binary into `node`
  EnableCookieEncryption: true, // cookies at rest encrypted with the OS key store
  EnableNodeOptionsEnvironmentVariable: false, // NODE_OPTIONS cannot inject --require
  EnableNodeCliInspectArguments: false, // no --inspect debugger on an installed kiosk
  EnableEmbeddedAsarIntegrityValidation: true, // app.asar checked against the hash in the binary
  OnlyLoadAppFromAsar: true, // no loose app/ folder next to app.asar is ever loaded
};

function executablePath(context, path) {
  const { electronPlatformName, appOutDir, packager } = context;
  const name = packager.appInfo.productFilename;
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${name}.exe`);
  if (electronPlatformName === 'darwin') return path.join(appOutDir, `${name}.app`);
  if (electronPlatformName === 'linux') return path.join(appOutDir, packager.executableName);
  throw new Error(`after-pack: unsupported platform ${electronPlatformName}`);
}

async function afterPack(context) {
  // Loaded here, not at the top, so the test can read FUSES without the packaging toolchain.
  const path = await import('node:path');
  const fuses = await import('@electron/fuses');
  const { flipFuses, FuseVersion, FuseV1Options } = fuses.flipFuses ? fuses : fuses.default;
  const settings = { version: FuseVersion.V1, resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' };
  for (const [name, value] of Object.entries(FUSES)) {
    const key = FuseV1Options[name];
    if (key === undefined) throw new Error(`after-pack: @electron/fuses has no fuse named ${name}`);
    settings[key] = value;
  }
  await flipFuses(executablePath(context, path), settings);
}

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.FUSES = FUSES;
