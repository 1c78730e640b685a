import type { Deployment } from '@switchyard/router';
import { isAdmin, type Principal } from '../http/auth';
import { modelDenial } from '../keys/admission';
import type { ProxyContext } from '../server/proxy-context';

/**
 * Whether the caller may call the model (or alias) `name`, and so see it:
 * admins see every model; a virtual key only those its key, team and user
 * allow-lists let it call (the rule admission enforces on requests).
 */
export function canSeeModel(
  ctx: ProxyContext,
  principal: Principal | undefined,
  name: string,
): boolean {
  // Not a virtual key: an admin (see isAdmin).
  if (principal?.kind !== 'key') return true;
  const group = ctx.router.modelGroup(name)?.name ?? name;
  return modelDenial(principal.record, name, group) === undefined;
}

/** The model names and visible aliases `/v1/models` lists for the caller. */
export function visibleModels(ctx: ProxyContext, principal: Principal | undefined): string[] {
  const all = ctx.router.modelGroups();
  return isAdmin(principal) ? all : all.filter(name => canSeeModel(ctx, principal, name));
}

/**
 * The deployments `/model/info` and `/health` show the caller: for a
 * virtual key, those of the groups it may call under their own name or an alias.
 */
export function visibleDeployments(
  ctx: ProxyContext,
  principal: Principal | undefined,
): readonly Deployment[] {
  const all = ctx.router.deployments();
  if (isAdmin(principal)) return all;
  const groups = new Set<string>();
  for (const name of visibleModels(ctx, principal))
    groups.add(ctx.router.modelGroup(name)?.name ?? name);
  return all.filter(d => groups.has(d.modelName));
}
