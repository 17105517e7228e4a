/** import / from-import / __future__ statements → RawImport (relative levels kept, resolved later). */
import type { SyntaxNode } from '../parser/adapter.js';
import type { RawImport, RawImportName } from './facts.js';

type Partial = Omit<RawImport, 'lazy' | 'condition' | 'inClass'>;

const readName = (node: SyntaxNode): RawImportName | null => {
  if (node.type === 'dotted_name') return { name: node.text, asname: null };
  if (node.type === 'aliased_import') {
    const name = node.childForFieldName('name')?.text;
    const alias = node.childForFieldName('alias')?.text ?? null;
    return name ? { name, asname: alias } : null;
  }
  return null;
};

export const readImport = (node: SyntaxNode, future: boolean, line: number): Partial | null => {
  if (node.type === 'import_statement') {
    const names = node.namedChildren.flatMap((child) => (child ? (readName(child) ?? []) : []));
    return { kind: 'import', module: '', level: 0, names, wildcard: false, line };
  }
  const moduleNode = future ? null : node.childForFieldName('module_name');
  let module = future ? '__future__' : '';
  let level = 0;
  if (moduleNode?.type === 'relative_import') {
    const text = moduleNode.text;
    level = text.length - text.replace(/^\.+/, '').length;
    module = text.slice(level).trim();
  } else if (moduleNode) {
    module = moduleNode.text;
  }
  const names: RawImportName[] = [];
  let wildcard = false;
  for (const child of node.namedChildren) {
    if (!child || (moduleNode && child.startIndex === moduleNode.startIndex)) continue;
    if (child.type === 'wildcard_import') wildcard = true;
    const name = readName(child);
    if (name) names.push(name);
  }
  return { kind: future ? 'future' : 'from', module, level, names, wildcard, line };
};
