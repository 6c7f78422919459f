/**
 * The little XML S3's request bodies need (CompleteMultipartUpload, Delete, LifecycleConfiguration, ...): elements,
 * text, no attributes kept, no DTDs. A body that is not well-formed is S3's MalformedXML.
 */
export interface XmlNode {
  name: string;
  text: string;
  children: XmlNode[];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, entity: string) => {
    if (entity.startsWith('#x') || entity.startsWith('#X')) return String.fromCodePoint(parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(parseInt(entity.slice(1), 10));
    return ENTITIES[entity] ?? whole;
  });
}

/** The document's root element, or undefined when the text is not well-formed XML. */
export function parseXml(source: string): XmlNode | undefined {
  const text = source.replace(/<\?xml[^>]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const stack: XmlNode[] = [{ name: '#document', text: '', children: [] }];
  const token = /<\/?([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)|(<)/g;
  for (let match = token.exec(text); match; match = token.exec(text)) {
    const [whole, name, , selfClosing, chars, stray] = match;
    const top = stack[stack.length - 1];
    if (stray) return undefined;
    if (chars !== undefined) {
      top.text += unescape(chars);
    } else if (whole.startsWith('</')) {
      if (top.name !== name.replace(/^\w+:/, '') || stack.length < 2) return undefined;
      stack.pop();
    } else {
      const node: XmlNode = { name: name.replace(/^\w+:/, ''), text: '', children: [] };
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    }
  }
  const roots = stack[0].children;
  if (stack.length !== 1 || roots.length !== 1 || stack[0].text.trim()) return undefined;
  return roots[0];
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node?.children.filter((c) => c.name === name) ?? [];
}

/** The text of a child element, trimmed; undefined when there is no such child. */
export function childText(node: XmlNode | undefined, name: string): string | undefined {
  const found = child(node, name);
  return found === undefined ? undefined : found.text.trim();
}
