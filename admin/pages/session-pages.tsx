import { ROLE_LABELS } from '../../worker/domain/vocabulary';
import { attemptLogin, INVALID_LOGIN, lockMessage, sessionPrincipal } from '../auth';
import { actorOf, principalOf, type AdminContext } from '../context';
import { invalidInput } from '../../worker/errors';
import { formAction } from '../actions';
import { loginForm, passwordForm, type FieldErrors } from '../forms';
import { hashPassword, verifyPassword } from '../password';
import { homePath } from '../permissions';
import type { RouteTable } from '../route-table';
import { found } from '../request';
import { clearSessionCookie, signSession, writeSessionCookie } from '../session';
import { Bi, Flash, FormErrors, Input, type FormValues } from '../ui/components';
import { Layout, PageTitle, STYLESHEET_PATH } from '../ui/layout';
import { ADMIN_CSS } from '../ui/stylesheet';
import { endSessions, getUser, setPassword } from '../../worker/db/users-and-tokens';
import { clientAddress } from '../../worker/client-address';
import { fmtDateTime } from '../ui/format';
import { isCleanText } from '../../worker/domain/text';

/**
 * Only a path inside the admin UI may be the target after sign-in (no open redirect), and
 * only one that can stand in a Location header: a control character (CR LF) is refused.
 */
export function safeNext(next: string | undefined): string | null {
  if (!next || !next.startsWith('/admin') || next.startsWith('//') || next.includes('\\') || !isCleanText(next)) return null;
  if (next.startsWith('/admin/login') || next.startsWith('/admin/logout')) return null;
  return next;
}

function LoginPage(props: { values: FormValues; errors?: FieldErrors; message?: { vi: string; en: string }; next?: string | null }) {
  return (
    <Layout title="Đăng nhập / Sign in" principal={null}>
      <div class="login card">
        <PageTitle vi="Đăng nhập" en="Sign in" />
        {props.message ? (
          <div class="flash error" role="alert">
            {props.message.vi} <span lang="en">{props.message.en}</span>
          </div>
        ) : null}
        <form method="post" action={props.next ? `/admin/login?next=${encodeURIComponent(props.next)}` : '/admin/login'} class="stack">
          <Input name="email" type="email" label={{ vi: 'Email', en: 'Email' }} values={props.values} errors={props.errors} autocomplete="username" required />
          <Input name="password" type="password" label={{ vi: 'Mật khẩu', en: 'Password' }} values={props.values} errors={props.errors} autocomplete="current-password" required />
          <div>
            <button type="submit">Đăng nhập / Sign in</button>
          </div>
        </form>
        <p class="muted">
          <Bi vi="Quên mật khẩu? Liên hệ quản trị tỉnh để được cấp lại." en="Forgot your password? Ask the province admin for a new one." />
        </p>
      </div>
    </Layout>
  );
}

function AccountPage(props: { c: AdminContext; email: string; createdAt: Date; values: FormValues; errors?: FieldErrors; done?: string | undefined }) {
  const p = principalOf(props.c);
  return (
    <Layout title="Tài khoản / Account" principal={p} current="/admin/account">
      <PageTitle vi="Tài khoản của tôi" en="My account" />
      <Flash done={props.done} />
      <div class="card">
        <dl class="facts">
          <dt>Email</dt>
          <dd>{props.email}</dd>
          <dt>
            <Bi vi="Vai trò" en="Role" />
          </dt>
          <dd>
            <Bi {...ROLE_LABELS[p.role]} />
          </dd>
          <dt>
            <Bi vi="Tạo lúc" en="Created" />
          </dt>
          <dd>{fmtDateTime(props.createdAt)}</dd>
        </dl>
      </div>
      <h2>
        <Bi vi="Đổi mật khẩu" en="Change password" />
      </h2>
      <FormErrors errors={props.errors} fields={['current', 'next', 'repeat']} />
      <form method="post" action="/admin/account/password" class="stack card">
        <Input name="current" type="password" label={{ vi: 'Mật khẩu hiện tại', en: 'Current password' }} values={props.values} errors={props.errors} autocomplete="current-password" required />
        <Input name="next" type="password" label={{ vi: 'Mật khẩu mới (ít nhất 12 ký tự)', en: 'New password (12+ characters)' }} values={props.values} errors={props.errors} autocomplete="new-password" required />
        <Input name="repeat" type="password" label={{ vi: 'Nhập lại mật khẩu mới', en: 'Repeat new password' }} values={props.values} errors={props.errors} autocomplete="new-password" required />
        <div>
          <button type="submit">Đổi mật khẩu / Change password</button>
        </div>
      </form>
    </Layout>
  );
}

export function registerSessionPages(r: RouteTable): void {
  r.get('/static/admin.css', 'public', (c) =>
    c.body(ADMIN_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );

  r.get('/login', 'public', async (c) => {
    const next = safeNext(c.req.query('next'));
    // Already signed in: go where the person was heading.
    const p = await sessionPrincipal(c);
    if (p) return c.redirect(next ?? homePath(p.role), 303);
    return c.html(<LoginPage values={{}} next={next} />);
  });

  r.post('/login', 'public', formAction({
    schema: loginForm,
    fields: ['email', 'password'],
    // The password is never sent back into the page.
    page: (c, form) => <LoginPage values={{ email: form.values.email ?? '' }} errors={form.errors} next={safeNext(c.req.query('next'))} />,
    act: async (c, input) => {
      const next = safeNext(c.req.query('next'));
      const values: FormValues = { email: input.email };
      const deps = c.var.deps;
      const result = await attemptLogin(c.var.db, deps, input.email, input.password, clientAddress(c, deps.config));
      if (!result.ok) {
        if (result.reason === 'locked') return c.html(<LoginPage values={values} message={lockMessage(result.until, deps.clock())} next={next} />, 429);
        return c.html(<LoginPage values={values} message={INVALID_LOGIN} next={next} />, 401);
      }
      const now = deps.clock();
      const token = await signSession(deps.sessionSecret, { userId: result.user.id, version: result.user.session_version, authTime: Math.floor(now.getTime() / 1000) }, now);
      writeSessionCookie(c, token, deps.config.secureCookies);
      return next ?? homePath(result.user.role);
    },
  }));

  r.post('/logout', 'account.self', async (c) => {
    const p = principalOf(c);
    await endSessions(c.var.db, actorOf(p), p.id);
    clearSessionCookie(c, c.var.config.secureCookies);
    return c.redirect('/admin/login', 303);
  });

  r.get('/account', 'account.self', async (c) => {
    const user = await getUser(c.var.db, principalOf(c).id);
    return c.html(<AccountPage c={c} email={user!.email} createdAt={user!.created_at} values={{}} done={c.req.query('done')} />);
  });

  r.post('/account/password', 'account.self', formAction({
    schema: passwordForm,
    fields: ['current', 'next', 'repeat'],
    load: async (c) => found(await getUser(c.var.db, principalOf(c).id)),
    // Passwords are never sent back into the page.
    page: (c, form, user) => <AccountPage c={c} email={user.email} createdAt={user.created_at} values={{}} errors={form.errors} />,
    act: async (c, input, user) => {
      if (!(await verifyPassword(input.current, user.password_hash))) throw invalidInput({ current: 'Mật khẩu hiện tại không đúng / Current password is wrong' });
      const p = principalOf(c);
      const updated = await setPassword(c.var.db, actorOf(p), p.id, await hashPassword(input.next), 'changed by the user');
      // Other sessions end; this one continues under the new version.
      const deps = c.var.deps;
      const now = deps.clock();
      writeSessionCookie(c, await signSession(deps.sessionSecret, { userId: p.id, version: updated.session_version, authTime: Math.floor(now.getTime() / 1000) }, now), deps.config.secureCookies);
      return '/admin/account?done=password';
    },
  }));
}

export { STYLESHEET_PATH };
