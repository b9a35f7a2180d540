/** Shell trees as plain data, to compare Docksmith's trees with tree-sitter's own Node API. */
import { readFileSync } from 'node:fs';
import { Language, Parser, type Node } from 'web-tree-sitter';
import type { ShNode } from '../../server/src/service/shell';
import { BASH_WASM, shellParser } from './service';

export interface Plain {
  type: string;
  named: boolean;
  field: string | undefined;
  start: number;
  end: number;
  text: string;
  isError: boolean;
  isMissing: boolean;
  children: Plain[];
}

function fromNode(node: Node, text: string, field: string | undefined): Plain {
  return {
    type: node.type,
    named: node.isNamed,
    field,
    start: node.startIndex,
    end: node.endIndex,
    text: text.slice(node.startIndex, node.endIndex),
    isError: node.type === 'ERROR',
    isMissing: node.isMissing,
    children: node.children.map((child, i) => fromNode(child!, text, node.fieldNameForChild(i) ?? undefined)),
  };
}

/** A tree of ours as plain data; every child's `parent` must be its parent. */
export function plain(node: ShNode): Plain {
  const { type, named, field, start, end, text, isError, isMissing } = node;
  for (const child of node.children) if (child.parent !== node) throw new Error(`${child.type}: wrong parent`);
  return { type, named, field, start, end, text, isError, isMissing, children: node.children.map(plain) };
}

/** tree-sitter-bash's tree of `text`, read through web-tree-sitter's Node API (its own parser). */
export async function treeSitterTrees(): Promise<(text: string) => Plain> {
  await shellParser(); // runs Parser.init
  const parser = new Parser();
  parser.setLanguage(await Language.load(readFileSync(BASH_WASM)));
  return (text) => {
    const tree = parser.parse(text)!;
    try {
      return fromNode(tree.rootNode, text, undefined);
    } finally {
      tree.delete();
    }
  };
}
