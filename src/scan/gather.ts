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
 * The result holds every capture extractFacts acts on, in the query's own order, so its facts are
 * the ones of one whole-tree query. Files with a syntax error, and any function whose frame the
 * query would not have opened, take that whole-tree query.
 */
import type { Capture, ParsedTree, SyntaxNode } from '../parser/adapter.js';

/**
 * Bodies shorter than this (in characters) stay in the gaps around them: a query call costs about
 * as much as walking and marshalling a few dozen characters' worth of nodes (measured on node
 * tree-sitter 0.25.1: ~10 µs a call, ~0.3 µs a node).
 */
export const MIN_BODY = 64;

/** Statements before a run that one query call may walk past for each call it saves. */
const RUN_SKIP_PER_CALL = 32;

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

/** A module's or a block's statements, with their ranges read once they are needed. */
interface Statements {
  nodes: SyntaxNode[];
  starts?: number[];
  ends?: number[];
}

interface Skeleton {
  bodies: Body[];
  /** For the module and every block walked: no pattern of grammars/*.scm is rooted at either. */
  statements: Map<SyntaxNode, Statements>;
}

/** Bodies of the functions that are not inside another function, in document order. */
const walkSkeleton = (root: SyntaxNode, minBody: number): Skeleton => {
  const bodies: Body[] = [];
  const statements = new Map<SyntaxNode, Statements>();
  const visit = (node: SyntaxNode, type: string) => {
    const children = node.namedChildren;
    if (type === 'module' || type === 'block')
      statements.set(node, { nodes: children.filter((c): c is SyntaxNode => c !== null) });
    for (const child of children) {
      if (!child) continue;
      const childType = child.type;
      if (childType === 'function_definition') {
        const body = child.childForFieldName('body');
        if (body?.type !== 'block') continue;
        const start = body.startIndex;
        const end = body.endIndex;
        // A small body costs less to query with its gap than a query call of its own.
        if (end - start >= minBody)
          bodies.push({ fnStart: child.startIndex, fnEnd: child.endIndex, node: body, start, end });
      } else if (CONTAINERS.has(childType)) {
        visit(child, childType);
      }
    }
  };
  visit(root, 'module');
  return { bodies, statements };
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
const gapCaptures = (tree: ParsedTree, skeleton: Skeleton, from: number, to: number, out: Capture[]) => {
  const ranged = (node: SyntaxNode, start: number, end: number) => {
    for (const c of tree.captures('all', node, { startIndex: start, endIndex: end }))
      // A node that starts before this gap also meets an earlier one, where it was kept.
      if (c.node.startIndex >= from) out.push(c);
  };
  const split = (node: SyntaxNode, start: number, end: number) => {
    const inside = skeleton.statements.get(node);
    if (inside) {
      const starts = (inside.starts ??= inside.nodes.map((n) => n.startIndex));
      const ends = (inside.ends ??= inside.nodes.map((n) => n.endIndex));
      let i = firstEndingAfter(ends, start);
      while (i < inside.nodes.length && starts[i] < end) {
        if (starts[i] < start || ends[i] > end) {
          split(inside.nodes[i], Math.max(start, starts[i]), Math.min(end, ends[i]));
          i++;
          continue;
        }
        // A run of statements inside the gap: one query over their range from here, while walking
        // past the statements before them costs less than a call per statement.
        let last = i;
        while (last + 1 < inside.nodes.length && starts[last + 1] < end && ends[last + 1] <= end) last++;
        if (last > i && i < RUN_SKIP_PER_CALL * (last - i)) ranged(node, starts[i], ends[last]);
        else for (let k = i; k <= last; k++) out.push(...tree.captures('all', inside.nodes[k]));
        i = last + 1;
      }
      return;
    }
    const type = node.type;
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

/** Whether a sorted list holds a value in [start, end), by binary search. */
const anyWithin = (sorted: number[], start: number, end: number): boolean => {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo] < end;
};

/** Whether every function ending at one of `ends` is among the skeleton's bodies, and ends with its body. */
const holdsEnds = (bodies: Body[], ends: number[]): boolean => {
  const wanted = new Set(ends);
  let found = 0;
  for (const b of bodies) if (b.end === b.fnEnd && wanted.has(b.fnEnd)) found++;
  return found === wanted.size;
};

/**
 * `minBody`: see MIN_BODY (tests pass 0, to leave out every body they write). `blanked`: the ends
 * of the bodies scan/elide.ts blanked in the parsed text (each at least MIN_BODY long); then null
 * when that text has an error or one of them is not an outermost function's body where it said.
 */
export function gatherCaptures(tree: ParsedTree, source: string, minBody?: number): Capture[];
export function gatherCaptures(tree: ParsedTree, source: string, minBody: number, blanked: number[]): Capture[] | null;
export function gatherCaptures(
  tree: ParsedTree,
  source: string,
  minBody = MIN_BODY,
  blanked?: number[],
): Capture[] | null {
  const whole = () => tree.captures('all', tree.root);
  if (blanked && tree.root.hasError) return null;
  if (!tree.rangeCaptures || tree.root.hasError) {
    if (blanked && !holdsEnds(walkSkeleton(tree.root, minBody).bodies, blanked)) return null;
    return whole();
  }
  const skeleton = walkSkeleton(tree.root, minBody);
  const { bodies } = skeleton;
  if (blanked && !holdsEnds(bodies, blanked)) return null;
  if (bodies.length === 0) return whole();

  const captures: Capture[] = [];
  let from = 0;
  for (let k = 0; k <= bodies.length; k++) {
    // Past the end for the last gap: a range end is exclusive, and nodes may end the file.
    const to = k < bodies.length ? bodies[k].start : source.length + 1;
    if (to > from) gapCaptures(tree, skeleton, from, to, captures);
    if (k < bodies.length) from = bodies[k].end;
  }
  // Frames the whole query opens: a body is left out only under its own function's frame.
  const functions = new Set<string>();
  for (const c of captures) if (c.name === 'function') functions.add(`${c.node.startIndex}:${c.node.endIndex}`);
  if (!bodies.every((b) => functions.has(`${b.fnStart}:${b.fnEnd}`))) return whole();

  const yields = occurrences(source, 'yield');
  const imports = occurrences(source, 'import');
  for (const body of bodies) {
    captures.push({ name: 'function.body', node: body.node });
    if (anyWithin(yields, body.start, body.end) || anyWithin(imports, body.start, body.end))
      for (const c of tree.captures('structure', body.node)) captures.push(c);
  }
  return captures;
}
