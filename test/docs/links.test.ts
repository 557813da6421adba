import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorOf } from '../../scripts/docs-config.js';

/** The pages whose links must resolve: the README and every page of docs/. */
const PAGES = [
  'README.md',
  ...readdirSync('docs')
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name)),
];

/** Markdown without fenced code blocks and inline code, where nothing is a link or a heading. */
function prose(markdown: string): string {
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}

/** Link targets: inline links and images, and reference definitions. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const inline = [...text.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)];
  const references = [...text.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)];
  return [...inline, ...references].map((match) => match[1]!);
}

/** GitHub's anchors of a page's headings (duplicates get -1, -2, ...). */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  const headings = markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '')
    .matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm);
  for (const [, heading] of headings) {
    // GitHub slugs the text a reader sees: a link's text, not its target.
    const base = anchorOf(heading!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    found.add(count === 0 ? base : `${base}-${count}`);
  }
  return found;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//');

describe('documentation links', () => {
  it('finds the pages and their links', () => {
    expect(PAGES).toContain('docs/api.md');
    expect(linkTargets('[a](b.md) ![i](c.png) `[x](no.md)`\n```\n[y](no.md)\n```\n[r]: d.md')).toEqual([
      'b.md',
      'c.png',
      'd.md',
    ]);
    expect([...anchors('# A `b` c\n## Federation\n## Federation\n## Measured (`npm run soak`)')]).toEqual([
      'a-b-c',
      'federation',
      'federation-1',
      'measured-npm-run-soak',
    ]);
  });

  it.each(PAGES)('every relative link of %s points at an existing file and heading', (page) => {
    const source = readFileSync(page, 'utf8');
    const broken: string[] = [];
    for (const target of linkTargets(source)) {
      if (isExternal(target)) continue;
      const [path = '', anchor] = target.split('#', 2);
      const file = path === '' ? page : normalize(join(dirname(page), decodeURIComponent(path)));
      if (!existsSync(file)) {
        broken.push(`${target}: no file ${file}`);
        continue;
      }
      if (anchor === undefined || anchor === '') continue;
      if (statSync(file).isDirectory() || !file.endsWith('.md')) {
        broken.push(`${target}: an anchor into something that is not a markdown page`);
        continue;
      }
      if (!anchors(readFileSync(file, 'utf8')).has(anchor)) broken.push(`${target}: no heading #${anchor}`);
    }
    expect(broken).toEqual([]);
  });

  it('links the README to the contract and to every page of docs/', () => {
    const readme = linkTargets(readFileSync('README.md', 'utf8'));
    for (const page of PAGES.filter((path) => path.startsWith('docs/'))) {
      expect(readme, `README links ${page}`).toContain(page);
    }
    const map = linkTargets(readFileSync('docs/README.md', 'utf8'));
    for (const page of PAGES.filter((path) => path.startsWith('docs/') && path !== 'docs/README.md')) {
      expect(map, `docs/README.md links ${page}`).toContain(page.slice('docs/'.length));
    }
  });
});
