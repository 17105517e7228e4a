/** The picker's search: exact names first, then substrings, then fuzzy; globs as `new --target` takes them. */
import { describe, expect, it } from 'vitest';
import { searchKeys } from '../../src/prompts/fuzzy.js';

// Real sglang names: the class the user means sits deeper in the tree than a near-homonym.
const KEYS = [
  'sglang.multimodal_gen.runtime.post_training.weights_updater:WeightsUpdater.update_weights_from_tensor',
  'sglang.srt.managers.scheduler_components.weight_updater:SchedulerWeightUpdater.update_weights_from_tensor',
  'sglang.srt.model_executor.model_runner_components.weight_updater:WeightUpdater.update_weights_from_tensor',
  'sglang.srt.model_executor.model_runner_components.weight_updater:WeightUpdater.update_weights_from_disk',
  'sglang.srt.model_executor.model_runner_components.weight_updater:WeightUpdater.__init__',
  'sglang.srt.managers.tp_worker:TpModelWorker.update_weights_from_tensor',
];
const search = (term: string) => searchKeys(KEYS, term, (k) => k, 25);

describe('picker search', () => {
  it('ranks the exact qualname above a longer fuzzy match', () => {
    const { items } = search('WeightUpdater.update_weights_from_tensor');
    expect(items[0]).toBe(KEYS[2]);
    expect(items.indexOf(KEYS[1])).toBeLessThan(items.indexOf(KEYS[0]));
  });

  it('ranks a method name ending the qualname above longer names that contain it', () => {
    const { items } = search('update_weights_from_tensor');
    expect(items.slice(0, 4).sort()).toEqual([KEYS[0], KEYS[1], KEYS[2], KEYS[5]].sort());
  });

  it('is case-insensitive and still fuzzy', () => {
    expect(search('weightupdater.update_weights_from_tensor').items[0]).toBe(KEYS[2]);
    expect(search('tpmodwrk').items[0]).toBe(KEYS[5]);
    expect(search('').items).toEqual(KEYS);
  });

  it('takes a glob as `new` does: on the qualname, or on module:qualname when it holds a colon', () => {
    const byClass = search('WeightUpdater.*');
    expect(byClass.glob).toBe(true);
    expect(byClass.items).toEqual([KEYS[2], KEYS[3], KEYS[4]]);
    expect(search('*.update_weights_from_t?nsor').items).toEqual([KEYS[0], KEYS[1], KEYS[2], KEYS[5]]);
    expect(search('sglang.srt.managers.*:*').items).toEqual([KEYS[1], KEYS[5]]);
    expect(search('Nothing.*').items).toEqual([]);
    expect(search('WeightUpdater').glob).toBe(false);
  });
});
