import type { SqlType, TableSpec } from '../../schema/columns.ts';

const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
/** A table's first block of a COPY; each next one twice the last, up to `BLOCK` (most tables get few rows a page). */
const FIRST_BLOCK = 1 << 14;
const BLOCK = 1 << 20;
const TWO_32 = 4294967296;
/** 2000-01-01T00:00:00Z, PostgreSQL's epoch for binary timestamps, in Unix milliseconds. */
const PG_EPOCH_MS = 946_684_800_000;
/** The read models' instants as `iso()` writes them: 2024-01-08T17:00:00.000Z. */
const CANONICAL_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

type Row = Record<string, unknown>;

/** Microseconds since PostgreSQL's epoch of an instant as `iso()` writes it (or any Date parses exactly). */
function micros(value: string, table: string, column: string): number {
  const ms = Date.parse(value);
  // Date keeps milliseconds: a finer instant would be silently rounded, so it is refused loudly instead.
  const fraction = CANONICAL_INSTANT.test(value) ? null : /\.(\d+)/.exec(value)?.[1];
  if (Number.isNaN(ms) || (fraction && /[1-9]/.test(fraction.slice(3)))) {
    throw new Error(`${table}.${column}: cannot encode the instant ${JSON.stringify(value)}`);
  }
  return (ms - PG_EPOCH_MS) * 1000;
}

type Encode = (row: Row, encoder: CopyEncoder) => void;

const METHOD: Record<SqlType, string> = {
  text: 'text',
  bigint: 'int8',
  integer: 'int4',
  boolean: 'bool',
  timestamptz: 'instant',
  jsonb: 'json',
};

/**
 * One function per table that encodes a row column by column, generated from the table spec: property
 * reads with constant names stay monomorphic (a loop over column names would look every value up by a
 * varying key, for every table's rows at one site).
 */
function compile(spec: TableSpec): Encode {
  const names = Object.keys(spec.columns);
  const lines = [`encoder.row(${names.length});`, 'let value;'];
  names.forEach((name, i) => {
    const method = METHOD[spec.columns[name]!.sqlType];
    lines.push(
      `value = row[${JSON.stringify(name)}];`,
      `if (value === null || value === undefined) encoder.null(); else encoder.${method}(value, ${i});`,
    );
  });
  return new Function('row', 'encoder', lines.join('\n')) as Encode;
}

/**
 * Encodes rows of one read-model table in PostgreSQL's binary COPY format, as the table spec declares its
 * columns, into blocks of about a megabyte. Binary rows need no escaping here and no parsing of text
 * (numbers, instants) in the database. Values mean what they mean in `json_populate_recordset`, the live
 * projector's path: null and undefined are NULL, JSON columns hold `JSON.stringify(value)`.
 */
export class CopyEncoder {
  readonly #encode: Encode;
  readonly #names: string[];
  /** The last instant encoded per column and its microseconds (rows often share instants). */
  readonly #lastInstant: (string | null)[];
  readonly #lastMicros: number[];
  #blocks: Buffer[] = [];
  #buffer: Buffer = Buffer.allocUnsafe(0);
  #nextBlock = FIRST_BLOCK;
  #offset = 0;
  #rows = 0;

  constructor(readonly spec: TableSpec) {
    this.#names = Object.keys(spec.columns);
    this.#encode = compile(spec);
    this.#lastInstant = this.#names.map(() => null);
    this.#lastMicros = this.#names.map(() => 0);
  }

  /** Column names in the order they are encoded (for `COPY table (columns)`). */
  get columnList(): string {
    return this.#names.map((name) => `"${name}"`).join(', ');
  }

  /** Rows encoded since the last `take`. */
  get rows(): number {
    return this.#rows;
  }

  add(row: object): void {
    this.#encode(row as Row, this);
    this.#rows++;
  }

  #ensure(bytes: number): void {
    if (this.#offset + bytes <= this.#buffer.length) return;
    if (this.#offset > 0) this.#blocks.push(this.#buffer.subarray(0, this.#offset));
    this.#buffer = Buffer.allocUnsafe(Math.max(this.#nextBlock, bytes));
    this.#nextBlock = Math.min(BLOCK, this.#nextBlock * 2);
    this.#offset = 0;
  }

  #invalid(column: number, value: unknown, type: string): Error {
    return new Error(
      `${this.spec.name}.${this.#names[column]}: ${JSON.stringify(value)} is not a valid ${type}`,
    );
  }

  // The methods below are called by the generated encoder, one per column of a row.

  row(columns: number): void {
    this.#ensure(2 + columns * 12);
    this.#buffer.writeInt16BE(columns, this.#offset);
    this.#offset += 2;
  }

  null(): void {
    this.#ensure(4);
    this.#buffer.writeInt32BE(-1, this.#offset);
    this.#offset += 4;
  }

  text(value: unknown): void {
    const text =
      typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const length = text.length;
    this.#ensure(4 + length * 3);
    const buffer = this.#buffer;
    const start = this.#offset + 4;
    let bytes = 0;
    if (length <= 64) {
      // Short ASCII strings are copied here; anything else goes through the UTF-8 encoder.
      for (; bytes < length; bytes++) {
        const code = text.charCodeAt(bytes);
        if (code > 0x7f) break;
        buffer[start + bytes] = code;
      }
    }
    if (bytes < length) bytes = buffer.write(text, start, 'utf8');
    buffer.writeInt32BE(bytes, this.#offset);
    this.#offset = start + bytes;
  }

  #int8(value: number): void {
    this.#ensure(12);
    const buffer = this.#buffer;
    const high = Math.floor(value / TWO_32);
    buffer.writeInt32BE(8, this.#offset);
    buffer.writeInt32BE(high, this.#offset + 4);
    buffer.writeUInt32BE(value - high * TWO_32, this.#offset + 8);
    this.#offset += 12;
  }

  int8(value: unknown, column: number): void {
    if (!Number.isSafeInteger(value)) throw this.#invalid(column, value, 'bigint');
    this.#int8(value as number);
  }

  int4(value: unknown, column: number): void {
    if (!Number.isInteger(value) || (value as number) < -2147483648 || (value as number) > 2147483647) {
      throw this.#invalid(column, value, 'integer');
    }
    this.#ensure(8);
    this.#buffer.writeInt32BE(4, this.#offset);
    this.#buffer.writeInt32BE(value as number, this.#offset + 4);
    this.#offset += 8;
  }

  bool(value: unknown, column: number): void {
    if (typeof value !== 'boolean') throw this.#invalid(column, value, 'boolean');
    this.#ensure(5);
    this.#buffer.writeInt32BE(1, this.#offset);
    this.#buffer[this.#offset + 4] = value ? 1 : 0;
    this.#offset += 5;
  }

  instant(value: unknown, column: number): void {
    const instant = value instanceof Date ? value.toISOString() : String(value);
    if (instant !== this.#lastInstant[column]) {
      this.#lastMicros[column] = micros(instant, this.spec.name, this.#names[column]!);
      this.#lastInstant[column] = instant;
    }
    this.#int8(this.#lastMicros[column]!);
  }

  json(value: unknown): void {
    // jsonb's binary form: a version byte (1), then the JSON text.
    const json = JSON.stringify(value);
    this.#ensure(5 + json.length * 3);
    const start = this.#offset + 5;
    const bytes = this.#buffer.write(json, start, 'utf8');
    this.#buffer.writeInt32BE(bytes + 1, this.#offset);
    this.#buffer[this.#offset + 4] = 1;
    this.#offset = start + bytes;
  }

  /** The rows encoded so far as one COPY stream (header, rows, trailer), or null when there are none. */
  take(): Buffer[] | null {
    if (this.#rows === 0) return null;
    this.#ensure(2);
    this.#buffer.writeInt16BE(-1, this.#offset);
    this.#offset += 2;
    const blocks = [HEADER, ...this.#blocks, this.#buffer.subarray(0, this.#offset)];
    this.#blocks = [];
    this.#buffer = Buffer.allocUnsafe(0);
    this.#nextBlock = FIRST_BLOCK;
    this.#offset = 0;
    this.#rows = 0;
    return blocks;
  }
}
