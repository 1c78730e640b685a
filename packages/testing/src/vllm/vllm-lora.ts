/**
 * LoRA adapters, as vLLM serves them: each adapter is a model name of its
 * own (listed by `/v1/models` with `parent` = the base model), loaded at
 * start (`--lora-modules name=path`) or at run time through
 * `POST /v1/load_lora_adapter` and `/v1/unload_lora_adapter` — routes vLLM
 * registers only when `VLLM_ALLOW_RUNTIME_LORA_UPDATING` is set (otherwise
 * FastAPI's 404 `{"detail":"Not Found"}`). Each loaded adapter gets the
 * next integer id (vLLM's `lora_int_id`, from 1), which its KV events carry
 * as `lora_id`; blocks computed under an adapter never match the base
 * model's (the adapter's name is part of every block hash).
 */
import { sendJson } from '../shared/emulator-server';
import { checkFields } from './field-checks';
import { validationError } from './pydantic-message';
import type { RouteCall, VllmContext } from './vllm-context';
import { VllmHttpError } from './vllm-errors';
import { requireObjectBody } from './vllm-sampling';

/** An adapter to load: `--lora-modules name=path`. */
export interface LoraModule {
  name: string;
  path: string;
}

/** LoRA options of the vLLM emulator. */
export interface LoraOptions {
  /** `--lora-modules`: adapters loaded at start, ids 1, 2, … in this order. */
  modules?: LoraModule[];
  /**
   * `VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`: serve `/v1/load_lora_adapter`
   * and `/v1/unload_lora_adapter`. Default false (the routes do not exist).
   */
  allowRuntimeUpdating?: boolean;
  /**
   * Adapter paths a load can find (vLLM looks on disk or on the hub); any
   * other is vLLM's 404 "No adapter found". Default: every path is found.
   */
  availablePaths?: string[];
}

/** One loaded adapter. */
export interface LoadedAdapter {
  readonly name: string;
  readonly path: string;
  /** vLLM's `lora_int_id`: what its KV events carry as `lora_id`. */
  readonly id: number;
}

/** The adapters one emulated server holds. */
export class LoraAdapters {
  readonly #byName = new Map<string, LoadedAdapter>();
  readonly #available: ReadonlySet<string> | undefined;
  #lastId = 0;
  /** Whether the runtime load / unload routes exist. */
  readonly runtimeUpdating: boolean;

  constructor(options: LoraOptions = {}) {
    this.runtimeUpdating = options.allowRuntimeUpdating === true;
    this.#available = options.availablePaths && new Set(options.availablePaths);
    for (const m of options.modules ?? []) {
      const failure = this.load(m.name, m.path, false);
      // vLLM refuses to start when a static adapter fails to load.
      if (failure) throw new Error(`--lora-modules ${m.name}=${m.path}: ${failure.message}`);
    }
  }

  /** The adapter served under `name`, if loaded. */
  get(name: string): LoadedAdapter | undefined {
    return this.#byName.get(name);
  }

  /** Every loaded adapter, in load order. */
  list(): LoadedAdapter[] {
    return [...this.#byName.values()];
  }

  /** Loads (or with `inPlace` reloads) an adapter; the error vLLM answers with when it cannot. */
  load(name: string, path: string, inPlace: boolean): VllmHttpError | undefined {
    if (!name || !path) {
      return invalidInput("Both 'lora_name' and 'lora_path' must be provided.");
    }
    const existing = this.#byName.get(name);
    if (existing && !inPlace) {
      return invalidInput(
        `The lora adapter '${name}' has already been loaded. If you want to load the adapter in place, set 'load_inplace' to True.`,
      );
    }
    if (this.#available && !this.#available.has(path)) {
      return new VllmHttpError({
        status: 404,
        type: 'NotFoundError',
        message: `Loading lora ${name} failed: No adapter found for ${path}`,
      });
    }
    // A reload keeps its id, as vLLM does.
    this.#byName.set(name, { name, path, id: existing?.id ?? ++this.#lastId });
    return undefined;
  }

  /** Unloads an adapter; the error vLLM answers with when it cannot. */
  unload(name: string): VllmHttpError | undefined {
    if (!name) return invalidInput("'lora_name' needs to be provided to unload a LoRA adapter.");
    if (!this.#byName.delete(name)) {
      return new VllmHttpError({
        status: 404,
        type: 'NotFoundError',
        message: `The lora adapter '${name}' cannot be found.`,
      });
    }
    return undefined;
  }
}

/** `POST /v1/load_lora_adapter` `{lora_name, lora_path, load_inplace?}`: plain-text success. */
export function handleLoadLora(ctx: VllmContext, call: RouteCall): void {
  if (!ctx.lora.runtimeUpdating) {
    notRegistered(call);
    return;
  }
  const body = requireObjectBody(call.body);
  checkBody(body, { lora_name: true, lora_path: true });
  const name = body.lora_name as string;
  const failure = ctx.lora.load(name, body.lora_path as string, body.load_inplace === true);
  if (failure) throw failure;
  sendText(call, `Success: LoRA adapter '${name}' added successfully.`);
}

/** `POST /v1/unload_lora_adapter` `{lora_name}`: plain-text success. */
export function handleUnloadLora(ctx: VllmContext, call: RouteCall): void {
  if (!ctx.lora.runtimeUpdating) {
    notRegistered(call);
    return;
  }
  const body = requireObjectBody(call.body);
  checkBody(body, { lora_name: true });
  const name = body.lora_name as string;
  const failure = ctx.lora.unload(name);
  if (failure) throw failure;
  sendText(call, `Success: LoRA adapter '${name}' removed successfully.`);
}

function checkBody(body: Record<string, unknown>, required: Record<string, boolean>): void {
  const rules = Object.fromEntries(
    Object.entries(required).map(([name, req]) => [
      name,
      { kind: 'string' as const, required: req },
    ]),
  );
  const issues = checkFields(body, { ...rules, load_inplace: { kind: 'bool' } });
  if (issues.length > 0) throw validationError(issues);
}

function invalidInput(message: string): VllmHttpError {
  return new VllmHttpError({ status: 400, type: 'InvalidUserInput', message });
}

/** Without the environment flag vLLM never registers the routes: FastAPI's own 404. */
function notRegistered(call: RouteCall): void {
  sendJson(call.res, 404, { detail: 'Not Found' });
}

/** vLLM answers success with a bare `Response(content=str)`: text, no media type. */
function sendText(call: RouteCall, text: string): void {
  const body = Buffer.from(text);
  call.res.writeHead(200, { 'content-length': String(body.length) });
  call.res.end(body);
}
