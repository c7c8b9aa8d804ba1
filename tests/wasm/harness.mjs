// What the wasm tests share: the committed wasm and engine.js, the ketluan
// binary, and a fixture site built once per test file.

import { before } from 'node:test';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = join(here, '..', '..');
export const bin =
  process.env.KETLUAN_BIN ?? join(process.env.CARGO_TARGET_DIR ?? join(repo, 'target'), 'debug', 'ketluan');
export const { openSearch } = await import(join(repo, 'theme/static/search/engine.js'));
export const wasm = readFileSync(join(repo, 'theme/static/search/ketluan-search.wasm'));

// Builds the site in tests/wasm/<name> before the file's tests; `built.out`
// is its output folder, removed when the process exits.
export function buildBefore(name) {
  const built = { site: join(here, name), out: undefined };
  before(() => {
    built.out = join(mkdtempSync(join(tmpdir(), `ketluan-${name}-`)), 'public');
    execFileSync(bin, ['build', '--root', built.site, '--output', built.out], { stdio: 'pipe' });
    process.on('exit', () => rmSync(dirname(built.out), { recursive: true, force: true }));
  });
  return built;
}
