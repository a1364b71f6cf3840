// Runs in Node. `munjigi version`: the package version, for support calls and bug reports.
import { projectVersion } from '../../core/paths';
import type { Command } from '../io';
import { writeLine } from '../io';

export const command: Command = {
  name: 'version',
  summary: 'print the version',
  usage: 'Usage: munjigi version',
  async run(_argv, io) {
    writeLine(io.stdout, projectVersion());
    return 0;
  },
};
