import { z } from 'zod';
import { eventSchemasByAggregate, eventSchemaVersions, upcasters } from '../src/index.ts';

/** A JSON Schema node, as far as this catalogue reads it. */
interface Node {
  $ref?: string;
  type?: string;
  const?: unknown;
  enum?: unknown[];
  anyOf?: Node[];
  oneOf?: Node[];
  items?: Node;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: Node | boolean;
  propertyNames?: Node;
  description?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  $defs?: Record<string, Node>;
}

const aggregates: Record<keyof typeof eventSchemasByAggregate, { title: string; stream: string }> = {
  charter: { title: 'Charter', stream: 'charter' },
  member: { title: 'Member organizations', stream: 'member-<organizationId>' },
  workingGroup: { title: 'Working groups', stream: 'workinggroup-<groupId>' },
  budget: { title: 'Budgets', stream: 'budget-<budgetId>' },
  grantCall: { title: 'Grant calls', stream: 'grantcall-<grantCallId>' },
  proposal: { title: 'Proposals', stream: 'proposal-<proposalId>' },
  person: { title: 'People (ids only: their data is never in an event)', stream: 'person-<personId>' },
  history: { title: 'The history itself', stream: 'history' },
  log: { title: 'The witnessed log (keys only)', stream: 'log' },
  partnership: { title: 'Partnerships', stream: 'partnership-<partnershipId>' },
};

const safeInteger = 9_007_199_254_740_991;

function refName(ref: string): string {
  return ref.replace('#/$defs/', '');
}

function variants(node: Node): Node[] | undefined {
  return node.oneOf ?? node.anyOf;
}

function isInlineObject(node: Node): boolean {
  return node.type === 'object' && node.properties !== undefined;
}

function typeOf(node: Node): string {
  if (node.$ref) return `[${refName(node.$ref)}](#${refName(node.$ref).toLowerCase()})`;
  if (node.const !== undefined) return `\`${JSON.stringify(node.const)}\``;
  if (node.enum) return node.enum.map((value) => `\`${JSON.stringify(value)}\``).join(' \\| ');
  const options = variants(node);
  if (options) return options.map(typeOf).join(' \\| ');
  switch (node.type) {
    case 'array':
      return `${node.items ? typeOf(node.items) : 'unknown'}[]`;
    case 'object':
      if (node.properties) return 'object';
      return `record of ${typeof node.additionalProperties === 'object' ? typeOf(node.additionalProperties) : 'unknown'}`;
    case 'integer': {
      const bounds = [
        node.minimum !== undefined && node.minimum > -safeInteger ? `≥ ${node.minimum}` : '',
        node.maximum !== undefined && node.maximum < safeInteger ? `≤ ${node.maximum}` : '',
      ].filter(Boolean);
      return bounds.length ? `integer ${bounds.join(', ')}` : 'integer';
    }
    case 'string':
      if (node.format === 'date-time') return 'timestamp';
      if (node.format === 'date') return 'date';
      return 'string';
    default:
      return node.type ?? 'unknown';
  }
}

/** Table rows for an object's fields; inline objects (also in arrays or nullable) expand to dotted paths. */
function rows(node: Node, defs: Record<string, Node>, prefix = ''): string[] {
  const lines: string[] = [];
  for (const [name, field] of Object.entries(node.properties ?? {})) {
    const path = `${prefix}${name}`;
    const options = variants(field);
    const nonNull = options?.filter((option) => option.type !== 'null');
    const nullable = options !== undefined && nonNull?.length === 1;
    const inner = nullable ? (nonNull?.[0] as Node) : field;
    const described =
      field.description ?? inner.description ?? (inner.$ref && defs[refName(inner.$ref)]?.description);
    const description = (described ?? '').replaceAll('|', '\\|');
    lines.push(`| \`${path}\` | ${typeOf(field)} | ${description} |`);
    if (isInlineObject(inner)) lines.push(...rows(inner, defs, `${path}.`));
    if (inner.type === 'array' && inner.items && isInlineObject(inner.items)) {
      lines.push(...rows(inner.items, defs, `${path}[].`));
    }
  }
  return lines;
}

function table(node: Node, defs: Record<string, Node>): string {
  return ['| field | type | meaning |', '| --- | --- | --- |', ...rows(node, defs)].join('\n');
}

function discriminator(variant: Node): string {
  const [key, value] =
    Object.entries(variant.properties ?? {}).find(([, field]) => field.const !== undefined) ??
    ([] as never[]);
  return key ? `\`${key}: ${JSON.stringify(value?.const)}\`` : '';
}

function renderDefinition(name: string, node: Node, defs: Record<string, Node>): string {
  const heading = [`### ${name}`, ''];
  if (node.description) heading.push(`${capitalize(node.description)}.`, '');
  const options = variants(node);
  if (options?.every(isInlineObject)) {
    const body = options.flatMap((option) => ['', `**${discriminator(option)}**`, '', table(option, defs)]);
    return [...heading, `One of ${options.length}:`, ...body].join('\n');
  }
  return [...heading, isInlineObject(node) ? table(node, defs) : typeOf(node)].join('\n');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The event catalogue (docs/events.md), generated from the zod schemas: every event type with its
 * stream, schema version, meaning and fields, then the shared shapes the fields refer to.
 */
export function renderEventCatalogue(): string {
  const definitions: Record<string, Node> = {};
  const sections: string[] = [];
  let count = 0;
  for (const [aggregate, union] of Object.entries(eventSchemasByAggregate)) {
    const { title, stream } = aggregates[aggregate as keyof typeof aggregates];
    sections.push(`## ${title}`, '', `Stream: \`${stream}\`.`, '');
    for (const option of union.options) {
      const schema = z.toJSONSchema(option) as Node;
      Object.assign(definitions, schema.$defs);
      const type = option.shape.type.value as keyof typeof eventSchemaVersions;
      const version = eventSchemaVersions[type];
      const older = Object.keys(upcasters[type] ?? {}).map((from) => `v${from}`);
      count += 1;
      sections.push(
        `### ${type}`,
        '',
        `${schema.description ?? ''} Schema version ${version}${older.length ? ` (upcast from ${older.join(', ')})` : ''}.`,
        '',
        table(schema.properties?.data ?? {}, definitions),
        '',
      );
    }
  }
  const shapes = Object.keys(definitions)
    .sort()
    .map((name) => renderDefinition(name, definitions[name] as Node, definitions));
  return [
    '# Event catalogue',
    '',
    '<!-- Generated from the zod schemas of packages/domain. Do not edit by hand: run',
    '     `npx pnpm@12.21.0 --filter @concord/domain docs:events`. A test fails when this file is stale. -->',
    '',
    `Every change in Concord is one of these ${count} events, stored as \`{ type, data }\` in the stream of its`,
    'aggregate. The event store adds the event id, positions and metadata (actor, causation, correlation,',
    'recorded time, schema version); `data` holds only what the domain decided, and `data.at` is the time the',
    "command carried. Money is always an integer number of minor units (cents) in the budget's currency.",
    '',
    'Events carry a schema version. A reader passes stored events through `upcast(type, version, data)`, which',
    'turns older shapes into the current one (see `packages/domain/src/upcasting.ts`).',
    '',
    ...sections,
    '## Shared shapes',
    '',
    shapes.join('\n\n'),
    '',
  ].join('\n');
}

/** Where the catalogue lives: `docs/events.md` at the repository root. */
export const eventCataloguePath = new URL('../../../docs/events.md', import.meta.url).pathname;
