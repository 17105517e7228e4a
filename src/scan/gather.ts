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
  /** The containers from the root down to the function's parent: the function's ancestors. */
  path: SyntaxNode[];
  fnStart: number;
  fnEnd: number;
  node: SyntaxNode;
  start: number;
  end: number;
}

/** Bodies of the functions that are not inside another function, in document order. */
const outermostBodies = (root: SyntaxNode): Body[] => {
  const bodies: Body[] = [];
  const path: SyntaxNode[] = [];
  const visit = (node: SyntaxNode) => {
    path.push(node);
    for (const child of node.namedChildren) {
      if (!child) continue;
      const type = child.type;
      if (type === 'function_definition') {
        const body = child.childForFieldName('body');
        if (body?.type === 'block')
          bodies.push({
            path: [...path],
            fnStart: child.startIndex,
            fnEnd: child.endIndex,
            node: body,
            start: body.startIndex,
            end: body.endIndex,
          });
      } else if (CONTAINERS.has(type)) {
        visit(child);
      }
    }
    path.pop();
  };
  visit(root);
  return bodies;
};

/**
 * The deepest node containing both functions, so the gap between their bodies: a query run there
 * does not walk what precedes that node, and every pattern with a capture starting in the gap is
 * rooted inside it (no pattern of grammars/*.scm reaches from a statement into a block's
 * statements, and no block starts where a function body ends).
 */
const commonAncestor = (a: SyntaxNode[], b: SyntaxNode[]): SyntaxNode => {
  let i = 0;
  while (i + 1 < a.length && i + 1 < b.length && a[i + 1] === b[i + 1]) i++;
  return a[i];
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

export const gatherCaptures = (tree: ParsedTree, source: string): Capture[] => {
  const whole = () => tree.captures('all', tree.root);
  if (!tree.rangeCaptures || tree.root.hasError) return whole();
  const bodies = outermostBodies(tree.root);
  if (bodies.length === 0) return whole();

  const captures: Capture[] = [];
  // Frames the whole query opens: a body is left out only under its own function's frame.
  const functions = new Set<string>();
  let from = 0;
  for (let k = 0; k <= bodies.length; k++) {
    // Past the end for the last gap: a range end is exclusive, and nodes may end the file.
    const to = k < bodies.length ? bodies[k].start : source.length + 1;
    if (to > from) {
      const root = k === 0 || k === bodies.length ? tree.root : commonAncestor(bodies[k - 1].path, bodies[k].path);
      for (const c of tree.captures('all', root, { startIndex: from, endIndex: to })) {
        const start = c.node.startIndex;
        // A node that starts before this gap also meets an earlier one, where it was kept.
        if (start < from) continue;
        if (c.name === 'function') functions.add(`${start}:${c.node.endIndex}`);
        captures.push(c);
      }
    }
    if (k < bodies.length) from = bodies[k].end;
  }
  if (!bodies.every((b) => functions.has(`${b.fnStart}:${b.fnEnd}`))) return whole();

  const yields = occurrences(source, 'yield');
  const imports = occurrences(source, 'import');
  for (const body of bodies) {
    captures.push({ name: 'function.body', node: body.node });
    if (anyWithin(yields, body.start, body.end) || anyWithin(imports, body.start, body.end))
      for (const c of tree.captures('structure', body.node)) captures.push(c);
  }
  return captures;
};
