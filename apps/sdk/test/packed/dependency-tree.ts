/**
 * An installed app's dependency tree as `npm ls --all` draws it, with the
 * versions left out (so a dependency's patch release does not change it):
 * what the README shows for an app with only the vLLM provider.
 */
import { run } from './throwaway-app';

interface NpmLsNode {
  /** Absent for a dependency that is not installed. */
  version?: string;
  /** Set for an optional peer that is not installed: npm lists it, but nothing is on disk. */
  missing?: boolean;
  dependencies?: Record<string, NpmLsNode>;
}

/** Draws `node`'s dependencies below `prefix`; a package met before is marked `deduped`, as npm does. */
function draw(node: NpmLsNode, prefix: string, seen: Set<string>, lines: string[]): void {
  const installed = Object.entries(node.dependencies ?? {}).filter(
    ([, child]) => child.version !== undefined && child.missing !== true,
  );
  const names = installed.map(([name]) => name).sort();
  names.forEach((name, index) => {
    const last = index === names.length - 1;
    const child = node.dependencies![name]!;
    const repeated = seen.has(name);
    lines.push(`${prefix}${last ? '└── ' : '├── '}${name}${repeated ? ' deduped' : ''}`);
    seen.add(name);
    if (!repeated) draw(child, `${prefix}${last ? '    ' : '│   '}`, seen, lines);
  });
}

/** The tree of the app installed in `cwd`, first line its name. */
export async function dependencyTree(cwd: string): Promise<string> {
  const root = JSON.parse(await run('npm', ['ls', '--all', '--json'], { cwd })) as NpmLsNode & {
    name: string;
  };
  const lines = [root.name];
  draw(root, '', new Set(), lines);
  return lines.join('\n');
}

/** The ```text block of `markdown` that follows the line mentioning `marker`. */
export function textBlockAfter(markdown: string, marker: string): string | undefined {
  const at = markdown.indexOf(marker);
  if (at === -1) return undefined;
  return /```text\n([\s\S]*?)\n```/.exec(markdown.slice(at))?.[1];
}
