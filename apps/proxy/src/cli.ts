#!/usr/bin/env node
// The CLI's entry. V8's heap settings go first, before the rest of the
// proxy is imported: loading it runs a full collection that already sets
// the old generation's limit for the first minutes under load (see
// server/old-generation-growth.ts).
import { limitOldGenerationGrowth } from './server/old-generation-growth';

limitOldGenerationGrowth();
// Not awaited: the CommonJS build has no top-level await; a failure to
// load is an unhandled rejection, which ends the process with its error.
void import('./cli-main');
