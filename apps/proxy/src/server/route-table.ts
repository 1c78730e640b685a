import {
  keyDeleteRoute,
  keyGenerateRoute,
  keyInfoRoute,
  keyListRoute,
  keyRegenerateRoute,
  keyUpdateRoute,
} from '../keys/key-routes';
import { globalSpendRoute, spendLogsRoute } from '../keys/spend-routes';
import { teamInfoRoute, teamNewRoute, userInfoRoute, userNewRoute } from '../keys/user-team-routes';
import { healthRoute, livelinessRoute } from '../routes/health-routes';
import {
  chatCompletionsRoute,
  completionsRoute,
  embeddingsRoute,
  rerankRoute,
} from '../routes/inference-routes';
import { countTokensRoute, messagesRoute } from '../routes/messages-route';
import { metricsRoute } from '../routes/metrics-route';
import { modelInfoRoute, modelRetrieveRoute, modelsRoute } from '../routes/model-routes';
import { readinessRoute } from '../routes/readiness-route';
import { inputItemsRoute, responseByIdRoute, responsesRoute } from '../routes/responses-route';
import { transcriptionRoute } from '../routes/transcription-route';
import { uiSpendRoute } from '../ui/spend-report';
import {
  uiModelsRoute,
  uiOverviewRoute,
  uiRequestsRoute,
  uiSessionRoute,
} from '../ui/ui-api-routes';
import { uiAssetRoute, uiIndexRoute } from '../ui/ui-static-routes';
import type { RouteDef } from './proxy-context';

/** A matched route and the name it is reported under (its `/v1` form). */
export interface RouteEntry {
  name: string;
  def: RouteDef;
}

/**
 * Every path the proxy serves, each also without its `/v1` prefix as
 * LiteLLM does. One Map lookup per request; no pattern matching.
 */
export function buildRouteTable(options: {
  metricsNeedAuth: boolean;
  /** Serve the admin page at `/ui` and its JSON endpoints (default off). */
  adminUi?: boolean;
}): Map<string, RouteEntry> {
  const table = new Map<string, RouteEntry>();
  const add = (name: string, def: RouteDef, aliases: string[] = []) => {
    for (const path of [name, ...aliases]) table.set(path, { name, def });
  };
  const v1 = (path: string, def: RouteDef, aliases: string[] = []) =>
    add(`/v1${path}`, def, [path, ...aliases]);
  v1('/chat/completions', chatCompletionsRoute);
  v1('/completions', completionsRoute);
  v1('/embeddings', embeddingsRoute);
  v1('/rerank', rerankRoute, ['/v2/rerank']);
  v1('/audio/transcriptions', transcriptionRoute);
  v1('/messages', messagesRoute);
  v1('/messages/count_tokens', countTokensRoute);
  v1('/responses', responsesRoute);
  add('/v1/responses/{id}', responseByIdRoute);
  add('/v1/responses/{id}/input_items', inputItemsRoute);
  v1('/models', modelsRoute);
  add('/v1/models/{model}', modelRetrieveRoute);
  v1('/model/info', modelInfoRoute);
  add('/health', healthRoute);
  add('/health/liveliness', livelinessRoute, ['/health/liveness']);
  add('/health/readiness', readinessRoute);
  add('/metrics', metricsRoute(options.metricsNeedAuth));
  add('/key/generate', keyGenerateRoute);
  add('/key/update', keyUpdateRoute);
  add('/key/info', keyInfoRoute);
  add('/key/delete', keyDeleteRoute);
  add('/key/list', keyListRoute);
  add('/key/regenerate', keyRegenerateRoute);
  add('/user/new', userNewRoute);
  add('/user/info', userInfoRoute);
  add('/team/new', teamNewRoute);
  add('/team/info', teamInfoRoute);
  add('/spend/logs', spendLogsRoute);
  add('/global/spend', globalSpendRoute);
  if (options.adminUi) {
    add('/ui', uiIndexRoute);
    add('/ui/{file}', uiAssetRoute);
    add('/ui/api/session', uiSessionRoute);
    add('/ui/api/overview', uiOverviewRoute);
    add('/ui/api/models', uiModelsRoute);
    add('/ui/api/requests', uiRequestsRoute);
    add('/ui/api/spend', uiSpendRoute);
  }
  return table;
}
