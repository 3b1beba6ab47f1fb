/**
 * A chart README as React elements, never as HTML: headings, paragraphs, lists, fenced code,
 * quotes, inline code, emphasis and links. Raw HTML in the text stays visible text, and only
 * http(s) and in-page links become anchors, so a README cannot inject markup or script.
 */
import type { ReactNode } from 'react';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'rule' };

function blocksOf(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (/^\s*(```|~~~)/.test(line)) {
      const fence = line.trim().slice(0, 3);
      const body: string[] = [];
      i += 1;
      while (i < lines.length && !(lines[i] ?? '').trim().startsWith(fence)) {
        body.push(lines[i] ?? '');
        i += 1;
      }
      i += 1;
      blocks.push({ kind: 'code', text: body.join('\n') });
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: heading[2] ?? '' });
      i += 1;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      blocks.push({ kind: 'rule' });
      i += 1;
      continue;
    }
    const item = /^\s*([-*+]|\d+[.)])\s+/;
    if (item.test(line)) {
      const ordered = /^\s*\d/.test(line);
      const items: string[] = [];
      while (i < lines.length && item.test(lines[i] ?? '')) {
        items.push((lines[i] ?? '').replace(item, ''));
        i += 1;
        while (i < lines.length && /^\s{2,}\S/.test(lines[i] ?? '') && !item.test(lines[i] ?? '')) {
          items[items.length - 1] += ` ${(lines[i] ?? '').trim()}`;
          i += 1;
        }
      }
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i] ?? '')) {
        body.push((lines[i] ?? '').replace(/^\s*>\s?/, ''));
        i += 1;
      }
      blocks.push({ kind: 'quote', text: body.join(' ') });
      continue;
    }
    if (/^( {4}|\t)/.test(line)) {
      const body: string[] = [];
      while (i < lines.length && /^( {4}|\t)|^\s*$/.test(lines[i] ?? '')) {
        body.push((lines[i] ?? '').replace(/^( {4}|\t)/, ''));
        i += 1;
      }
      blocks.push({ kind: 'code', text: body.join('\n').trimEnd() });
      continue;
    }
    if (line.trim() === '') {
      i += 1;
      continue;
    }
    const body: string[] = [];
    while (
      i < lines.length &&
      (lines[i] ?? '').trim() !== '' &&
      !/^(#{1,6}\s|\s*(```|~~~)|\s*>|\s*([-*+]|\d+[.)])\s+)/.test(lines[i] ?? '')
    ) {
      body.push((lines[i] ?? '').trim());
      i += 1;
    }
    blocks.push({ kind: 'paragraph', text: body.join(' ') });
  }
  return blocks;
}

const INLINE =
  /(`[^`]+`)|(\*\*[^*]+\*\*|__[^_]+__)|(\*[^*\s][^*]*\*|_[^_\s][^_]*_)|(\[[^\]]+\]\([^)\s]+\))/;

function safeHref(href: string): string | undefined {
  if (/^https?:\/\//i.test(href) || href.startsWith('#')) return href;
  return undefined;
}

function inline(text: string, key = 0): ReactNode[] {
  const out: ReactNode[] = [];
  let rest = text;
  let n = key;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    const [whole, code, strong, em, link] = m;
    n += 1;
    if (code) out.push(<code key={n}>{code.slice(1, -1)}</code>);
    else if (strong) out.push(<strong key={n}>{inline(strong.slice(2, -2), n * 100)}</strong>);
    else if (em) out.push(<em key={n}>{inline(em.slice(1, -1), n * 100)}</em>);
    else if (link) {
      const parts = /^\[([^\]]+)\]\(([^)\s]+)\)$/.exec(link);
      const label = parts?.[1] ?? link;
      const href = safeHref(parts?.[2] ?? '');
      out.push(
        href ? (
          <a key={n} href={href} target="_blank" rel="noopener noreferrer">
            {inline(label, n * 100)}
          </a>
        ) : (
          <span key={n}>{label}</span>
        ),
      );
    }
    rest = rest.slice(m.index + whole.length);
  }
  return out;
}

export function Markdown({ source, headingBase = 3 }: { source: string; headingBase?: number }) {
  return (
    <div className="markdown">
      {blocksOf(source).map((b, i) => {
        const key = `${b.kind}-${i}`;
        switch (b.kind) {
          case 'heading': {
            const level = Math.min(6, headingBase + b.level - 1);
            const Tag = `h${level}` as 'h3';
            return <Tag key={key}>{inline(b.text)}</Tag>;
          }
          case 'paragraph':
            return <p key={key}>{inline(b.text)}</p>;
          case 'code':
            return (
              <pre key={key} className="code">
                <code>{b.text}</code>
              </pre>
            );
          case 'list': {
            const items = b.items.map((item, j) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a README's list items are known by their place
              <li key={`${key}-${j}`}>{inline(item)}</li>
            ));
            return b.ordered ? <ol key={key}>{items}</ol> : <ul key={key}>{items}</ul>;
          }
          case 'quote':
            return <blockquote key={key}>{inline(b.text)}</blockquote>;
          case 'rule':
            return <hr key={key} />;
          default:
            return null;
        }
      })}
    </div>
  );
}
