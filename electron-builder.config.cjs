// Runs in Node at packaging time (`npm run dist`), never in the app. How 문지기 (Munjigi) is
// packed: Windows NSIS, Linux AppImage and .deb (the .deb installs the USB scanner udev rule),
// only the built output and resources inside a checked app.asar, native modules rebuilt for
// Electron and unpacked, and fuses flipped by scripts/after-pack.cjs. See docs/operations.md.
'use strict';

const UDEV_RULE = 'resources/udev/70-munjigi-hidpos.rules';

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'kr.munjigi.kiosk',
  productName: 'Munjigi',
  // Written into the packed package.json: Electron names the data folder after it (~/.config/Munjigi, %APPDATA%\\Munjigi).
  extraMetadata: { productName: 'Munjigi' },
  copyright: 'Munjigi (문지기)',
  directories: { output: 'dist', buildResources: 'build' },

  // The bundles (main, preload, renderer, node tools) and the resources, nothing from src/ or tests/.
  files: ['out/**', 'resources/**', '!**/*.map', '!out/**/*.test.*', 'package.json'],
  // The shell reads the udev rule from process.resourcesPath (the scanner help screen shows it).
  extraResources: [{ from: 'resources/udev', to: 'udev', filter: ['*.rules'] }],
  asar: true,
  // A .node addon cannot be loaded from inside an archive; these are loaded from app.asar.unpacked.
  asarUnpack: ['**/*.node', 'node_modules/better-sqlite3/build/Release/**', 'node_modules/node-hid/prebuilds/**'],
  // better-sqlite3 and node-hid are rebuilt against Electron's ABI (not Node's) while packing.
  npmRebuild: true,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  afterPack: 'scripts/after-pack.cjs',

  win: {
    target: [{ target: 'nsis', arch: ['x64'] }],
    executableName: 'Munjigi',
  },
  nsis: {
    oneClick: false,
    perMachine: true,
    allowToChangeInstallationDirectory: false,
    shortcutName: '문지기',
    uninstallDisplayName: '문지기 (Munjigi)',
    createDesktopShortcut: true,
    createStartMenuShortcut: true,
    // The entry log lives in %APPDATA%\Munjigi; an uninstall must never delete it (4-week retention).
    deleteAppDataOnUninstall: false,
    runAfterFinish: false,
  },

  linux: {
    target: [
      { target: 'AppImage', arch: ['x64'] },
      { target: 'deb', arch: ['x64'] },
    ],
    executableName: 'munjigi',
    category: 'Office',
    synopsis: '문지기 — entrance register kiosk (전자출입명부)',
    maintainer: 'Munjigi <ops@munjigi.invalid>',
  },
  deb: {
    packageCategory: 'misc',
    priority: 'optional',
    depends: ['libgtk-3-0', 'libnotify4', 'libnss3', 'libxss1', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0', 'libusb-1.0-0', 'udev'],
    afterInstall: 'build/linux/after-install.sh',
    afterRemove: 'build/linux/after-remove.sh',
    // An fpm source=destination pair: dpkg owns the rule, so removing the package removes it too.
    fpm: [`${UDEV_RULE}=/lib/udev/rules.d/70-munjigi-hidpos.rules`],
  },
};
