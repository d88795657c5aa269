/** `concord help`: every command, its options and the environment it reads. */
export const HELP = `concord — replay, verify and export a Concord coalition's history

usage:
  concord replay [--limit N] [--keep]      rebuild every view from the events into a scratch schema and
                                           compare with the live views: "identical" (exit 0) or the differing rows (exit 1)
  concord verify                           check the hash chains and heads (and the witnessed log's tree, where the
                                           server kept one): ok with the head hash, or the first bad event (exit 1)
  concord verify --export FILE --trusted-keys FILE [--checkpoint FILE] [--witnesses N] [--allow-unwitnessed]
                                           offline, no database: the checkpoint's log signature and N cosignatures
                                           (default 1) from the trusted keys (one verifier key a line), every chain
                                           and stream head, the Merkle root against the checkpoint (the export's
                                           last line unless --checkpoint), and every decision's effects; one line
                                           says why it fails
  concord witness --url URL --key FILE --state FILE --log-key VKEY
                                           your organization's witness: fetch the latest checkpoint and a proof
                                           that it extends the one cosigned last, verify, cosign, hand it in;
                                           refuses a rollback or fork (exit 1) printing both checkpoints. Signs
                                           in with CONCORD_EMAIL/CONCORD_PASSWORD (a representative) or CONCORD_SESSION
  concord witness --new-key FILE --name NAME
                                           a new witness key (mode 0600); prints the public key to register
  concord export --format jsonl|csv|tar [--from <time|position>] [--to <time|position>]
                                           every event as JSON lines (lossless, with hashes), the audit trail as CSV,
                                           or a tar of events.jsonl and every document the events cite
  concord as-of <time|position> budget [<id>] | proposal <id> | members | group <id> | partnership <id> [--json]
                                           a view as it was, computed by replaying the events
  concord project                          bring the live views up to date
  concord rebuild                          rebuild the live views from the first event and swap them in
  concord generate [--events N] [--seed S] a realistic, seeded coalition history in an empty store (demos)
  concord migrate-personal-data            rewrite stored events of older versions that hold people's names (with the
                                           server stopped); the rewrite is recorded in the history
  concord setup-link                       a new one-time link to create the first facilitator (while there is none)
  concord backup FILE [--url URL]          a consistent copy of the events and the people tables in one file,
                                           with the head digest; --url: through a running server (it owns its
                                           data folder), signed in with CONCORD_EMAIL/CONCORD_PASSWORD (a
                                           facilitator) or CONCORD_SESSION
  concord restore FILE [--expect-digest H] into an empty DATA_DIR or an empty DATABASE_URL: the backup is
                                           verified first and refused if it does not; read models rebuilt

environment:
  PUBLIC_URL     where people reach Concord, for links (default http://localhost:$PORT)
  DATA_DIR       embedded data directory (default ./data; PGlite files in <DATA_DIR>/pg)
  DATABASE_URL   a PostgreSQL server for the read models (and the events unless EVENTSTORE_URL is set)
  EVENTSTORE_URL where the events are, if not beside the read models: EventStoreDB/KurrentDB
                 (esdb://, kurrentdb://) or another PostgreSQL server (postgres://, schema eventstore)
`;
