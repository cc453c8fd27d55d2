/**
 * Checks synthesized Terraform JSON against the provider schema snapshot: every attribute path must be
 * known, every required attribute set, no read-only attribute set, and every value of the right type.
 * This is what `terraform validate` would say if the provider could be installed here.
 */
import type { CtyType, ProviderSchemaEntry, SchemaAttribute } from './provider-schema';
import { libvirtSchema } from './snapshot';

export interface ConformanceProblem {
  /** `resource.libvirt_domain.web_1.devices.disks[0].target.bus` */
  readonly path: string;
  readonly message: string;
}

/** Terraform meta-arguments allowed on every resource / data source besides the schema's attributes. */
const META_ARGUMENTS = new Set(['//', 'provider', 'depends_on', 'lifecycle', 'count', 'for_each', 'connection', 'provisioner']);

const isToken = (value: unknown): boolean => typeof value === 'string' && value.includes('${');

function checkScalar(type: CtyType, value: unknown, path: string, problems: ConformanceProblem[]): void {
  if (isToken(value)) return;
  if (typeof type === 'string') {
    const ok = type === 'string' ? typeof value === 'string' : type === 'number' ? typeof value === 'number' : typeof value === 'boolean';
    if (!ok) problems.push({ path, message: `expected ${type}, got ${JSON.stringify(value)}` });
    return;
  }
  const [collection, inner] = type;
  if (collection === 'map') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ path, message: `expected a map, got ${JSON.stringify(value)}` });
      return;
    }
    for (const [key, item] of Object.entries(value)) checkScalar(inner, item, `${path}.${key}`, problems);
    return;
  }
  if (!Array.isArray(value)) {
    problems.push({ path, message: `expected a ${collection}, got ${JSON.stringify(value)}` });
    return;
  }
  value.forEach((item, index) => checkScalar(inner, item, `${path}[${index}]`, problems));
}

function checkObject(attributes: Record<string, SchemaAttribute>, value: unknown, path: string, problems: ConformanceProblem[], topLevel: boolean): void {
  if (isToken(value)) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ path, message: `expected an object, got ${JSON.stringify(value)}` });
    return;
  }
  const record = value as Record<string, unknown>;
  for (const [name, item] of Object.entries(record)) {
    if (topLevel && META_ARGUMENTS.has(name)) continue;
    const attribute = attributes[name];
    const itemPath = `${path}.${name}`;
    if (!attribute) {
      problems.push({ path: itemPath, message: 'unknown attribute: not in the provider schema' });
    } else if (attribute.computed && !attribute.optional && !attribute.required) {
      problems.push({ path: itemPath, message: 'read-only attribute: the provider computes it' });
    } else {
      checkAttribute(attribute, item, itemPath, problems);
    }
  }
  for (const [name, attribute] of Object.entries(attributes)) {
    if (attribute.required && record[name] === undefined) problems.push({ path: `${path}.${name}`, message: 'required attribute is missing' });
  }
}

function checkAttribute(attribute: SchemaAttribute, value: unknown, path: string, problems: ConformanceProblem[]): void {
  if (value === null || value === undefined) return;
  const nested = attribute.nested_type;
  if (!nested) {
    if (attribute.type) checkScalar(attribute.type, value, path, problems);
    return;
  }
  // An empty object type takes no attributes: any key set in it is unknown.
  const attributes = nested.attributes ?? {};
  if (nested.nesting_mode === 'single') {
    checkObject(attributes, value, path, problems, false);
  } else if (nested.nesting_mode === 'map') {
    if (isToken(value)) return;
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) checkObject(attributes, item, `${path}.${key}`, problems, false);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => checkObject(attributes, item, `${path}[${index}]`, problems, false));
  } else if (!isToken(value)) {
    problems.push({ path, message: `expected a ${nested.nesting_mode} of objects, got ${JSON.stringify(value)}` });
  }
}

function checkBlocks(
  blocks: unknown,
  kind: 'resource' | 'data',
  schemas: ProviderSchemaEntry['resource_schemas'],
  problems: ConformanceProblem[],
): void {
  for (const [type, instances] of Object.entries((blocks ?? {}) as Record<string, Record<string, unknown>>)) {
    const schema = schemas[type];
    for (const [name, body] of Object.entries(instances)) {
      const path = `${kind}.${type}.${name}`;
      if (!schema) {
        if (type.startsWith('libvirt_')) problems.push({ path, message: `unknown ${kind === 'data' ? 'data source' : 'resource'} type` });
        continue;
      }
      checkObject(schema.block.attributes ?? {}, body, path, problems, true);
    }
  }
}

/** Problems of one synthesized `cdk.tf.json` (parsed); empty when it conforms. */
export function checkConformance(document: unknown, schema: ProviderSchemaEntry = libvirtSchema()): ConformanceProblem[] {
  const problems: ConformanceProblem[] = [];
  const root = document as { resource?: unknown; data?: unknown; provider?: { libvirt?: unknown[] } };
  checkBlocks(root.resource, 'resource', schema.resource_schemas, problems);
  checkBlocks(root.data, 'data', schema.data_source_schemas, problems);
  (root.provider?.libvirt ?? []).forEach((config, index) => {
    const { alias: _alias, ...rest } = config as Record<string, unknown>;
    checkObject(schema.provider.block.attributes ?? {}, rest, `provider.libvirt[${index}]`, problems, false);
  });
  return problems;
}
