// Runs in Node. How this project starts Chromium (tests, benchmarks, the site scanner):
// Debian's binary, never a downloaded one, with background networking off so a closed
// network does not stall it. CHROMIUM_PATH overrides the binary.
export const chromiumPath = (env: NodeJS.ProcessEnv = process.env) => env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumArgs = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];
