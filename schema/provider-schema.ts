/**
 * Types of the `terraform providers schema -json` format (format_version 1.0) for the parts this
 * project uses: Plugin Framework attributes with `nested_type`, no blocks.
 */
export type CtyType = 'string' | 'number' | 'bool' | readonly ['list' | 'set' | 'map', CtyType];

export type NestingMode = 'single' | 'list' | 'set' | 'map';

export interface NestedType {
  /** Absent for an empty object type (the real v0.9.7 schema has 34, e.g. `devices.controllers.address`). */
  attributes?: Record<string, SchemaAttribute>;
  nesting_mode: NestingMode;
}

export interface SchemaAttribute {
  type?: CtyType;
  nested_type?: NestedType;
  description?: string;
  description_kind?: 'plain' | 'markdown';
  required?: boolean;
  optional?: boolean;
  computed?: boolean;
  sensitive?: boolean;
}

export interface SchemaBlock {
  attributes?: Record<string, SchemaAttribute>;
  block_types?: Record<string, unknown>;
  description?: string;
  description_kind?: 'plain' | 'markdown';
}

export interface ResourceSchema {
  version: number;
  block: SchemaBlock;
}

export interface ProviderSchemaEntry {
  provider: ResourceSchema;
  resource_schemas: Record<string, ResourceSchema>;
  data_source_schemas: Record<string, ResourceSchema>;
}

export interface ProviderSchemaFile {
  format_version: string;
  provider_schemas: Record<string, ProviderSchemaEntry>;
  /** Added for @cdktf/provider-generator: becomes the version constraint in `required_providers`. */
  provider_versions?: Record<string, string>;
}

export const LIBVIRT_PROVIDER_KEY = 'registry.terraform.io/dmacvicar/libvirt';
export const LIBVIRT_PROVIDER_VERSION = '0.9.7';
