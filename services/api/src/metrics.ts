import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Concord's Prometheus metrics, in a registry of their own (one per server, so tests don't share). */
export function createMetrics() {
  const registry = new Registry();
  const metrics = {
    registry,
    httpRequests: new Counter({
      name: 'concord_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'concord_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'concord_commands_total',
      help: 'Commands by type and outcome (accepted, refused, replayed, conflict, failed)',
      labelNames: ['command', 'outcome'] as const,
      registers: [registry],
    }),
    commandDuration: new Histogram({
      name: 'concord_command_duration_seconds',
      help: 'Time from loading the stream to the append',
      labelNames: ['command'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    commandSteps: new Histogram({
      name: 'concord_command_step_seconds',
      help:
        'Where a command request spends its time, step by step: session (resolving the cookie of a request ' +
        'that is not a GET), ' +
        'idempotency (its row before and after), lock (waiting for the stream), load, context (facts), ' +
        'decide, append, readModels (waiting for the read models to include it)',
      labelNames: ['step'] as const,
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    }),
    commandRetries: new Counter({
      name: 'concord_command_retries_total',
      help: 'Commands decided again after a version conflict',
      labelNames: ['command'] as const,
      registers: [registry],
    }),
    appends: new Counter({
      name: 'concord_appends_total',
      help: 'Appends to the event store',
      registers: [registry],
    }),
    appendedEvents: new Counter({
      name: 'concord_appended_events_total',
      help: 'Events appended, by type',
      labelNames: ['type'] as const,
      registers: [registry],
    }),
    storeHead: new Gauge({
      name: 'concord_event_store_head_position',
      help: 'Global position of the last readable event',
      registers: [registry],
    }),
    projectorPosition: new Gauge({
      name: 'concord_projector_position',
      help: 'Global position the read models have reached',
      registers: [registry],
    }),
    projectorLag: new Gauge({
      name: 'concord_projector_lag_seconds',
      help: 'Age of the oldest event the read models have not applied yet (0 when caught up)',
      registers: [registry],
    }),
    effectProblems: new Counter({
      name: 'concord_effect_problems_total',
      help: "Decisions' effects found missing, altered or extra (any is tampering or a bug: alert on it)",
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    processPosition: new Gauge({
      name: 'concord_process_position',
      help: 'Global position each process step has handled',
      labelNames: ['process'] as const,
      registers: [registry],
    }),
    mailSent: new Counter({
      name: 'concord_mail_sent_total',
      help: 'Mails accepted by the SMTP server (or logged without SMTP_URL), by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    mailFailures: new Counter({
      name: 'concord_mail_failures_total',
      help: 'Failed mail sends (each is retried with back-off until given up), by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    mailWaiting: new Gauge({
      name: 'concord_mail_waiting',
      help: 'Mails in the outbox waiting to be sent or retried',
      registers: [registry],
    }),
    notificationsRecorded: new Counter({
      name: 'concord_notifications_total',
      help: 'Notifications recorded, by kind',
      labelNames: ['kind'] as const,
      registers: [registry],
    }),
    sockets: new Gauge({
      name: 'concord_live_sockets',
      help: 'Open live-feed WebSockets',
      registers: [registry],
    }),
    liveFanout: new Histogram({
      name: 'concord_live_fanout_seconds',
      help: 'Wall time to hand one batch to every live socket (serialized once, written to each)',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers: [registry],
    }),
    liveMessages: new Counter({
      name: 'concord_live_messages_total',
      help: 'Messages written to live sockets',
      registers: [registry],
    }),
    liveClosed: new Counter({
      name: 'concord_live_closed_total',
      help: 'Live sockets closed by the server, by reason',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;
