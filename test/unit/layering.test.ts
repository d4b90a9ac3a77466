import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The runtime (worker/, admin/) must not depend on operator scripts: whatever they import is
// bundled into the Worker and loaded by `npm start`. Checked on the source text, so an import
// added anywhere, static or dynamic, fails here before it ships.

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [full] : [];
  });
}

/** Module specifiers of `import … from`, `export … from`, `import('…')` and bare `import '…'`. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
  return found;
}

/** The file a relative specifier names (TypeScript resolution: .ts, .tsx, index.ts), or null for packages. */
function resolve(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base;
}

const under = (file: string, dir: string) => path.relative(path.join(root, dir), file).split(path.sep)[0] !== '..';

describe('layering', () => {
  it('no runtime file under worker/ or admin/ imports from scripts/', () => {
    const offending: string[] = [];
    for (const file of [...sourceFiles(path.join(root, 'worker')), ...sourceFiles(path.join(root, 'admin'))]) {
      for (const spec of specifiers(file)) {
        const target = resolve(file, spec);
        if (target && under(target, 'scripts')) offending.push(`${path.relative(root, file)} → ${spec}`);
      }
    }
    expect(offending).toEqual([]);
  });

  it('the Worker entry reaches neither scripts/ nor the Node-only seed and runtime modules', () => {
    const seen = new Set<string>();
    const queue = [path.join(root, 'worker/index.ts')];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file)) continue;
      seen.add(file);
      for (const spec of specifiers(file)) {
        const target = resolve(file, spec);
        if (target && existsSync(target)) queue.push(target);
      }
    }
    const reached = [...seen].map((f) => path.relative(root, f));
    expect(reached.length).toBeGreaterThan(20);
    expect(reached.filter((f) => f.startsWith('scripts/') || f.startsWith('worker/seed/') || f === 'worker/node.ts' || f === 'worker/node-runtime.ts')).toEqual([]);
  });

  it('the checker sees the imports it must refuse', () => {
    expect(specifiers(path.join(root, 'worker/node.ts'))).toContain('./seed/seed');
    expect(resolve(path.join(root, 'worker/x.ts'), '../scripts/cli/batch')).toBe(path.join(root, 'scripts/cli/batch.ts'));
    expect(under(path.join(root, 'scripts/cli/batch.ts'), 'scripts')).toBe(true);
    expect(under(path.join(root, 'worker/seed/seed.ts'), 'scripts')).toBe(false);
  });
});
