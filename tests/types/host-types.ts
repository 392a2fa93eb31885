// host-types.ts — compiled only with the DOM lib (tests/js/types.test.mjs):
// there the host types in the declarations are the real ones, not `never`.
import type { WasmModule, HostResponse, HostURL } from 'sketchlab';
import type { CallOptions } from 'sketchlab/worker';

type IsNever<T> = [T] extends [never] ? true : false;
export const wasmModule: IsNever<WasmModule> = false;
export const response: IsNever<HostResponse> = false;
export const url: IsNever<HostURL> = false;
export const signal: IsNever<NonNullable<CallOptions['signal']>> = false;
export const sameModule = (m: WebAssembly.Module): WasmModule => m;
