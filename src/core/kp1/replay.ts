// Runs everywhere Node runs. An in-memory replay state for the CLI and tests; the kiosk's
// durable one lives in the entry log. Only admitted (OK) tokens are remembered, so a refused
// token leaves no trace and can still be admitted while it is valid.
import type { ReplayLookup } from './verify';

export interface MemoryReplayState {
  lookup: ReplayLookup;
  /** Records an admitted token id here (later scans are DUPLICATE). */
  remember(tokenId: string): void;
  /** Records a token id known to have been admitted elsewhere (later scans are REPLAYED). */
  rememberElsewhere(tokenId: string): void;
  size(): number;
}

export function createMemoryReplayState(): MemoryReplayState {
  const here = new Set<string>();
  const elsewhere = new Set<string>();
  return {
    lookup: (tokenId) => (here.has(tokenId) ? 'duplicate' : elsewhere.has(tokenId) ? 'replayed' : null),
    remember: (tokenId) => void here.add(tokenId),
    rememberElsewhere: (tokenId) => void elsewhere.add(tokenId),
    size: () => here.size + elsewhere.size,
  };
}
