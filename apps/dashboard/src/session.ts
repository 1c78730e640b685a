/**
 * The master key for this tab: kept in session storage (gone when the tab
 * closes, never shared with other tabs or written to disk by the page),
 * sent only as a request header — never in a URL, where proxies, browser
 * history and access logs would keep it.
 */
const STORAGE_KEY = 'switchyard.masterKey';

export function storedKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the operator signs in again on each load
  }
}

export function storeKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {}
}

export function forgetKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {}
}
