import type { AttachmentCitation } from '@concord/projections/schemas';
import type { Principal } from '../auth/service.ts';

/**
 * Who may read a document's bytes: the one rule (ADR 0025), given what is known of the document.
 * - Whoever uploaded the bytes (they hold them already).
 * - A document no record cites: nobody else.
 * - Cited unrestricted anywhere: every signed-in person with a role (everyone reads everything in Concord).
 * - Cited only as restricted: the representatives of the organizations each citing record concerns
 *   (`AttachmentCitation.concerned`); not facilitators or auditors, who still see its hash in the events
 *   and its check in the verification.
 */
export function mayReadAttachment(
  principal: Principal | null,
  known: { uploadedByReader: boolean; citations: readonly AttachmentCitation[] },
): boolean {
  if (!principal || principal.role === 'none') return false;
  if (known.uploadedByReader) return true;
  // A partner's person reads the documents they gave, nothing of the coalition's.
  if (principal.role === 'partner') return false;
  if (known.citations.length === 0) return false;
  if (known.citations.some((citation) => !citation.restricted)) return true;
  if (principal.role !== 'representative' || !principal.organizationId) return false;
  const organizationId = principal.organizationId;
  return known.citations.some(
    (citation) => citation.concerned === 'everyMember' || citation.concerned.includes(organizationId),
  );
}
