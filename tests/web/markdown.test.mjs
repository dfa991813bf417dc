// Unit tests of the web client's markdown parser (web/src/markdown/parse.ts), run with `node --test` by
// tests/it/web_client.rs. esbuild compiles the TypeScript module to a temporary file first.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const web = fileURLToPath(new URL('../../web/', import.meta.url));
const { buildSync } = createRequire(join(web, 'package.json'))('esbuild');
const dir = mkdtempSync(join(tmpdir(), 'spot-md-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const out = join(dir, 'parse.mjs');
buildSync({ entryPoints: [join(web, 'src/markdown/parse.ts')], bundle: true, format: 'esm', outfile: out, logLevel: 'error' });
const { parse, safeUrl } = await import(pathToFileURL(out).href);

const text = (v) => ({ t: 'text', v });

test('plain text stays text, including markup', () => {
  assert.deepEqual(parse('<img src=x onerror=alert(1)>'), [text('<img src=x onerror=alert(1)>')]);
  assert.deepEqual(parse('a < b && c > d'), [text('a < b && c > d')]);
});

test('emphasis, strike, underline and spoilers nest', () => {
  assert.deepEqual(parse('**bold *and italic***'), [
    { t: 'b', c: [text('bold '), { t: 'i', c: [text('and italic')] }] },
  ]);
  assert.deepEqual(parse('~~gone~~ __under__ ||secret||'), [
    { t: 's', c: [text('gone')] },
    text(' '),
    { t: 'u', c: [text('under')] },
    text(' '),
    { t: 'spoiler', c: [text('secret')] },
  ]);
});

test('unclosed or spaced markers are literal', () => {
  assert.deepEqual(parse('2 * 3 * 4'), [text('2 * 3 * 4')]);
  assert.deepEqual(parse('**not closed'), [text('**not closed')]);
  assert.deepEqual(parse('snake_case_name'), [text('snake_case_name')]);
});

test('backslash escapes markup', () => {
  assert.deepEqual(parse('\\*not italic\\*'), [text('*not italic*')]);
});

test('code spans and blocks keep their content verbatim', () => {
  assert.deepEqual(parse('use `**x**` here'), [text('use '), { t: 'code', v: '**x**' }, text(' here')]);
  assert.deepEqual(parse('```rust\nfn main() {}\n```'), [{ t: 'pre', lang: 'rust', v: 'fn main() {}' }]);
  assert.deepEqual(parse('```\n<b>hi</b>\n```'), [{ t: 'pre', lang: '', v: '<b>hi</b>' }]);
});

test('quotes: line quotes and the rest-of-message quote', () => {
  assert.deepEqual(parse('> one\n> two\nafter'), [
    { t: 'quote', c: [text('one'), { t: 'br' }, text('two')] },
    text('after'),
  ]);
  assert.deepEqual(parse('>>> all\nof it'), [{ t: 'quote', c: [text('all'), { t: 'br' }, text('of it')] }]);
});

test('links only with http(s) URLs', () => {
  assert.deepEqual(parse('see https://example.com/a_b.'), [
    text('see '),
    { t: 'link', href: 'https://example.com/a_b', c: [text('https://example.com/a_b')] },
    text('.'),
  ]);
  assert.deepEqual(parse('[docs](https://example.com)'), [
    { t: 'link', href: 'https://example.com/', c: [text('docs')] },
  ]);
  assert.deepEqual(parse('[click](javascript:alert(1))'), [text('[click](javascript:alert(1))')]);
  assert.deepEqual(parse('javascript:alert(1)'), [text('javascript:alert(1)')]);
  assert.equal(safeUrl('javascript:alert(1)'), null);
  assert.equal(safeUrl('data:text/html,<script>'), null);
  assert.equal(safeUrl('HTTPS://EXAMPLE.COM'), 'https://example.com/');
});

test('a quote mark in a masked link cannot break out of the href', () => {
  const [node] = parse('[x](https://example.com/"onmouseover="alert(1))');
  assert.notEqual(node.t, 'link', 'parentheses inside the URL end the masked link early; the rest is text');
  for (const n of parse('[x](https://example.com/"onmouseover="alert(1))')) {
    if (n.t === 'link') assert.ok(!n.href.includes('"'), n.href);
  }
});

test('mentions, channels, roles, everyone and emoji shortcodes', () => {
  assert.deepEqual(parse('<@123> <@!4> <#56> <@&78> @everyone :tada: :nope:'), [
    { t: 'user', id: '123' },
    text(' '),
    { t: 'user', id: '4' },
    text(' '),
    { t: 'channel', id: '56' },
    text(' '),
    { t: 'role', id: '78' },
    text(' '),
    { t: 'everyone', v: '@everyone' },
    text(' '),
    { t: 'emoji', v: '🎉', name: 'tada' },
    text(' :nope:'),
  ]);
});

test('newlines become breaks', () => {
  assert.deepEqual(parse('a\nb'), [text('a'), { t: 'br' }, text('b')]);
});
