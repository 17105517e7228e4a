/**
 * The captures extractFacts needs, without running every query over every function body.
 *
 * extractFacts keeps, from code that runs at call time (inside a function body), only what
 * grammars/structure.scm captures there and only for two purposes: a `yield` makes its function a
 * generator, and an `import` is a lazy edge with its control flow. Everything else a body yields
 * (references, dynamic assignments, decorators, nested classes: most captures of a package) is
 * marshalled into JavaScript and then dropped. So the whole query runs only over the gaps between
 * the outermost function bodies (module and class level, headers and decorators included), and the
 * structure query runs over a body only when its text can hold a `yield` or an `import`.
 *
 * A body scan/elide.ts blanked is left in its gap: the query finds nothing in an empty tuple and
 * walks it in a few steps, while a gap of its own would cost a call.
 *
 * The result holds every capture extractFacts acts on, in the query's own order, so its facts are
 * the ones of one whole-tree query. Files with a syntax error, and any function whose frame the
 * query would not have opened, take that whole-tree query.
 */
import type { Capture, ParsedTree, SyntaxNode } from '../parser/adapter.js';
import { anyWithin } from '../util/sorted.js';

/**
 * Bodies shorter than this (in characters) stay in the gaps around them: a query call costs about
 * as much as walking and marshalling a few dozen characters' worth of nodes (measured on node
 * tree-sitter 0.25.1: ~10 µs a call, ~0.3 µs a node).
 */
export const MIN_BODY = 64;

/** Statements before a run that one query call may walk past for each call it saves. */
const RUN_SKIP_PER_CALL = 32;

/** Statements of a run queried by one call: more would hold more captures at once for no gain. */
const RUN_PIECE = 512;

/** Statements and clauses whose children can be module- or class-level definitions. */
const CONTAINERS = new Set([
  'block',
  'class_definition',
  'decorated_definition',
  'if_statement',
  'elif_clause',
  'else_clause',
  'try_statement',
  'except_clause',
  'except_group_clause',
  'finally_clause',
  'with_statement',
  'for_statement',
  'while_statement',
  'match_statement',
  'case_clause',
]);

interface Body {
  fnStart: number;
  fnEnd: number;
  node: SyntaxNode;
  start: number;
  end: number;
}

/**
 * A module's or a block's named children (statements, comments), as ranges; `nodes[i]` is the
 * child's node where gapCaptures needs it (it contains a body, or it is queried on its own), else null.
 */
interface Statements {
  end: number;
  starts: number[];
  ends: number[];
  nodes: (SyntaxNode | null)[];
}

interface Skeleton {
  bodies: Body[];
  /** How many of the blanked bodies it was given it found, each an outermost function's body ending with it. */
  blankedFound: number;
  /** The module and the blocks gapCaptures may split, by start index: no pattern of grammars/*.scm is rooted at either. */
  statements: Map<number, Statements>;
}

/** Whether gapCaptures queries the no-body statements i..last of a block on their own rather than as one range. */
const queriedOneByOne = (i: number, last: number) => !(last > i && i < RUN_SKIP_PER_CALL * (last - i));

/**
 * Bodies of the functions that are not inside another function, in document order, found with a
 * cursor: a module of 120,000 classes has 600,000 statements and blocks, and each node object the
 * binding makes holds native memory until it is collected. Nodes are made only for the bodies and
 * for what gapCaptures will query or split: statements that contain a body, and statements it
 * queries one by one, in the module and in the class bodies it can split into.
 */
const walkSkeleton = (root: SyntaxNode, minBody: number, blanked?: Set<number>): Skeleton => {
  const bodies: Body[] = [];
  let blankedFound = 0;
  const statements = new Map<number, Statements>();
  const cursor = root.walk();
  /** The cursor is on a function definition: its body, when it is one gapCaptures leaves out. */
  const functionBody = (): boolean => {
    const fnStart = cursor.startIndex;
    const fnEnd = cursor.endIndex;
    let found = false;
    if (cursor.gotoFirstChild()) {
      do {
        if (cursor.currentFieldName !== 'body') continue;
        const start = cursor.startIndex;
        const end = cursor.endIndex;
        // A small body costs less to query with its gap than a query call of its own, and so does
        // a blanked one: an empty tuple after its docstrings.
        if (cursor.nodeType === 'block' && end - start >= minBody) {
          if (end === fnEnd && blanked?.has(fnEnd)) {
            blankedFound++;
          } else {
            bodies.push({ fnStart, fnEnd, node: cursor.currentNode, start, end });
            found = true;
          }
        }
        break;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    return found;
  };
  /**
   * The cursor is on a container of `type`; `splittable`: gapCaptures can split it (the module, a
   * class in it or in a class body it splits, that class's body). Whether a body lies beneath.
   */
  const visit = (type: string, splittable: boolean): boolean => {
    const block = type === 'module' || type === 'block';
    const starts: number[] = [];
    const ends: number[] = [];
    const holds: boolean[] = [];
    const nodes: (SyntaxNode | null)[] = [];
    const own = block ? cursor.startIndex : 0;
    const ownEnd = block ? cursor.endIndex : 0;
    let any = false;
    if (!cursor.gotoFirstChild()) return false;
    do {
      if (!cursor.nodeIsNamed) continue;
      const childType = cursor.nodeType;
      let found = false;
      if (childType === 'function_definition') {
        found = functionBody();
      } else if (CONTAINERS.has(childType)) {
        const inner =
          splittable &&
          (block
            ? childType === 'class_definition' || childType === 'decorated_definition'
            : (type === 'class_definition' && childType === 'block') ||
              (type === 'decorated_definition' && childType === 'class_definition'));
        found = visit(childType, inner);
      }
      if (block) {
        starts.push(cursor.startIndex);
        ends.push(cursor.endIndex);
        holds.push(found);
        nodes.push(found && splittable ? cursor.currentNode : null);
      }
      any ||= found;
    } while (cursor.gotoNextSibling());
    cursor.gotoParent();
    // The module is split even without a body: its statements are queried in pieces.
    if (!block || !splittable || (!any && type !== 'module')) return any;
    // Runs of statements without a body: those gapCaptures queries one by one get their nodes.
    const wanted: boolean[] = new Array<boolean>(holds.length).fill(false);
    let need = false;
    for (let i = 0; i < holds.length; i++) {
      if (holds[i]) continue;
      let last = i;
      while (last + 1 < holds.length && !holds[last + 1]) last++;
      if (queriedOneByOne(i, last)) for (let k = i; k <= last; k++) need = wanted[k] = true;
      i = last;
    }
    if (need && cursor.gotoFirstChild()) {
      let k = 0;
      do {
        if (!cursor.nodeIsNamed) continue;
        if (wanted[k]) nodes[k] = cursor.currentNode;
        k++;
      } while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    statements.set(own, { end: ownEnd, starts, ends, nodes });
    return any;
  };
  try {
    visit('module', true);
  } finally {
    cursor.delete?.();
  }
  return { bodies, blankedFound, statements };
};

/** Index of the first statement that ends after `index`, by binary search. */
const firstEndingAfter = (ends: number[], index: number): number => {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
};

/**
 * The whole query's captures of nodes that start in [from, to), a gap between function bodies,
 * without walking what lies before the gap: from the module down, a module or block is split into
 * its statements (no pattern is rooted at either), a statement inside the gap is queried whole, one
 * that crosses an end of the gap is split further where that is exact (a class or decorated
 * definition whose body, or definition, holds the whole rest of the gap: their own patterns
 * capture nothing that starts there) and otherwise queried over the gap's range, which tree-sitter
 * walks from that statement's start.
 */
const gapCaptures = (tree: ParsedTree, skeleton: Skeleton, from: number, to: number, out: Output) => {
  const ranged = (node: SyntaxNode, start: number, end: number, keepFrom = from) => {
    for (const c of tree.captures('all', node, { startIndex: start, endIndex: end }))
      // A node that starts before this gap (or piece) also meets an earlier one, where it was kept.
      if (c.node.startIndex >= keepFrom) out.captures.push(c);
    out.settled();
  };
  const split = (node: SyntaxNode, start: number, end: number) => {
    const type = node.type;
    const inside = type === 'module' || type === 'block' ? skeleton.statements.get(node.startIndex) : undefined;
    if (inside && inside.end === node.endIndex) {
      const { starts, ends, nodes } = inside;
      let i = firstEndingAfter(ends, start);
      while (i < nodes.length && starts[i] < end) {
        if (starts[i] < start || ends[i] > end) {
          const crossing = nodes[i];
          if (crossing) split(crossing, Math.max(start, starts[i]), Math.min(end, ends[i]));
          else ranged(node, Math.max(start, starts[i]), Math.min(end, ends[i]));
          i++;
          continue;
        }
        // A run of statements inside the gap: one query over their range from here, while walking
        // past the statements before them costs less than a call per statement.
        let last = i;
        while (last + 1 < nodes.length && starts[last + 1] < end && ends[last + 1] <= end) last++;
        if (!queriedOneByOne(i, last))
          // In pieces, so that a long run's captures need not all be held at once.
          for (let a = i; a <= last; a += RUN_PIECE)
            ranged(node, starts[a], ends[Math.min(last, a + RUN_PIECE - 1)], a === i ? from : starts[a]);
        else
          for (let k = i; k <= last; k++) {
            const statement = nodes[k];
            if (!statement) {
              ranged(node, starts[k], ends[k]);
              continue;
            }
            for (const c of tree.captures('all', statement)) out.captures.push(c);
            out.settled();
          }
        i = last + 1;
      }
      return;
    }
    const part =
      type === 'class_definition'
        ? node.childForFieldName('body')
        : type === 'decorated_definition'
          ? node.childForFieldName('definition')
          : null;
    if (part && start >= part.startIndex) split(part, start, end);
    else ranged(node, start, end);
  };
  split(tree.root, from, to);
};

/** Sorted start indices of `word` in `source`: a body holds one iff a start lies inside it. */
const occurrences = (source: string, word: string): number[] => {
  const found: number[] = [];
  for (let i = source.indexOf(word); i >= 0; i = source.indexOf(word, i + word.length)) found.push(i);
  return found;
};

/**
 * Where gapCaptures puts what it finds: `settled` after each query call, a point where every
 * capture still to come sorts after those already pushed, so a full buffer may be handed on there.
 */
interface Output {
  captures: Capture[];
  settled(): void;
}

/** Takes captures in pieces, each sorting after the one before (scan/extract.ts's Extractor). */
export interface CaptureSink {
  /** false: the piece sorts before an earlier one, and nothing of it was taken. */
  add(captures: Capture[]): boolean;
}

/**
 * How the captures reached the sink: `gathered` in pieces by gap; `whole` from one whole-tree
 * query, after `restart` (a binding without query ranges, a tree with an error, or a body the
 * gaps did not frame); `unusable`: the blanked text cannot stand for the original (see below), and
 * the sink got nothing.
 */
export type Gathered = 'gathered' | 'whole' | 'unusable';

/** Captures handed on once this many are waiting, at the next settled point. */
const PIECE_CAPTURES = 4096;

/**
 * The captures extractFacts needs, handed to `open()`'s sink a gap and the body after it at a time.
 * `open` is called again for a fresh sink when the pieces must be dropped for one whole query.
 * `minBody`: see MIN_BODY (tests pass 0, to leave out every body they write). `blanked`: the ends
 * of the bodies scan/elide.ts blanked in the parsed text (each at least MIN_BODY long); then
 * `unusable` when that text has an error or one of them is not an outermost function's body where
 * it said.
 */
export const streamCaptures = (
  tree: ParsedTree,
  source: string,
  open: () => CaptureSink,
  minBody = MIN_BODY,
  blanked?: number[],
): Gathered => {
  const whole = (): Gathered => {
    open().add(tree.captures('all', tree.root));
    return 'whole';
  };
  if (blanked && tree.root.hasError) return 'unusable';
  const blankedEnds = blanked && new Set(blanked);
  if (!tree.rangeCaptures || tree.root.hasError) {
    if (blankedEnds && walkSkeleton(tree.root, minBody, blankedEnds).blankedFound !== blankedEnds.size)
      return 'unusable';
    return whole();
  }
  const skeleton = walkSkeleton(tree.root, minBody, blankedEnds);
  const { bodies } = skeleton;
  if (blankedEnds && skeleton.blankedFound !== blankedEnds.size) return 'unusable';

  const sink = open();
  // Frames the whole query opens: a body is left out only under its own function's frame, whose
  // capture lies in the gap before the body.
  const functions = new Set<string>();
  let ordered = true;
  const out: Output = {
    captures: [],
    settled() {
      if (out.captures.length >= PIECE_CAPTURES) hand();
    },
  };
  const hand = () => {
    if (out.captures.length === 0) return;
    for (const c of out.captures) if (c.name === 'function') functions.add(`${c.node.startIndex}:${c.node.endIndex}`);
    ordered &&= sink.add(out.captures);
    out.captures = [];
  };
  const yields = occurrences(source, 'yield');
  const imports = occurrences(source, 'import');
  let from = 0;
  for (let k = 0; k <= bodies.length; k++) {
    // Past the end for the last gap: a range end is exclusive, and nodes may end the file.
    const to = k < bodies.length ? bodies[k].start : source.length + 1;
    if (to > from) gapCaptures(tree, skeleton, from, to, out);
    if (k === bodies.length) break;
    const body = bodies[k];
    hand();
    if (!ordered || !functions.has(`${body.fnStart}:${body.fnEnd}`)) return whole();
    out.captures.push({ name: 'function.body', node: body.node });
    if (anyWithin(yields, body.start, body.end) || anyWithin(imports, body.start, body.end))
      for (const c of tree.captures('structure', body.node)) out.captures.push(c);
    out.settled();
    from = body.end;
  }
  hand();
  return ordered ? 'gathered' : whole();
};

/** streamCaptures' captures in one list (tests; null when `unusable`). */
export function gatherCaptures(tree: ParsedTree, source: string, minBody?: number): Capture[];
export function gatherCaptures(tree: ParsedTree, source: string, minBody: number, blanked: number[]): Capture[] | null;
export function gatherCaptures(
  tree: ParsedTree,
  source: string,
  minBody = MIN_BODY,
  blanked?: number[],
): Capture[] | null {
  let captures: Capture[] = [];
  const open = (): CaptureSink => {
    captures = [];
    return {
      add(piece) {
        for (const c of piece) captures.push(c);
        return true;
      },
    };
  };
  return streamCaptures(tree, source, open, minBody, blanked) === 'unusable' ? null : captures;
}

/**
 * The whole query's captures of a blanked text's tree (scan/elide.ts), or null when that text cannot
 * stand for the original: it has an error, or a blanked body is not the body of a function outside
 * every other function, ending where the lexer said. A blanked body is an empty tuple, and what is
 * left of a body that holds an import or a yield is the way to it, so one query call over the whole
 * tree walks little more than the gaps do, without their calls or the skeleton walk that frames
 * them (SGLang: 4.8 s against 6.4 s for both, with extraction).
 */
export const blankedTreeCaptures = (tree: ParsedTree, blanked: number[]): Capture[] | null => {
  if (tree.root.hasError) return null;
  const captures = tree.captures('all', tree.root);
  const functions: [number, number][] = [];
  const bodyEnds = new Set<number>();
  for (const c of captures) {
    if (c.name === 'function') functions.push([c.node.startIndex, c.node.endIndex]);
    else if (c.name === 'function.body') bodyEnds.add(c.node.endIndex);
  }
  functions.sort((a, b) => a[0] - b[0]);
  const wanted = new Set(blanked);
  let found = 0;
  let outerEnd = -1;
  for (const [start, end] of functions) {
    if (start < outerEnd) continue; // inside the function before it
    outerEnd = end;
    if (wanted.has(end) && bodyEnds.has(end)) found++;
  }
  return found === wanted.size ? captures : null;
};
