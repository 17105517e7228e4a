/**
 * One parsed file → FileFacts. The captures of grammars/*.scm arrive as a flat list; sorting them
 * by position and keeping a stack of open containers rebuilds exactly the nesting the scanner
 * needs (enclosing classes, functions, control flow) without walking the tree node by node,
 * which is what keeps the native binding fast: one query call, few node accesses.
 */
import type { Capture, SyntaxNode } from '../parser/adapter.js';
import {
  emptyFacts,
  type BranchStep,
  type FileFacts,
  type RawDef,
  type RawDecorator,
  type RawDynamic,
  type RawReference,
} from './facts.js';
import { readImport } from './extract-imports.js';
import { collapse, rangeFingerprinter, stripComments } from './text.js';

type FrameKind = 'function' | 'class' | 'lambda' | 'decorated' | 'if' | 'except' | 'step';

interface Frame {
  kind: FrameKind;
  start: number;
  end: number;
  /** Definition record when this function/class is reachable by attribute path. */
  def: RawDef | null;
  /** Functions: end of the header (parameters, return type); defaults evaluate outside the body. */
  headerEnd: number;
  step: BranchStep | null;
  decorators: RawDecorator[];
  /** `if` frames: the condition text, for the steps of their branches. */
  condition: string;
  /** decorated frames: start of the whole decorated definition, for the fingerprint. */
  node: SyntaxNode;
}

const STEP_CAPTURES: Record<string, BranchStep['kind']> = {
  'try.body': 'try',
  'try.else': 'try-else',
  'finally.body': 'finally',
  'with.body': 'with',
  'loop.body': 'loop',
  'loop.else': 'loop-else',
  'case.body': 'case',
};

/** A capture with its range read once: every node property is a native call in the node binding. */
interface Located {
  name: string;
  node: SyntaxNode;
  start: number;
  end: number;
}

const locate = (captures: Capture[]): Located[] =>
  captures
    .map(({ name, node }) => ({ name, node, start: node.startIndex, end: node.endIndex }))
    .sort((a, b) => a.start - b.start || b.end - a.end);

/** 1-based line of a string index, by binary search over line starts (no native calls). */
const lineIndex = (source: string) => {
  const starts = [0];
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return (index: number): number => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
};

/** What an interface-only body can start with: a comment, `pass`, `...`, or a string and its prefix. */
const INTERFACE_START = /^[#p."'rRuUbBfFtT]/;

const isInterfaceOnly = (body: SyntaxNode, source: string): boolean => {
  // Most bodies start with some other statement: decided without reading a node (each costs a
  // native call and an object); otherwise the statements are read one by one, up to the first other.
  if (!INTERFACE_START.test(source.slice(body.startIndex, body.startIndex + 1))) return false;
  for (let i = 0; ; i++) {
    const statement = body.namedChild(i);
    if (!statement) return true;
    if (statement.type === 'comment' || statement.type === 'pass_statement') continue;
    if (statement.type !== 'expression_statement' || statement.childCount !== 1) return false;
    const expression = statement.child(0);
    if (!expression || (expression.type !== 'string' && expression.type !== 'ellipsis')) return false;
  }
};

/** Collapsed first: `\s+as…$` on raw text backtracks quadratically over long blank runs. */
const exceptText = (header: string) =>
  collapse(
    collapse(header)
      .replace(/^except\*?/, '')
      .replace(/:$/, '')
      .trimEnd()
      .replace(/ as \w+$/, ''),
  );

export type ExtractedFacts = Omit<FileFacts, 'decodeProblem' | 'encoding'>;

/**
 * Facts from captures that arrive in pieces (scan/gather.ts hands them over a gap and a body at a
 * time, so a module of 120,000 classes never holds all its captures at once). Each piece is sorted
 * on its own; `add` answers false, and takes nothing, when a piece would sort before what came
 * already: the caller then starts again with a new extractor.
 */
export interface Extractor {
  add(captures: Capture[]): boolean;
  readonly facts: ExtractedFacts;
}

/** One parsed file's facts from the whole query's captures (in any order). */
export const extractFacts = (source: string, captures: Capture[]): ExtractedFacts => {
  const extractor = createExtractor(source);
  extractor.add(captures);
  return extractor.facts;
};

/** `into`: facts to add to (scan/pieces.ts's pieces of one module); new ones by default. */
export const createExtractor = (source: string, into?: ExtractedFacts): Extractor => {
  const facts: ExtractedFacts = into ?? emptyFacts();
  const lineOf = lineIndex(source);
  const fingerprintOf = rangeFingerprinter(source);
  const textOf = (c: { start: number; end: number }) => source.slice(c.start, c.end);
  const stack: Frame[] = [];
  const push = (kind: FrameKind, c: Located, extra: Partial<Frame> = {}): Frame => {
    const frame: Frame = {
      kind,
      start: c.start,
      end: c.end,
      def: null,
      headerEnd: c.start,
      step: null,
      decorators: [],
      condition: '',
      node: c.node,
      ...extra,
    };
    stack.push(frame);
    return frame;
  };
  const top = (): Frame | undefined => stack[stack.length - 1];

  /**
   * Where code at `index` runs: the qualname of the class body ('' for the module), or null when
   * it runs at call time (inside a function or lambda body) or inside an unreachable class.
   */
  const scopeAt = (index: number): string | null => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i];
      if (frame.kind === 'lambda') return null;
      if (frame.kind === 'function') {
        if (index >= frame.headerEnd) return null;
        continue; // decorators, defaults and annotations run in the enclosing scope
      }
      if (frame.kind === 'class') return frame.def ? frame.def.qualname : null;
    }
    return '';
  };

  /** Steps between the top of the stack and the nearest class/module, and that owner. */
  const branchOf = () => {
    const branch: BranchStep[] = [];
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i];
      if (frame.kind === 'function' || frame.kind === 'lambda') return null;
      if (frame.kind === 'class') {
        const owner = frame.def;
        if (!owner) return null;
        return { branch: branch.reverse(), outer: [...owner.outerBranch, ...owner.branch], owner };
      }
      if (frame.step) branch.push(frame.step);
    }
    return { branch: branch.reverse(), outer: [] as BranchStep[], owner: null };
  };

  const openDefinition = (kind: 'function' | 'class', c: Located) => {
    const parent = top();
    const decorated = parent?.kind === 'decorated' && parent.end === c.end ? parent : null;
    const where = branchOf();
    const frame = push(kind, c);
    if (!where) return;
    const start = decorated ? decorated.start : c.start;
    frame.def = {
      name: '',
      qualname: where.owner ? `${where.owner.qualname}.` : '',
      isClass: kind === 'class',
      inClass: where.owner !== null,
      line: lineOf(c.start),
      endLine: lineOf(Math.max(c.start, c.end - 1)),
      async: kind === 'function' && source.startsWith('async', c.start),
      generator: false,
      decorators: decorated ? decorated.decorators : [],
      signature: '',
      branch: where.branch,
      outerBranch: where.outer,
      interfaceOnly: false,
      fingerprint: fingerprintOf(start, c.end),
    };
    facts.defs.push(frame.def);
  };

  const recordReference = (c: Located, context: RawReference['context']) => {
    const scope = scopeAt(c.start);
    if (scope !== null) facts.references.push({ name: textOf(c), line: lineOf(c.start), context, scope });
  };

  const recordDynamic = (kind: RawDynamic['kind'], c: Located, name: () => string) => {
    const scope = scopeAt(c.start);
    if (scope !== null) facts.dynamic.push({ kind, name: kind === 'slots' ? scope : name(), line: lineOf(c.start) });
  };

  // The last capture taken, in the order `locate` sorts by: a later piece must not sort before it.
  let lastStart = -1;
  let lastEnd = 0;
  const take = (c: Located) => {
    let frame = top();
    while (frame && !(frame.start <= c.start && c.end <= frame.end)) {
      stack.pop();
      frame = top();
    }
    switch (c.name) {
      case 'function':
      case 'class':
        openDefinition(c.name, c);
        break;
      case 'function.name':
      case 'class.name':
        if (frame?.def && !frame.def.name) {
          frame.def.name = textOf(c);
          frame.def.qualname += frame.def.name;
        }
        break;
      case 'function.parameters':
        if (!frame) break;
        frame.headerEnd = c.end;
        if (frame.def) frame.def.signature = collapse(stripComments(textOf(c)));
        break;
      case 'function.return_type':
        if (!frame) break;
        frame.headerEnd = c.end;
        if (frame.def) frame.def.signature += ` -> ${collapse(stripComments(textOf(c)))}`;
        break;
      case 'function.body':
        if (!frame) break;
        frame.headerEnd = c.start;
        if (frame.def) frame.def.interfaceOnly = isInterfaceOnly(c.node, source);
        break;
      case 'class.superclasses':
        if (frame?.def) frame.def.signature = collapse(stripComments(textOf(c)));
        break;
      case 'decorated':
        push('decorated', c);
        break;
      case 'decorator':
        if (frame?.kind === 'decorated') {
          frame.decorators.push({ text: collapse(textOf(c).replace(/^@\s*/, '')), line: lineOf(c.start) });
        }
        break;
      case 'lambda':
        push('lambda', c);
        break;
      case 'yield':
        for (let i = stack.length - 1; i >= 0; i--) {
          const owner = stack[i];
          if (owner.kind === 'lambda') break;
          if (owner.kind === 'function') {
            if (owner.def) owner.def.generator = true;
            break;
          }
        }
        break;
      case 'if':
        push('if', c);
        break;
      case 'if.condition':
        if (frame?.kind === 'if') frame.condition = collapse(textOf(c));
        break;
      case 'if.then':
        push('step', c, { step: { kind: 'if', text: frame?.condition ?? '' } });
        break;
      case 'elif':
        push('step', c, { step: { kind: 'elif', text: '' } });
        break;
      case 'elif.condition':
        if (frame?.step?.kind === 'elif') frame.step.text = collapse(textOf(c));
        break;
      case 'if.else':
        push('step', c, { step: { kind: 'else', text: frame?.kind === 'if' ? frame.condition : '' } });
        break;
      case 'except':
        push('except', c, { step: { kind: 'except', text: '' } });
        break;
      case 'except.body':
        if (frame?.kind === 'except' && frame.step) frame.step.text = exceptText(source.slice(frame.start, c.start));
        break;
      case 'import':
      case 'import.future': {
        const scope = scopeAt(c.start);
        const steps: BranchStep[] = [];
        for (const f of stack) if (f.step) steps.push(f.step);
        const raw = readImport(c.node, c.name === 'import.future', lineOf(c.start));
        if (raw) facts.imports.push({ ...raw, lazy: scope === null, condition: steps, inClass: !!scope });
        break;
      }
      case 'ref.argument':
      case 'ref.container':
      case 'ref.assignment':
      case 'ref.default':
        recordReference(c, c.name.slice(4) as RawReference['context']);
        break;
      case 'dynamic.call': {
        const kind = (c.node.childForFieldName('function')?.text ?? '') as RawDynamic['kind'];
        if (scopeAt(c.start) === null) break;
        const args = c.node.childForFieldName('arguments')?.namedChildren ?? [];
        // type(x) only reads a type; type(name, bases, ns) creates a class at run time.
        if (kind === 'type' && args.length !== 3) break;
        recordDynamic(kind, c, () => args[0]?.text ?? '');
        break;
      }
      case 'dynamic.attribute':
        recordDynamic('attribute', c, () => c.node.childForFieldName('left')?.childForFieldName('object')?.text ?? '');
        break;
      case 'dynamic.sysmodules':
        recordDynamic('sys.modules', c, () => 'sys.modules');
        break;
      case 'dynamic.slots':
        recordDynamic('slots', c, () => '');
        break;
      case 'error': {
        if (facts.errorLines.length < 20) facts.errorLines.push(lineOf(c.start));
        const last = facts.errorRanges[facts.errorRanges.length - 1];
        const range: [number, number] = [lineOf(c.start), lineOf(Math.max(c.start, c.end - 1))];
        if (!last || range[0] > last[1]) facts.errorRanges.push(range);
        break;
      }
      default: {
        const kind = STEP_CAPTURES[c.name];
        if (kind) push('step', c, { step: { kind } });
      }
    }
  };

  return {
    facts,
    add(captures) {
      if (captures.length === 0) return true;
      const located = locate(captures);
      const first = located[0];
      if (first.start < lastStart || (first.start === lastStart && first.end > lastEnd)) return false;
      for (const c of located) take(c);
      const last = located[located.length - 1];
      lastStart = last.start;
      lastEnd = last.end;
      return true;
    },
  };
};
