// Log in as the demo analyst, see the navigation their role opens, log out; the page must not
// log a single console error or throw (every test collects pageerror and console.error).
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, DEMO_PASSWORD as PASSWORD } from './support';

async function logIn(page: Page, username: string, password = PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

test('analyst logs in, sees the navigation of the role, and logs out', async ({ page }) => {
  const errors = collectErrors(page);
  await logIn(page, 'analyst');
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByTestId('current-user')).toContainText('analyst');
  for (const section of ['Jobs', 'Breaks', 'Contracts']) await expect(nav.getByRole('link', { name: section, exact: true })).toBeVisible();
  // Upload is for ops, Admin for admin: not offered to an analyst.
  await expect(nav.getByRole('link', { name: 'Upload', exact: true })).toHaveCount(0);
  await expect(nav.getByRole('link', { name: 'Admin', exact: true })).toHaveCount(0);

  await nav.getByRole('button', { name: 'Log out' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(nav.getByRole('link', { name: 'Log in' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a wrong password is refused with a message, and pages need a login', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/admin/audit');
  await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Faudit$/);
  await page.getByLabel('Username').fill('analyst');
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.locator('form').getByRole('alert')).toContainText('Unknown username or wrong password');
  // The failed login answered 401, which the browser reports as a failed resource load; nothing else.
  expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
});

test('admin sees the audit log verified; an analyst is refused it', async ({ page, browser }) => {
  const errors = collectErrors(page);
  await page.goto('/login?next=/admin/audit');
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.getByTestId('audit-status')).toContainText('Chain verified');
  await expect(page.getByRole('cell', { name: 'auth.login' }).first()).toBeVisible();
  expect(errors).toEqual([]);

  const other = await browser.newPage();
  const otherErrors = collectErrors(other);
  await logIn(other, 'analyst');
  await expect(other.getByTestId('current-user')).toContainText('analyst');
  await other.goto('/admin/audit');
  await expect(other).toHaveURL(/\/forbidden/);
  await expect(other.getByRole('heading', { name: 'Not allowed' })).toBeVisible();
  expect(otherErrors).toEqual([]);
  await other.close();
});

test('responses carry the security headers and the session cookie is HttpOnly and SameSite', async ({ request }) => {
  const page = await request.get('/login');
  const headers = page.headers();
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBeTruthy();
  const login = await request.post('/api/auth/login', { data: { username: 'ops', password: PASSWORD } });
  expect(login.status()).toBe(200);
  const cookie = login.headers()['set-cookie'];
  expect(cookie).toMatch(/wb_session=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=(Lax|Strict)/i);
});

test('ops opens the upload page from the navigation; refused content shows its code, a FIX log starts a job', async ({ page }) => {
  const errors = collectErrors(page);
  await logIn(page, 'ops');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Upload', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Upload' })).toBeVisible();
  await expect(page.getByTestId('upload-form')).toHaveAttribute('data-ready', 'true');

  await page.getByTestId('file-input').setInputFiles({ name: 'notes.log', mimeType: 'text/plain', buffer: Buffer.from('just some notes\n') });
  await expect(page.getByRole('button', { name: 'Drop a file here or choose one' })).toContainText('notes.log');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'upload.not_fix' })).toBeVisible();

  const soh = '\x01';
  const fix = `8=FIX.4.4${soh}9=5${soh}35=0${soh}34=1${soh}49=A${soh}56=B${soh}52=20240102-10:00:00${soh}10=000${soh}\n`;
  await page.getByTestId('file-input').setInputFiles({ name: 'heartbeats.log', mimeType: 'text/plain', buffer: Buffer.from(fix.repeat(10)) });
  await expect(page.getByRole('button', { name: 'Drop a file here or choose one' })).toContainText('heartbeats.log');
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await expect(page.getByTestId('upload-result')).toContainText('Stored as');
  await expect(page.getByRole('progressbar', { name: 'Transfer progress' })).toHaveAttribute('value', String(fix.length * 10));
  await expect(page.getByTestId('job-status').first()).toHaveText(/QUEUED|AWAITING_CONTRACT|RUNNING|SUCCESS|PARTIAL_SUCCESS|FAILED/);
  // The refused upload answered 415, which the browser reports as a failed resource load; nothing else.
  expect(errors.filter((e) => !/status of 415/.test(e))).toEqual([]);
});
