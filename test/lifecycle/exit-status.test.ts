/** Every command that exits 1 on findings says so in its --help, with what 1 and 2 mean. */
import { describe, expect, it } from 'vitest';
import { patchkit } from '../helpers/cli.js';

const FINDINGS: Record<string, RegExp> = {
  audit: /1 +a start-up line .* has a risk flag/,
  check: /1 +a target drifted/,
  update: /1 +a merge conflicted/,
  list: /1 +an installed file was edited or is missing/,
  verify: /1 +a target is not applied/,
};

describe('--help states the exit status', () => {
  for (const [command, finding] of Object.entries(FINDINGS)) {
    it(command, async () => {
      const r = await patchkit([command, '--help']);
      expect(r.exitCode).toBe(0);
      const [, status = ''] = r.stdout.split('Exit status:');
      expect(status).toMatch(/^\s+0 /m);
      expect(status.replace(/\s+/g, ' ')).toMatch(new RegExp(finding.source.replace(/ \+/g, ' ')));
      expect(status).toMatch(/^\s+2 +.*error/m);
    });
  }
});
