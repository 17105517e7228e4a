/**
 * Query captures from node tree-sitter 0.25.1 without its JavaScript wrapper's per-node costs.
 *
 * `Query.captures` turns every node of every returned match into a cached SyntaxNode: a BigInt id,
 * a Map per call, and a native cache entry with a finalizer per node, about 10 µs a call plus a few
 * µs a node in a profile of the scanner (most of the scan after the parse). This reads the same
 * native result (`_captures` and the binding's node transfer buffer, which the wrapper reads too)
 * into plain SyntaxNode objects, and runs the query's own predicate functions on them.
 *
 * It leans on the wrapper's internals, so it is used only where they are as this file expects:
 * tree-sitter 0.25.1, and the same captures as the public `captures` on a probe source at load.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Capture, SyntaxNode } from './adapter.js';

const require = createRequire(import.meta.url);

/** The fields a node carries in the wrapper (id low and high, start byte, row, column, alias). */
const NODE_FIELDS = 6;

interface RawQuery {
  _captures(tree: unknown, ...options: number[]): [unknown[], unknown[]];
  predicates: ((captures: Capture[]) => boolean)[][];
}

interface Binding {
  nodeTransferArray: Uint32Array;
}

type NodeClass = new (tree: unknown) => SyntaxNode & Record<number, number>;

export type CaptureFunction = (
  query: unknown,
  node: SyntaxNode,
  range?: { startIndex: number; endIndex: number },
) => Capture[];

/** The fast capture function, or null when the installed binding is not the one it was written for. */
export const loadNativeCaptures = (): { captures: CaptureFunction } | null => {
  try {
    const version = (require('tree-sitter/package.json') as { version: string }).version;
    if (version !== '0.25.1') return null;
    const treeSitterDir = dirname(require.resolve('tree-sitter/package.json'));
    const binding = (createRequire(require.resolve('tree-sitter'))('node-gyp-build') as (dir: string) => Binding)(
      treeSitterDir,
    );
    const SyntaxNodeClass = (require('tree-sitter') as { SyntaxNode: NodeClass }).SyntaxNode;
    if (!(binding.nodeTransferArray instanceof Uint32Array) || typeof SyntaxNodeClass !== 'function') return null;

    /**
     * A captured node that carries its start: the transfer buffer's third field is the node's start
     * byte, and the binding's own `startIndex` getter answers it over two (UTF-16) after a native
     * call; the extractor reads every capture's start.
     */
    class CapturedNode extends SyntaxNodeClass {
      readonly startIndex: number = 0;
      constructor(tree: unknown, startByte: number) {
        super(tree);
        this.startIndex = startByte / 2;
      }
    }

    const captures: CaptureFunction = (query, node, range) => {
      const q = query as RawQuery;
      const fields = node as unknown as Record<number, number> & { tree: unknown };
      const tree = fields.tree;
      // The wrapper's marshalNode: the root goes through the transfer buffer.
      let transfer = binding.nodeTransferArray;
      for (let i = 0; i < NODE_FIELDS; i++) transfer[i] = fields[i];
      const [matches, nodes] = q._captures(
        tree,
        0,
        0,
        0,
        0,
        range?.startIndex ?? 0,
        range?.endIndex ?? 0,
        0xffffffff,
        0xffffffff,
        0,
      );
      // Read after the call: the binding may have grown (replaced) the buffer.
      transfer = binding.nodeTransferArray;
      const objects: (SyntaxNode | null)[] = new Array(nodes.length);
      let offset = 0;
      for (let i = 0; i < nodes.length; i++) {
        const value = nodes[i];
        if (typeof value === 'number') {
          const made = new CapturedNode(tree, transfer[offset + 2]);
          for (let f = 0; f < NODE_FIELDS; f++) made[f] = transfer[offset + f];
          offset += NODE_FIELDS;
          objects[i] = made;
        } else {
          objects[i] = value as SyntaxNode | null;
        }
      }
      const out: Capture[] = [];
      let i = 0;
      let nodeIndex = 0;
      while (i < matches.length) {
        const pattern = matches[i++] as number;
        const captureIndex = matches[i++] as number;
        const match: Capture[] = [];
        while (i < matches.length && typeof matches[i] === 'string')
          match.push({ name: matches[i++] as string, node: objects[nodeIndex++] as SyntaxNode });
        const predicates = q.predicates[pattern];
        if (predicates.length === 0 || predicates.every((p) => p(match))) out.push(match[captureIndex]);
      }
      return out;
    };
    return { captures };
  } catch {
    return null;
  }
};
