/**
 * True when `cause` is Node's "cannot find module" error for `pkg` itself (not
 * for something `pkg` imports): an optional package the user has not
 * installed.
 */
export function isMissingPackage(cause: unknown, pkg: string): boolean {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = cause instanceof Error ? cause.message : String(cause);
  return message.includes(`'${pkg}'`) || message.includes(`"${pkg}"`);
}

/** The sentence that tells a user how to install an optional package. */
export function installHint(pkg: string): string {
  return `Install it with \`npm install ${pkg}\` or \`pnpm add ${pkg}\`.`;
}
