import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  addSignatureLines,
  COSIGNATURE_TYPE,
  Ed25519Signer,
  formatCheckpoint,
  fromBase64,
  loadOrCreateSigner,
  nodeCrypto,
  openNote,
  parseCheckpoint,
  parseNote,
  parseVerifierKey,
  signerFromConfig,
  signNote,
  toBase64,
  verifyCheckpoint,
  webCrypto,
} from '../src/index.ts';

// golang.org/x/mod/sumdb/note's example: a key, a text and the signed note Go writes for them.
const PETER_SIGNER = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const PETER_VERIFIER = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const PETER_TEXT =
  "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const PETER_NOTE = `${PETER_TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

// A checkpoint of a public CT log as published, with the Ed25519 signature of its log key (type 0x01)
// and cosignatures (type 0x04), among them remora.n621.de's; the first line is an RFC 6962 signature
// (type 0x05) that verifiers here ignore.
const ARCHE_LOG_KEY =
  'arche2025h1.staging.ct.transparency.dev+ba2f06c0+AU0vHmlGCS/PdN8b2OaGmKprLI8HKM+dJ472xgFYh15f';
const REMORA_KEY = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';
const ARCHE_CHECKPOINT = `arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— arche2025h1.staging.ct.transparency.dev zTM8sQAAAZ5W0WdjBAMARjBEAiBjW5IQf9pvsYLfQFX6hoGREPMHbdQ3urbllzalApkptQIgIpwtEroeW2BXaHAI4kJXFbon5Ch9MNL5zRNZ55lvGt0=
— arche2025h1.staging.ct.transparency.dev ui8GwCF1+kWqZrxGdhj4aX3gcw7XUlXQQabg/27lefwhUkzbC3NygNI75MdhL1bfTW9g8Ei59RA23oHP7Ry1k3ZFWwQ=
— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
— witness1.smartit.nu/witness1 pIyCDwAAAABqEiEghIp82KWebrw7/oHQwlTAm3g2RKS4+eebl8eO0WH+/iEcxZ75W3u5hNI7TOQtmJbqmNWVuE0tgh0XwzdZsDsUAQ==
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
— witness.stagemole.eu Z/euoAAAAABqEiEgw0i+7g2ENfDAWHmtRzCfKTHSDwYDJA2NmKeGi9Y8FtEyOUvVr+AJmIY/2TUFucgKi7lI7cUiOvKFYe/TmN9DAg==
`;

describe('C2SP signed notes', () => {
  it('writes byte for byte the note Go’s sumdb/note writes, and opens it', async () => {
    const signer = Ed25519Signer.fromKeyString(PETER_SIGNER);
    expect(signer.verifierKey).toBe(PETER_VERIFIER);
    expect(signer.keyString).toBe(PETER_SIGNER);
    expect(signNote(PETER_TEXT, [signer])).toBe(PETER_NOTE);
    for (const crypto of [nodeCrypto, webCrypto()]) {
      const verifier = await parseVerifierKey(PETER_VERIFIER, crypto);
      expect((await openNote(PETER_NOTE, [verifier])).text).toBe(PETER_TEXT);
      await expect(openNote(PETER_NOTE.replace('cryptography', 'cryptographY'), [verifier])).rejects.toThrow(
        /does not verify/,
      );
    }
  });

  it('checks a published checkpoint’s log signature and a witness’s cosignature, with both cryptos', async () => {
    for (const crypto of [nodeCrypto, webCrypto()]) {
      const verified = await verifyCheckpoint(ARCHE_CHECKPOINT, {
        logKey: ARCHE_LOG_KEY,
        witnessKeys: [REMORA_KEY],
        quorum: 1,
        crypto,
      });
      expect(verified.checkpoint.size).toBe(1432088532);
      expect(verified.cosigners).toEqual([{ name: 'remora.n621.de', time: expect.any(Number) }]);
      await expect(
        verifyCheckpoint(ARCHE_CHECKPOINT.replace('1432088532', '1432088533'), {
          logKey: ARCHE_LOG_KEY,
          crypto,
        }),
      ).rejects.toThrow(/does not verify/);
    }
  });

  it('ignores unknown keys, refuses a note no trusted key signed, and one a trusted key signed badly', async () => {
    const a = Ed25519Signer.generate('a.example/log');
    const b = Ed25519Signer.generate('b.example/log');
    const text = 'hello\n';
    const note = signNote(text, [a, b]);
    const va = await a.verifier();
    expect((await openNote(note, [va])).unknown.map((s) => s.name)).toEqual(['b.example/log']);
    await expect(openNote(note, [await Ed25519Signer.generate('c.example').verifier()])).rejects.toThrow(
      /no trusted key/,
    );
    // Same name and key id, wrong signature: the whole note is refused.
    const line = parseNote(note).signatures[0]!;
    const bent = fromBase64(line.line.slice(line.line.lastIndexOf(' ') + 1, -1));
    bent[10] = (bent[10] ?? 0) ^ 1;
    const forged = `${text}\n— a.example/log ${toBase64(bent)}\n`;
    await expect(openNote(forged, [va])).rejects.toThrow(/does not verify/);
  });

  it('refuses malformed notes and keys', async () => {
    const signer = Ed25519Signer.generate('x.example');
    const good = signNote('a\nb\n', [signer]);
    for (const bad of [
      good.replace('\n\n', '\n'),
      good.slice(0, -1),
      good.replace('— ', '-- '),
      good.replace('a\n', 'a\t\n'),
      `${good}\n`,
      'no signatures\n\n',
    ]) {
      expect(() => parseNote(bad), JSON.stringify(bad)).toThrow();
    }
    for (const key of [
      PETER_VERIFIER.replace('c74f20a3', 'c74f20a4'),
      PETER_VERIFIER.replace('PeterNeumann', 'Peter Neumann'),
      PETER_VERIFIER.replace('+ARpc', '+AxRpc'),
      `${PETER_VERIFIER}+x`,
      PETER_VERIFIER.replace('+ARpc', '+Apc'),
    ]) {
      await expect(parseVerifierKey(key, nodeCrypto), key).rejects.toThrow();
    }
    expect(() => Ed25519Signer.fromKeyString(PETER_SIGNER.replace('c74f20a3', '00000000'))).toThrow(/key id/);
    expect(() => signer.signatureLine('no newline')).toThrow();
    expect(() => Ed25519Signer.generate('has+plus')).toThrow();
  });
});

describe('C2SP checkpoints and cosignatures', () => {
  const root = new Uint8Array(32).fill(7);

  it('formats and parses a checkpoint, extensions included', () => {
    const text = formatCheckpoint({
      origin: 'concord.example/coalition',
      size: 42,
      root,
      extensions: ['x y'],
    });
    expect(text).toBe(`concord.example/coalition\n42\n${toBase64(root)}\nx y\n`);
    expect(parseCheckpoint(text)).toEqual({
      origin: 'concord.example/coalition',
      size: 42,
      root,
      extensions: ['x y'],
    });
    for (const bad of [
      'o\n042\nAAAA\n',
      `o\n-1\n${toBase64(root)}\n`,
      `o\n1\n${toBase64(root.subarray(1))}\n`,
      `o\n1\n${toBase64(root)}\n\n`,
      `\n1\n${toBase64(root)}\n`,
      `o\n1\n`,
    ]) {
      expect(() => parseCheckpoint(bad), JSON.stringify(bad)).toThrow();
    }
  });

  it('cosigns the cosignature/v1 message with a timestamp, verified by the 0x04 key only', async () => {
    const log = Ed25519Signer.generate('concord.example/log');
    const witness = Ed25519Signer.generate('witness.example/w1', COSIGNATURE_TYPE);
    const text = formatCheckpoint({ origin: 'concord.example/log', size: 3, root, extensions: [] });
    const note = addSignatureLines(signNote(text, [log]), [witness.cosignatureLine(text, 1_700_000_000)]);
    for (const crypto of [nodeCrypto, webCrypto()]) {
      const verified = await verifyCheckpoint(note, {
        logKey: log.verifierKey,
        witnessKeys: [witness.verifierKey],
        quorum: 1,
        crypto,
      });
      expect(verified.cosigners).toEqual([{ name: 'witness.example/w1', time: 1_700_000_000 }]);
    }
    // The same signature bytes under another time do not verify.
    const line = parseNote(note).signatures[1]!;
    const bytes = fromBase64(line.line.slice(line.line.lastIndexOf(' ') + 1, -1));
    bytes[11] = (bytes[11] ?? 0) ^ 1;
    const retimed = `${signNote(text, [log])}— witness.example/w1 ${toBase64(bytes)}\n`;
    await expect(
      verifyCheckpoint(retimed, {
        logKey: log.verifierKey,
        witnessKeys: [witness.verifierKey],
        crypto: nodeCrypto,
      }),
    ).rejects.toThrow(/does not verify/);
    // Too few witnesses.
    await expect(
      verifyCheckpoint(signNote(text, [log]), {
        logKey: log.verifierKey,
        witnessKeys: [witness.verifierKey],
        quorum: 1,
        crypto: nodeCrypto,
      }),
    ).rejects.toThrow(/0 of the 1/);
    // A log key cannot stand in for a witness key, nor the reverse.
    await expect(verifyCheckpoint(note, { logKey: witness.verifierKey, crypto: nodeCrypto })).rejects.toThrow(
      /type 0x01/,
    );
    expect(() => log.cosignatureLine(text, 1)).toThrow();
    expect(() => witness.signatureLine(text)).toThrow();
  });
});

describe('the instance key on disk', () => {
  it('is created once with mode 0600, then loaded; refused when others may read it', () => {
    const directory = join(mkdtempSync(join(tmpdir(), 'concord-key-')), 'keys');
    const first = loadOrCreateSigner(directory, 'concord.example/log');
    expect(statSync(join(directory, 'log.key')).mode & 0o777).toBe(0o600);
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    const again = loadOrCreateSigner(directory, 'concord.example/log');
    expect(again.verifierKey).toBe(first.verifierKey);
    expect(() => loadOrCreateSigner(directory, 'other.example/log')).toThrow(/holds the key of/);
    // A default name (from an address that changed) does not rename the key made earlier.
    const kept = loadOrCreateSigner(directory, 'localhost:4000/concord', { keepName: true });
    expect([kept.name, kept.verifierKey]).toEqual(['concord.example/log', first.verifierKey]);
    const witness = loadOrCreateSigner(directory, 'w.example', {
      file: 'witness.key',
      type: COSIGNATURE_TYPE,
    });
    expect(witness.type).toBe(COSIGNATURE_TYPE);

    const loose = join(directory, 'loose.key');
    writeFileSync(loose, readFileSync(join(directory, 'log.key')), { mode: 0o644 });
    expect(() => loadOrCreateSigner(directory, 'concord.example/log', { file: 'loose.key' })).toThrow(
      /chmod 600/,
    );

    expect(signerFromConfig(first.keyString, 'concord.example/log').verifierKey).toBe(first.verifierKey);
    expect(() => signerFromConfig(first.keyString, 'concord.example/log', COSIGNATURE_TYPE)).toThrow(/type/);
  });
});
