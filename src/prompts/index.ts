/**
 * The few questions `pick` asks, over @inquirer/prompts. The prompts draw on stderr so that stdout
 * carries only the result; Ctrl-C becomes a PatchkitError before anything is written.
 */
import { input, search, select } from '@inquirer/prompts';
import { PatchkitError } from '../errors.js';
import { searchKeys } from './fuzzy.js';

const context = { output: process.stderr };

export interface Candidate {
  key: string;
  label: string;
  description: string;
}

export interface Option<T> {
  name: string;
  value: T;
  description?: string;
}

/** Runs one prompt; a Ctrl-C (ExitPromptError) is reported as a known error, nothing written. */
const ask = async <T>(prompt: Promise<T>): Promise<T> => {
  try {
    return await prompt;
  } catch (error) {
    if (error instanceof Error && error.name === 'ExitPromptError') {
      throw new PatchkitError('cancelled: nothing was written');
    }
    throw error;
  }
};

const DONE = '\0done';
const ALL = '\0all:';

/**
 * Repeated search; each answer adds one target, "done" ends the selection. A glob (`WeightUpdater.*`)
 * lists its matches with one more choice first that adds them all, as `new --target` would.
 */
export const pickMany = async (candidates: Candidate[], limit = 25): Promise<string[]> => {
  const chosen: string[] = [];
  for (;;) {
    const answer = await ask(
      search<string>(
        {
          message: chosen.length
            ? `Add another target (${chosen.length} chosen), or pick “done”`
            : 'Target to wrap (type to filter; globs like Class.* add every match)',
          source: (term) => {
            const open = candidates.filter((c) => !chosen.includes(c.key));
            const found = searchKeys(open, term ?? '', (c) => c.key, limit);
            const matches = found.items.slice(0, limit).map((c) => ({
              name: c.label,
              value: c.key,
              description: c.description,
            }));
            if (found.glob && found.items.length > 0) {
              const all = { name: `✔ all ${found.items.length} matching ${term}`, value: `${ALL}${term}` };
              return [all, ...matches];
            }
            // "done" is offered on an empty search only, so Enter on a filtered list always adds a target.
            return chosen.length && !term
              ? [{ name: `✔ done: ${chosen.join(', ')}`, value: DONE }, ...matches]
              : matches;
          },
          pageSize: 12,
        },
        context,
      ),
    );
    if (answer === DONE) return chosen;
    if (answer.startsWith(ALL)) {
      const open = candidates.filter((c) => !chosen.includes(c.key));
      chosen.push(...searchKeys(open, answer.slice(ALL.length), (c) => c.key, limit).items.map((c) => c.key));
    } else chosen.push(answer);
  }
};

export const pickOne = <T>(message: string, choices: Option<T>[], fallback?: T): Promise<T> =>
  ask(select<T>({ message, choices, default: fallback, pageSize: 12 }, context));

export const askText = (
  message: string,
  fallback: string,
  validate: (value: string) => string | true,
): Promise<string> => ask(input({ message, default: fallback, validate }, context));
