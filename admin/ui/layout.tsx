import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import { ROLE_LABELS } from '../../worker/domain/vocabulary';
import { can, type Permission, type Principal } from '../permissions';
import { Bi, type Label } from './components';

export const STYLESHEET_PATH = '/admin/static/admin.css';

const NAV: { href: string; label: Label; permission: Permission }[] = [
  { href: '/admin', label: { vi: 'Tổng quan', en: 'Dashboard' }, permission: 'dashboard.view' },
  { href: '/admin/certificates', label: { vi: 'Giấy chứng nhận', en: 'Certificates' }, permission: 'certificates.view' },
  { href: '/admin/evaluations', label: { vi: 'Đánh giá', en: 'Evaluations' }, permission: 'evaluations.view' },
  { href: '/admin/products', label: { vi: 'Sản phẩm', en: 'Products' }, permission: 'products.view' },
  { href: '/admin/producers', label: { vi: 'Chủ thể', en: 'Producers' }, permission: 'producers.view' },
  { href: '/admin/my-contact', label: { vi: 'Liên hệ', en: 'Contact' }, permission: 'producers.own_contact' },
  { href: '/admin/batches', label: { vi: 'Lô mã, nhãn', en: 'Batches, labels' }, permission: 'batches.view' },
  { href: '/admin/sales-points', label: { vi: 'Nơi bán', en: 'Sales points' }, permission: 'salesPoints.view' },
  { href: '/admin/units', label: { vi: 'Đơn vị hành chính', en: 'Administrative units' }, permission: 'units.view' },
  { href: '/admin/counterfeit', label: { vi: 'Phản ánh hàng giả', en: 'Counterfeit reports' }, permission: 'counterfeit.view' },
  { href: '/admin/reports', label: { vi: 'Báo cáo', en: 'Reports' }, permission: 'reports.view' },
  { href: '/admin/plans', label: { vi: 'Kế hoạch', en: 'Plans' }, permission: 'reports.view' },
  { href: '/admin/audit', label: { vi: 'Nhật ký', en: 'Audit log' }, permission: 'audit.view' },
  { href: '/admin/users', label: { vi: 'Người dùng', en: 'Users' }, permission: 'users.view' },
  { href: '/admin/tokens', label: { vi: 'Khóa API', en: 'API tokens' }, permission: 'tokens.view' },
  { href: '/admin/keys', label: { vi: 'Khóa ký', en: 'Signing keys' }, permission: 'keys.view' },
  { href: '/admin/import', label: { vi: 'Nhập sổ đăng ký', en: 'Import the register' }, permission: 'register.import' },
];

function Head(props: { title: string }) {
  return (
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width,initial-scale=1" />
      <meta name="robots" content="noindex" />
      <title>{props.title} · OCOP Verify</title>
      <link rel="stylesheet" href={STYLESHEET_PATH} />
    </head>
  );
}

export function Layout(props: { title: string; principal: Principal | null; current?: string; children?: Child }) {
  const p = props.principal;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="vi">
        <Head title={props.title} />
        <body>
          <header class="top">
            <a class="brand" href={p ? (p.role === 'producer' ? '/admin/products' : '/admin') : '/admin/login'}>
              OCOP Verify · Quản trị
            </a>
            {p ? (
              <span class="who">
                {p.name} ({ROLE_LABELS[p.role].vi}) · <a href="/admin/account">Tài khoản</a>{' '}
                <form method="post" action="/admin/logout">
                  <button type="submit">Đăng xuất / Sign out</button>
                </form>
              </span>
            ) : null}
          </header>
          {p ? (
            <nav class="main" aria-label="Điều hướng / Navigation">
              {NAV.filter((n) => can(p, n.permission)).map((n) => (
                <a href={n.href} aria-current={props.current === n.href ? 'page' : undefined}>
                  {n.label.vi}
                </a>
              ))}
            </nav>
          ) : null}
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}

export function PageTitle(props: { vi: string; en: string }) {
  return (
    <h1>
      <Bi {...props} />
    </h1>
  );
}
