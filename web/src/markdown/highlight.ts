// Simple syntax highlighting for code blocks: comments, strings, numbers and keywords of the common languages,
// by one tokenizing regex. Produces (class, text) pairs; the renderer makes them text nodes in spans.

const KEYWORDS = new Set(
  (
    'as async await break case catch class const continue def default defer do elif else enum export extends ' +
    'false fn for from func function go if impl import in interface let loop match mod mut new nil None null ' +
    'package pass pub raise return self Self static struct super switch this throw trait true True False try ' +
    'type typeof use var void where while with yield lambda select from where insert update delete create table'
  ).split(' '),
);

const HASH_COMMENT_LANGS = new Set(['py', 'python', 'sh', 'bash', 'shell', 'zsh', 'toml', 'yaml', 'yml', 'rb', 'ruby']);

export type Token = [cls: string, text: string];

export function highlight(code: string, lang: string): Token[] {
  if (!lang || code.length > 20_000) return [['', code]];
  const comment = HASH_COMMENT_LANGS.has(lang) ? '#[^\\n]*' : '\\/\\/[^\\n]*|\\/\\*[\\s\\S]*?\\*\\/|--[^\\n]*';
  const pattern = new RegExp(
    `(${comment})|("(?:[^"\\\\\\n]|\\\\.)*"|'(?:[^'\\\\\\n]|\\\\.)*'|\`(?:[^\`\\\\]|\\\\.)*\`)|(\\b\\d[\\d_.]*(?:e[+-]?\\d+)?[a-z0-9]*\\b)|([A-Za-z_][\\w]*)`,
    'g',
  );
  const out: Token[] = [];
  let last = 0;
  for (let m = pattern.exec(code); m; m = pattern.exec(code)) {
    if (m.index > last) out.push(['', code.slice(last, m.index)]);
    const cls = m[1] ? 'hl-comment' : m[2] ? 'hl-string' : m[3] ? 'hl-number' : KEYWORDS.has(m[4]) ? 'hl-keyword' : '';
    if (!cls && m[4] && code[pattern.lastIndex] === '(') out.push(['hl-fn', m[0]]);
    else out.push([cls, m[0]]);
    last = pattern.lastIndex;
  }
  if (last < code.length) out.push(['', code.slice(last)]);
  return out;
}
