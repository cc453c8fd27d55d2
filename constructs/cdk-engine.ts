/**
 * The one import point for the CDK engine. Everything hyperplan builds (stacks, constructs, the generated
 * libvirt bindings through their `cdktf` import) uses this module, so the engine is chosen in one place:
 * `cdktf` 0.21 (HashiCorp's CDKTF, deprecated December 2025) or CDK Terrain (`cdktn` 0.24, its community
 * fork), which installs under the `cdktf` name as a package alias (`"cdktf": "npm:cdktn@0.24.0"`) — CDK
 * Terrain keeps CDKTF's API, symbols and environment variables, so one build serves both.
 */
export * from 'cdktf';
// cdktf's own deep merge of `addOverride` values (cdktf and cdktn lib/util), which a stack's
// `toTerraform` reuses so its output stays the engine's.
export { deepMerge } from 'cdktf/lib/util.js';
// cdktf's process-wide registry of tokens (cdktf and cdktn lib/tokens/private/token-map), which
// constructs/token-registry.ts trims once a stack is written.
export { TokenMap } from 'cdktf/lib/tokens/private/token-map.js';
