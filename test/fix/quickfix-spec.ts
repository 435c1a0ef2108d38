import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// Reads the QuickFIX data dictionaries and acceptance definitions in ../shared/conformance
// (test data only: the product has its own dictionary). A tiny XML reader is enough: the
// files are machine-written, attributes quoted, no CDATA.

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CONFORMANCE_DIR = path.resolve(REPO_ROOT, '../shared/conformance');
export const QUICKFIX_DIR = path.join(CONFORMANCE_DIR, 'quickfix');
export const conformancePresent = existsSync(path.join(QUICKFIX_DIR, 'server')) && existsSync(path.join(QUICKFIX_DIR, 'spec'));

interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

function parseXml(text: string): XmlNode {
  const root: XmlNode = { tag: '#root', attrs: {}, children: [] };
  const stack: XmlNode[] = [root];
  const tagRe = /<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w:.-]+\s*=\s*(?:'[^']*'|"[^"]*"))*)\s*(\/?)>/g;
  const attrRe = /([\w:.-]+)\s*=\s*(?:'([^']*)'|"([^"]*)")/g;
  for (const m of text.matchAll(tagRe)) {
    const [, closing, tag, attrText, selfClosing] = m;
    if (closing) {
      stack.pop();
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(attrRe)) attrs[a[1]] = (a[2] ?? a[3]).replace(/&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    const node: XmlNode = { tag, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return root.children[0];
}

export interface SpecField {
  number: number;
  name: string;
  type: string;
  enums: Map<string, string>;
}

export interface SpecGroupOccurrence {
  /** Where the group occurs: message or component name. */
  where: string;
  firstField: string;
  /** Direct members (field and group names), components expanded. */
  members: string[];
}

export interface QuickfixSpec {
  version: string;
  fieldsByNumber: Map<number, SpecField>;
  numberByName: Map<string, number>;
  messages: Map<string, string>; // msgtype → name
  groups: Map<string, SpecGroupOccurrence[]>; // count field name → occurrences
}

function childrenNamed(node: XmlNode | undefined, tag: string): XmlNode[] {
  return node ? node.children.filter((c) => c.tag === tag) : [];
}

export function loadSpec(file: string): QuickfixSpec {
  const root = parseXml(readFileSync(path.join(QUICKFIX_DIR, 'spec', file), 'utf8'));
  const section = (tag: string) => root.children.find((c) => c.tag === tag);
  const fieldsByNumber = new Map<number, SpecField>();
  const numberByName = new Map<string, number>();
  for (const f of childrenNamed(section('fields'), 'field')) {
    const number = Number(f.attrs.number);
    const enums = new Map(childrenNamed(f, 'value').map((v) => [v.attrs.enum, v.attrs.description] as const));
    fieldsByNumber.set(number, { number, name: f.attrs.name, type: f.attrs.type, enums });
    numberByName.set(f.attrs.name, number);
  }
  const components = new Map(childrenNamed(section('components'), 'component').map((c) => [c.attrs.name, c] as const));
  const expand = (children: XmlNode[], seen: Set<string>): XmlNode[] =>
    children.flatMap((c) => {
      if (c.tag !== 'component') return [c];
      const def = components.get(c.attrs.name);
      if (!def || seen.has(c.attrs.name)) return [];
      return expand(def.children, new Set([...seen, c.attrs.name]));
    });
  const groups = new Map<string, SpecGroupOccurrence[]>();
  const walk = (node: XmlNode, where: string) => {
    for (const c of expand(node.children, new Set())) {
      if (c.tag !== 'group') continue;
      const members = expand(c.children, new Set()).filter((m) => m.tag === 'field' || m.tag === 'group');
      const list = groups.get(c.attrs.name) ?? [];
      list.push({ where, firstField: members[0]?.attrs.name ?? '', members: members.map((m) => m.attrs.name) });
      groups.set(c.attrs.name, list);
      walk(c, where);
    }
  };
  for (const m of childrenNamed(section('messages'), 'message')) walk(m, m.attrs.name);
  for (const [name, c] of components) walk(c, name);
  const header = section('header');
  if (header) walk(header, 'header');
  const messages = new Map(childrenNamed(section('messages'), 'message').map((m) => [m.attrs.msgtype, m.attrs.name] as const));
  return { version: file.replace(/\.xml$/, ''), fieldsByNumber, numberByName, messages, groups };
}

export const SPEC_FILES = ['FIX40.xml', 'FIX41.xml', 'FIX42.xml', 'FIX44.xml', 'FIXT11.xml'];
