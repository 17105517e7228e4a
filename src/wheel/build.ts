/**
 * A bundle as a wheel (py3-none-any, Root-Is-Purelib), so pip, uv, Docker images and Ray `runtime_env`
 * can carry it where there is no Node. The runtime files sit at the archive root and so land directly
 * in site-packages, where site.py finds the `.pth`; patchkit.json rides in the dist-info, so `patchkit
 * list/verify/uninstall` recognise a pip-installed bundle. Reproducible: fixed timestamps and
 * permissions, entries in a fixed order (payload sorted, then the dist-info with RECORD last).
 */
import { zipSync, type Zippable } from 'fflate';
import type { LoadedBundle } from '../install/bundle.js';
import { distInfoStem } from '../install/bundle.js';
import { entryFor, formatRecord } from '../install/record.js';
import { MANIFEST_FILE } from '../generate/manifest.js';
import { metadataText, wheelText } from './metadata.js';

/**
 * 1980-01-01 00:00 in *local* time: fflate encodes DOS times with local getters, so a UTC instant would
 * give a different archive in every time zone.
 */
const EPOCH = new Date(1980, 0, 1, 0, 0, 0);
const UNIX = 3;
const FILE_MODE = 0o100644;

export interface BuiltWheel {
  fileName: string;
  bytes: Uint8Array;
  /** Archive paths, in archive order. */
  entries: string[];
}

export const buildWheel = (bundle: LoadedBundle, options: { pin?: boolean } = {}): BuiltWheel => {
  const distInfo = `${distInfoStem(bundle.manifest.name)}-${bundle.version}.dist-info`;
  const payload: [string, Uint8Array][] = bundle.files
    .map((f): [string, Uint8Array] => [f.name, f.data])
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const meta: [string, Uint8Array][] = [
    [`${distInfo}/METADATA`, Buffer.from(metadataText(bundle, options))],
    [`${distInfo}/WHEEL`, Buffer.from(wheelText())],
    [`${distInfo}/${MANIFEST_FILE}`, bundle.manifestBytes],
  ];
  const files = [...payload, ...meta];
  const recordPath = `${distInfo}/RECORD`;
  const record = formatRecord([
    ...files.map(([path, data]) => entryFor(path, data)),
    { path: recordPath, hash: null, size: null },
  ]);
  files.push([recordPath, Buffer.from(record)]);
  // Zippable keeps insertion order; each entry carries its own fixed attributes.
  const zippable: Zippable = {};
  for (const [path, data] of files)
    zippable[path] = [data, { mtime: EPOCH, os: UNIX, attrs: FILE_MODE << 16, level: 6 }];
  return {
    fileName: `${distInfoStem(bundle.manifest.name)}-${bundle.version}-py3-none-any.whl`,
    bytes: zipSync(zippable),
    entries: files.map(([path]) => path),
  };
};
