import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../app-env';
import { pageEnd, pageStart, starsHtml, withDefaultOpenGraph, type OpenGraph } from './html';
import type { Lang } from './i18n';
import { ogImage } from './photos';

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

/**
 * The rendered page (the shell already starts with `<!doctype html>`), with the default Open
 * Graph card where the page has none of its own: every public page shares with a picture.
 */
export async function renderPage(c: Context<AppEnv>, page: unknown): Promise<string> {
  const html = String(await (page as Promise<unknown>));
  const base = c.var.config.publicBaseUrl;
  const url = new URL(c.req.url);
  // The page's own address: its path, and the language when the visitor chose English.
  const lang = url.searchParams.get('lang');
  const pageUrl = `${base}${url.pathname}${lang === 'en' ? '?lang=en' : ''}`;
  return withDefaultOpenGraph(html, pageUrl, ogImage(base, null));
}
