import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { pageEnd, pageStart, starsHtml, type OpenGraph } from './html';
import type { Lang } from './i18n';

export type { OpenGraph } from './html';

export interface LayoutProps {
  lang: Lang;
  title: string;
  /** Link to the same page in the other language. */
  switchHref: string;
  og?: OpenGraph | undefined;
  description?: string | undefined;
  children?: Child;
}

/** The page shell of every public page (the same strings the scan page uses). */
export function Layout(props: LayoutProps) {
  return (
    <>
      {raw(pageStart(props))}
      {props.children}
      {raw(pageEnd(props.lang))}
    </>
  );
}

/** Stars drawn as ★ (earned) and ☆ (not), with the number for screen readers. */
export function Stars(props: { n: number; lang: Lang }) {
  return <>{raw(starsHtml(props.n, props.lang))}</>;
}

/** The rendered page (the shell already starts with `<!doctype html>`). */
export async function renderPage(page: unknown): Promise<string> {
  return String(await (page as Promise<unknown>));
}
