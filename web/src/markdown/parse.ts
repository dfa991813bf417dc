// Discord-flavoured markdown → a small syntax tree. The tree is turned into Preact elements by `render.tsx`;
// nothing is ever inserted as HTML, so user text can only ever become text nodes. Links are kept only when
// their URL parses with an http(s) scheme.

import { EMOJI } from './emoji';

export type Node =
  | { t: 'text'; v: string }
  | { t: 'br' }
  | { t: 'b' | 'i' | 'u' | 's' | 'spoiler' | 'quote'; c: Node[] }
  | { t: 'code'; v: string }
  | { t: 'pre'; lang: string; v: string }
  | { t: 'link'; href: string; c: Node[] }
  | { t: 'user' | 'channel' | 'role'; id: string }
  | { t: 'everyone'; v: string }
  | { t: 'emoji'; v: string; name: string }
  | { t: 'custom'; id: string; name: string };

/** Parses a whole message. */
export function parse(source: string): Node[] {
  const out: Node[] = [];
  const fence = /```(?:([\w+#-]{1,20})\n)?\n?([\s\S]*?)```/g;
  let last = 0;
  for (let m = fence.exec(source); m; m = fence.exec(source)) {
    if (m[2].trim() === '' && !m[1]) continue;
    out.push(...blocks(source.slice(last, m.index)));
    out.push({ t: 'pre', lang: (m[1] ?? '').toLowerCase(), v: m[2].replace(/\n$/, '') });
    last = fence.lastIndex;
  }
  out.push(...blocks(source.slice(last)));
  return out;
}

/** Block quotes (`> line`, `>>> rest`) and lines. */
function blocks(text: string): Node[] {
  if (!text) return [];
  const lines = text.split('\n');
  const out: Node[] = [];
  let quote: string[] | null = null;
  const flushQuote = () => {
    if (quote) out.push({ t: 'quote', c: lineNodes(quote) });
    quote = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith('>>> ')) {
      flushQuote();
      out.push({ t: 'quote', c: lineNodes([line.slice(4), ...lines.slice(i + 1)]) });
      return out;
    }
    if (line.startsWith('> ') || line === '>') {
      (quote ??= []).push(line.slice(2));
      continue;
    }
    flushQuote();
    if (out.length > 0 && out[out.length - 1].t !== 'quote') out.push({ t: 'br' });
    out.push(...inline(line));
  }
  flushQuote();
  return out;
}

function lineNodes(lines: string[]): Node[] {
  const out: Node[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ t: 'br' });
    out.push(...inline(line));
  });
  return out;
}

const PAIRED: [string, 'b' | 'u' | 's' | 'spoiler' | 'i'][] = [
  ['||', 'spoiler'],
  ['**', 'b'],
  ['__', 'u'],
  ['~~', 's'],
  ['*', 'i'],
  ['_', 'i'],
];

const ESCAPABLE = /[\\*_~`|<>:#@[\]()]/;

/** Inline spans. `links` is false inside a masked link's text. */
export function inline(text: string, links = true): Node[] {
  const out: Node[] = [];
  let buffer = '';
  const flush = () => {
    if (buffer) out.push({ t: 'text', v: buffer });
    buffer = '';
  };
  let i = 0;
  outer: while (i < text.length) {
    const rest = text.slice(i);
    const ch = text[i];
    if (ch === '\\' && ESCAPABLE.test(text[i + 1] ?? '')) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const run = /^`+/.exec(rest)![0];
      const close = text.indexOf(run, i + run.length);
      if (close > i + run.length) {
        flush();
        out.push({ t: 'code', v: text.slice(i + run.length, close) });
        i = close + run.length;
        continue;
      }
    }
    for (const [delim, kind] of PAIRED) {
      if (!rest.startsWith(delim)) continue;
      const close = findClose(text, i + delim.length, delim);
      if (close < 0) continue;
      if (delim === '_' && /\w/.test(text[close + 1] ?? '')) continue;
      flush();
      out.push({ t: kind, c: inline(text.slice(i + delim.length, close), links) });
      i = close + delim.length;
      continue outer;
    }
    const token = links ? linkAt(text, i) : null;
    if (token) {
      flush();
      out.push(token.node);
      i += token.length;
      continue;
    }
    const custom = /^<a?:(\w{2,32}):(\d{1,20})>/.exec(rest);
    if (custom) {
      flush();
      out.push({ t: 'custom', id: custom[2], name: custom[1] });
      i += custom[0].length;
      continue;
    }
    const mention = /^<(@!?|#|@&)(\d{1,20})>/.exec(rest);
    if (mention) {
      flush();
      const kind = mention[1] === '#' ? 'channel' : mention[1] === '@&' ? 'role' : 'user';
      out.push({ t: kind, id: mention[2] });
      i += mention[0].length;
      continue;
    }
    const everyone = /^@(everyone|here)\b/.exec(rest);
    if (everyone) {
      flush();
      out.push({ t: 'everyone', v: everyone[0] });
      i += everyone[0].length;
      continue;
    }
    const shortcode = /^:([a-z0-9_+-]{1,32}):/.exec(rest);
    if (shortcode && EMOJI[shortcode[1]]) {
      flush();
      out.push({ t: 'emoji', v: EMOJI[shortcode[1]], name: shortcode[1] });
      i += shortcode[0].length;
      continue;
    }
    buffer += ch;
    i += 1;
  }
  flush();
  return out;
}

/** The index of the closing delimiter, requiring non-empty, non-space-padded content. */
function findClose(text: string, from: number, delim: string): number {
  if (text[from] === ' ' || from >= text.length) return -1;
  let at = text.indexOf(delim, from + 1);
  while (at >= 0) {
    const single = delim.length === 1;
    // `*` must not be half of `**`.
    if (single && (text[at + 1] === delim || text[at - 1] === delim)) {
      at = text.indexOf(delim, at + 2);
      continue;
    }
    if (text[at - 1] !== ' ' && text[at - 1] !== '\\') {
      // In a longer run (`***` closing `**`), the closer is the run's end: the extra marks belong inside.
      while (!single && text[at + delim.length] === delim[0]) at++;
      return at;
    }
    at = text.indexOf(delim, at + 1);
  }
  return -1;
}

/** A safe http(s) URL, or null. */
export function safeUrl(raw: string): string | null {
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function linkAt(text: string, i: number): { node: Node; length: number } | null {
  const rest = text.slice(i);
  const masked = /^\[([^\][]{1,256})\]\(<?(https?:\/\/[^\s()<>]+)>?\)/.exec(rest);
  if (masked) {
    const href = safeUrl(masked[2]);
    if (href) return { node: { t: 'link', href, c: inline(masked[1], false) }, length: masked[0].length };
  }
  const angled = /^<(https?:\/\/[^\s<>]+)>/.exec(rest);
  if (angled) {
    const href = safeUrl(angled[1]);
    if (href) return { node: { t: 'link', href, c: [{ t: 'text', v: angled[1] }] }, length: angled[0].length };
  }
  if (!/^https?:\/\//.test(rest) || (i > 0 && /\w/.test(text[i - 1]))) return null;
  let raw = /^https?:\/\/[^\s<]+/.exec(rest)![0];
  // Trailing punctuation belongs to the sentence, and a closing paren only if the URL opened one.
  while (/[.,:;!?'"]$/.test(raw) || (raw.endsWith(')') && !raw.includes('('))) raw = raw.slice(0, -1);
  const href = safeUrl(raw);
  return href ? { node: { t: 'link', href, c: [{ t: 'text', v: raw }] }, length: raw.length } : null;
}
