/**
 * A module's source cut into the pieces a runtime patch can act on, read with tree-sitter (never
 * imported): definitions at module and class level (functions, methods, classes, with their
 * decorators), and the statements around them — module-level ones, and those of each class body.
 * What sits inside a function is part of that function: a nested def changes its enclosing one.
 * Definitions inside a module-level `if`/`try` are not units of their own: they are part of that
 * statement, which runs at import.
 */
import type { PythonParser, SyntaxNode } from '../parser/adapter.js';
import { loadParser } from '../parser/adapter.js';
import { collapse } from '../scan/text.js';

export interface ClassHeader {
  name: string;
  /** Leading whitespace of the `class` line. */
  indent: string;
}

export interface DefUnit {
  type: 'def';
  qualname: string;
  kind: 'function' | 'method' | 'class';
  async: boolean;
  classes: ClassHeader[];
  /** Index among the definitions of this file with the same qualname (a property's getter and setter). */
  occurrence: number;
  /** 1-based lines: first (decorators included) and last; `defLine` is the `def`/`class` line. */
  start: number;
  end: number;
  defLine: number;
  /** Last line of a class's header (its `class` line, or the last line of a header split over several); `end` for functions. */
  headerEnd: number;
  /** Text of the decorator lines exactly, and of the rest (for classes: the header up to the body). */
  decorators: string;
  header: string;
  /** Full lines start..end, '\n'-joined, ending with '\n'. */
  text: string;
}

export interface StatementUnit {
  type: 'statement';
  /** '' for the module, the class's qualname for a class body. */
  scope: string;
  /** tree-sitter node type (`import_statement`, `expression_statement`, `if_statement` …). */
  node: string;
  start: number;
  end: number;
  text: string;
  /** Names this statement binds when it is a simple import or assignment; null when it is anything else. */
  binds: string[] | null;
  /** For imports, what each name of `binds` is bound to (`from .io_struct import AbortReq`): the same origin before and after is the same value. */
  origins: string[] | null;
  /** Why it is not simple (runs code at import in a way that cannot be repeated afterwards), when not. */
  notSimple: string | null;
  /** An `if __name__ == "__main__":` block at module level: it never runs when the module is imported. */
  mainGuard: boolean;
}

export interface Units {
  defs: DefUnit[];
  statements: StatementUnit[];
  /** Identifiers read or written by code that runs at import (outside function and lambda bodies), with their line. */
  importTime: { name: string; line: number; called: boolean }[];
  /**
   * Names bound by an import anywhere in the module's own scope (inside module-level if/try/with
   * too), sorted. CPython 3.11+ compiles `name.attr(...)` without LOAD_METHOD when `name` is one
   * of these, so a function compiled apart from its module has the patched file's bytecode only
   * if its compilation unit declares the same names imported.
   */
  moduleImports: string[];
  /** Imports that really run (not in `if TYPE_CHECKING:` blocks): each name bound (`*` for a star import), and the line. */
  runtimeImports: { name: string; line: number }[];
  /** The parse found syntax errors (lines), so the cut may be wrong. */
  errorLines: number[];
}

let parser: Promise<PythonParser> | null = null;
/** One parser per process; the query is unused (units walk the tree), but the adapter wants one. */
export const diffParser = (): Promise<PythonParser> =>
  (parser ??= loadParser('auto', { all: '(module) @module', structure: '(module) @module' }));

const lastRow = (node: SyntaxNode) =>
  node.endPosition.column === 0 && node.endPosition.row > node.startPosition.row
    ? node.endPosition.row - 1
    : node.endPosition.row;

const children = (node: SyntaxNode): SyntaxNode[] => node.namedChildren.filter((c): c is SyntaxNode => c !== null);

const SIMPLE_VALUE = new Set([
  'string',
  'concatenated_string',
  'integer',
  'float',
  'true',
  'false',
  'none',
  'identifier',
  'attribute',
  'tuple',
  'list',
  'dictionary',
  'set',
  'pair',
  'unary_operator',
  'binary_operator',
  'boolean_operator',
  'comparison_operator',
  'not_operator',
  'parenthesized_expression',
  'subscript',
  'call',
  'argument_list',
  'keyword_argument',
  'conditional_expression',
  'lambda',
  'lambda_parameters',
  'expression_list',
  'type',
  'generic_type',
  'type_parameter',
  'ellipsis',
  'string_start',
  'string_content',
  'string_end',
  'escape_sequence',
  'interpolation',
  'format_specifier',
  'slice',
  'keyword_separator',
  'list_splat',
  'dictionary_splat',
  'comment',
]);

/** Names bound by an assignment target made only of names (`a`, `a, b`, `(a, [b, c])`); null otherwise. */
const targetNames = (node: SyntaxNode): string[] | null => {
  if (node.type === 'identifier') return [node.text];
  if (
    ['pattern_list', 'tuple_pattern', 'list_pattern', 'tuple', 'list', 'parenthesized_expression'].includes(node.type)
  ) {
    const names: string[] = [];
    for (const child of children(node)) {
      const inner = targetNames(child);
      if (!inner) return null;
      names.push(...inner);
    }
    return names;
  }
  return null;
};

const isSimpleValue = (node: SyntaxNode): boolean => {
  if (!SIMPLE_VALUE.has(node.type)) return false;
  return children(node).every(isSimpleValue);
};

/** What a module- or class-level statement binds, if it is an import or an assignment to names. */
const simpleBinding = (
  node: SyntaxNode,
): { binds: string[] | null; origins: string[] | null; notSimple: string | null } => {
  const no = (why: string) => ({ binds: null, origins: null, notSimple: why });
  if (node.type === 'import_statement') {
    const names: string[] = [];
    const origins: string[] = [];
    for (const child of children(node)) {
      if (child.type === 'dotted_name') {
        names.push(child.text.split('.')[0].trim());
        origins.push(`import ${child.text.split('.')[0].trim()}`);
      } else if (child.type === 'aliased_import') {
        names.push(child.childForFieldName('alias')?.text ?? '');
        origins.push(`import ${collapse(child.childForFieldName('name')?.text ?? '')}`);
      }
    }
    return { binds: names, origins, notSimple: null };
  }
  if (node.type === 'import_from_statement') {
    const from = node.childForFieldName('module_name');
    if (from?.text === '__future__') return no('a __future__ import changes how the whole module compiles');
    const names: string[] = [];
    const origins: string[] = [];
    const source = collapse(from?.text ?? '');
    for (const child of children(node)) {
      if (child.startIndex === from?.startIndex) continue;
      if (child.type === 'wildcard_import') return no('a star import binds names that cannot be known statically');
      if (child.type === 'dotted_name') {
        names.push(child.text.trim());
        origins.push(`from ${source} import ${collapse(child.text)}`);
      } else if (child.type === 'aliased_import') {
        names.push(child.childForFieldName('alias')?.text ?? '');
        origins.push(`from ${source} import ${collapse(child.childForFieldName('name')?.text ?? '')}`);
      }
    }
    return { binds: names, origins, notSimple: null };
  }
  if (node.type === 'future_import_statement') return no('a __future__ import changes how the whole module compiles');
  if (node.type === 'expression_statement') {
    const inner = children(node);
    if (inner.length !== 1) return no('runs code at import');
    const expression = inner[0];
    if (expression.type === 'string' || expression.type === 'concatenated_string')
      return no('a docstring (or a bare string) is only a docstring where it stands');
    if (expression.type === 'assignment') {
      // Chained `a = b = 1` nests assignments on the right.
      const names: string[] = [];
      let current: SyntaxNode | null = expression;
      while (current?.type === 'assignment') {
        const left = current.childForFieldName('left');
        const got = left ? targetNames(left) : null;
        if (!got) return no('assigns to an attribute or item (changes another object)');
        names.push(...got);
        const right = current.childForFieldName('right');
        if (right && right.type !== 'assignment' && !isSimpleValue(right))
          return no('its value is computed by code that is more than an expression of names and calls');
        current = right;
      }
      return { binds: names, origins: null, notSimple: null };
    }
    if (expression.type === 'augmented_assignment') {
      const left = expression.childForFieldName('left');
      if (left?.type !== 'identifier') return no('assigns to an attribute or item (changes another object)');
      return { binds: [left.text], origins: null, notSimple: null };
    }
    return no(`${expression.type === 'call' ? 'a call' : 'an expression'} run at import`);
  }
  if (node.type === 'type_alias_statement') {
    const left = node.childForFieldName('left');
    return left ? { binds: [left.text.split('[')[0]], origins: null, notSimple: null } : no('runs code at import');
  }
  if (node.type === 'pass_statement') return { binds: [], origins: null, notSimple: null };
  const kind = node.type.replace(/_statement$/, '').replace(/_/g, ' ');
  const compound = ['if', 'for', 'while', 'try', 'with', 'match'].includes(kind);
  const word = kind === 'delete' ? 'del' : kind;
  return no(
    compound ? `${kind} block run at import` : `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word} statement run at import`,
  );
};

/** Identifiers outside function and lambda bodies: what runs when the module is imported. */
const collectImportTime = (node: SyntaxNode, out: Units['importTime'], called: boolean, lazyAnnotations: boolean) => {
  if (lazyAnnotations && node.type === 'type') return;
  if (node.type === 'identifier') {
    out.push({ name: node.text, line: node.startPosition.row + 1, called });
    return;
  }
  if (node.type === 'comment' || node.type === 'string') return;
  if (node.type === 'function_definition') {
    for (const child of children(node))
      if (child.type !== 'block' && child.type !== 'identifier') collectImportTime(child, out, false, lazyAnnotations);
    return;
  }
  if (node.type === 'lambda') return;
  if (node.type === 'attribute') {
    // `obj.name`: only the object is a name lookup.
    const object = node.childForFieldName('object');
    if (object) collectImportTime(object, out, false, lazyAnnotations);
    return;
  }
  if (node.type === 'keyword_argument') {
    const value = node.childForFieldName('value');
    if (value) collectImportTime(value, out, false, lazyAnnotations);
    return;
  }
  if (node.type === 'call') {
    const fn = node.childForFieldName('function');
    for (const child of children(node))
      collectImportTime(
        child,
        out,
        child.startIndex === fn?.startIndex && child.endIndex === fn.endIndex,
        lazyAnnotations,
      );
    return;
  }
  if (node.type === 'decorator') {
    for (const child of children(node)) collectImportTime(child, out, true, lazyAnnotations);
    return;
  }
  for (const child of children(node)) collectImportTime(child, out, false, lazyAnnotations);
};

const MAIN_GUARD = /^(__name__\s*==\s*(['"])__main__\2|(['"])__main__\3\s*==\s*__name__)$/;

/** `if __name__ == "__main__":` without elif/else: its body runs only when the file is run as a script. */
const isMainGuard = (node: SyntaxNode): boolean => {
  if (node.type !== 'if_statement') return false;
  const condition = node.childForFieldName('condition');
  if (!condition || !MAIN_GUARD.test(condition.text.trim())) return false;
  return !children(node).some((c) => c.type === 'elif_clause' || c.type === 'else_clause');
};

export const readUnits = (parser: PythonParser, source: string): Units => {
  const lines = source.split('\n');
  const textOf = (start: number, end: number) => lines.slice(start - 1, end).join('\n') + '\n';
  const units: Units = {
    defs: [],
    statements: [],
    importTime: [],
    moduleImports: [],
    runtimeImports: [],
    errorLines: [],
  };
  const seen = new Map<string, number>();
  parser.withTree(source, ({ root }) => {
    if (root.hasError) {
      const walk = (n: SyntaxNode) => {
        if (units.errorLines.length >= 20) return;
        if (n.type === 'ERROR' || (n as { isMissing?: boolean }).isMissing)
          units.errorLines.push(n.startPosition.row + 1);
        for (const c of children(n)) if (c.hasError || c.type === 'ERROR') walk(c);
      };
      walk(root);
    }
    // With `from __future__ import annotations`, annotations are strings: not evaluated at import.
    const lazyAnnotations = children(root).some(
      (n) => n.type === 'future_import_statement' && /\bannotations\b/.test(n.text),
    );
    for (const node of children(root))
      if (!isMainGuard(node)) collectImportTime(node, units.importTime, false, lazyAnnotations);
    const imported = new Set<string>();
    const atRuntime: { name: string; line: number }[] = [];
    const collectImports = (node: SyntaxNode, typing: boolean) => {
      if (node.type === 'function_definition' || node.type === 'class_definition' || node.type === 'lambda') return;
      if (node.type === 'import_statement' || node.type === 'import_from_statement') {
        const star = children(node).some((c) => c.type === 'wildcard_import');
        if (star && !typing) atRuntime.push({ name: '*', line: node.startPosition.row + 1 });
        for (const name of simpleBinding(node).binds ?? []) {
          imported.add(name);
          if (!typing) atRuntime.push({ name, line: node.startPosition.row + 1 });
        }
        return;
      }
      const guard =
        node.type === 'if_statement' &&
        /^(typing\.)?TYPE_CHECKING$/.test(node.childForFieldName('condition')?.text.trim() ?? '');
      for (const child of children(node)) collectImports(child, typing || (guard && child.type === 'block'));
    };
    collectImports(root, false);
    units.moduleImports = [...imported].sort();
    units.runtimeImports = atRuntime;
    const visit = (block: SyntaxNode, classes: ClassHeader[], scope: string) => {
      for (const node of children(block)) {
        if (node.type === 'comment') continue;
        const decorated = node.type === 'decorated_definition' ? node : null;
        const definition = decorated ? decorated.childForFieldName('definition') : node;
        if (definition && (definition.type === 'function_definition' || definition.type === 'class_definition')) {
          const name = definition.childForFieldName('name')?.text ?? '';
          const qualname = scope ? `${scope}.${name}` : name;
          const occurrence = seen.get(qualname) ?? 0;
          seen.set(qualname, occurrence + 1);
          const start = node.startPosition.row + 1;
          const defLine = definition.startPosition.row + 1;
          const end = lastRow(node) + 1;
          const isClass = definition.type === 'class_definition';
          const body = definition.childForFieldName('body');
          const headerEnd = isClass && body ? Math.max(defLine, body.startPosition.row) : end;
          units.defs.push({
            type: 'def',
            qualname,
            kind: isClass ? 'class' : classes.length > 0 ? 'method' : 'function',
            async: !isClass && definition.child(0)?.type === 'async',
            classes,
            occurrence,
            start,
            end,
            defLine,
            headerEnd,
            decorators: defLine > start ? textOf(start, defLine - 1) : '',
            // A class's header is its `class` line(s) up to the body; a function's is all of it.
            header: textOf(defLine, headerEnd),
            text: textOf(start, end),
          });
          if (isClass && body) {
            const line = lines[defLine - 1] ?? '';
            visit(body, [...classes, { name, indent: line.slice(0, line.length - line.trimStart().length) }], qualname);
          }
          continue;
        }
        const start = node.startPosition.row + 1;
        const end = lastRow(node) + 1;
        const { binds, origins, notSimple } = simpleBinding(node);
        units.statements.push({
          type: 'statement',
          scope,
          node: node.type,
          start,
          end,
          text: textOf(start, end),
          binds,
          origins,
          notSimple,
          mainGuard: scope === '' && isMainGuard(node),
        });
      }
    };
    visit(root, [], '');
  });
  return units;
};
