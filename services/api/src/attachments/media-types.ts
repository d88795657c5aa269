import { attachmentMediaTypes } from '@concord/contracts';
import { fileTypeFromBuffer } from 'file-type';

/** The kinds of document Concord keeps, with a download's file extension (the contract's list). */
export const ATTACHMENT_TYPES = attachmentMediaTypes;

/** The media type a `Content-Type` header declares, without parameters, lower case; null when absent. */
export function declaredMediaType(header: string | undefined): string | null {
  const type = header?.split(';')[0]?.trim().toLowerCase();
  return type ? type : null;
}

/**
 * Whether `bytes` are a document of a kind Concord keeps and of the type declared: the bytes themselves
 * are read (by their signature, with the `file-type` library), so a page or a script cannot be
 * uploaded under an image's name.
 */
export async function bytesMatch(bytes: Uint8Array, declared: string | null): Promise<boolean> {
  if (declared === null || !Object.hasOwn(ATTACHMENT_TYPES, declared)) return false;
  const sniffed = await fileTypeFromBuffer(bytes);
  return sniffed?.mime === declared;
}
