// Accessibility check of a loaded page with axe-core (the reference rule engine), run inside
// the page itself. The source is evaluated through the DevTools protocol rather than added as
// a <script> tag: the public pages' CSP forbids scripts, and that must stay true for shoppers.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

/** One failed rule, with the elements that fail it (enough to find and fix them). */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; summary: string }[];
}

let source: Promise<string> | null = null;
function axeSource(): Promise<string> {
  source ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  return source;
}

/**
 * Runs axe on the whole document (WCAG 2.x A and AA rules plus axe's best practices) and
 * returns its violations; `[]` means none. Call it once the page shows what is to be checked.
 */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await axeSource());
  return page.evaluate(async () => {
    interface AxeNode { target: unknown[]; html: string; failureSummary?: string }
    interface AxeResult { id: string; impact?: string | null; help: string; helpUrl: string; nodes: AxeNode[] }
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeResult[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact ?? null,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html, summary: n.failureSummary ?? '' })),
    }));
  });
}
